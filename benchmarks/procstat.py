"""A process's own CPU time and memory, read from Linux's /proc (no psutil needed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of all the process's threads so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name (which may hold spaces) in parentheses; utime and stime
    # are fields 14 and 15 of proc(5), the 12th and 13th after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True)
class Memory:
    rss_mb: float  # resident now
    peak_mb: float  # the highest resident size so far (VmHWM)


def memory(pid: int) -> Memory:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024  # kB
    return Memory(rss_mb=values["VmRSS"], peak_mb=values["VmHWM"])
