"""Start-up: how long the real `ungeguide run` takes to be ready, and its steady RSS.

    python -m benchmarks.startup [--runs 5] [--database sqlite|postgresql|both]
                                 [--database-url URL] [--settle 3] [--json]

Each run starts `python -m ungeguide run` (bot, dashboard and scheduler, the embedded NLU
loaded), polling the fake Bot API (testing/fake_bot_api.py), on a migrated database that already
exists (an ordinary restart, not the first run). The fake Bot API runs in this process.

Ready means both: the process answers /healthz with 200, and it has called getUpdates once
(so the bot takes updates). Time to ready counts from the moment the process is launched, so it
includes the interpreter's own start and every import. The bot loads its NLU and its dashboard
in a thread right after (ungeguide/server.py; a free text waits for the NLU meanwhile, a
dashboard request waits or gets 503): loaded s is the time until /healthz stops naming parts
that are loading, i.e. everything is there. Steady RSS is VmRSS (/proc/<pid>/status) --settle
seconds after that, once the scheduler's first rounds have run; peak is VmHWM.
CPU s is the CPU time (user + system, all threads) the process used to get ready (loaded CPU s:
to be loaded): on a busy machine it grows far less than the time to ready does.
The figures printed are the medians of --runs starts, each with the machine's 1-minute load
average when it began.

The baseline is benchmarks/echo_bot.py (python-telegram-bot alone), started right after each of
ours against its own fake Bot API: ready at its first getUpdates, its RSS read the same way. On a
shared, loaded machine absolute times swing by several times; the ratio to the echo bot's start
in the same run is the steadier figure.

Bytecode: an installed Ungeguide has its modules compiled (pip writes the .pyc files), so the
starts are timed with compiled bytecode, kept in a private folder (PYTHONPYCACHEPREFIX) that a
first, untimed start fills; PYTHONDONTWRITEBYTECODE is ignored for the bot. Without this, a
checkout run with PYTHONDONTWRITEBYTECODE=1 compiles some 220 modules from source on every
start (about 1.3 s under cProfile), which no deployment does.

PostgreSQL: --database-url, else TEST_DATABASE_URL, else a server from the pgserver package.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

from benchmarks.load import ECHO_BOT, _running, free_port, fresh_database, postgres_url
from benchmarks.procstat import cpu_seconds, memory
from bot.nlu.build import DEFAULT_NLU_DIR, TRAINING_SUBDIR
from bot.nlu.embedded import EmbeddedInterpreter
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import TOKEN, FakeBotApi

START_WITHIN = 120.0  # seconds


@dataclass(frozen=True)
class Start:
    healthz_s: float  # launch → /healthz answers 200
    ready_s: float  # launch → /healthz answers and getUpdates was called
    steady_rss_mb: float
    peak_rss_mb: float
    echo_ready_s: float = 0.0  # the echo bot started in the same run: launch → getUpdates
    echo_rss_mb: float = 0.0
    load: float = 0.0  # the machine's 1-minute load average when the start began
    ready_cpu_s: float = 0.0  # CPU time the process used to get ready (less swayed by the load)
    echo_cpu_s: float = 0.0
    loaded_s: float = 0.0  # launch → /healthz names no part still loading (NLU, dashboard)
    loaded_cpu_s: float = 0.0


async def echo_once(*, settle: float) -> tuple[float, float, float]:
    """The echo bot's time from launch to its first getUpdates, the CPU time it used to get
    there, and its RSS `settle` s later."""
    api = FakeBotApi().start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        launched = time.perf_counter()
        with _running([sys.executable, str(ECHO_BOT)], env, subprocess.DEVNULL) as process:
            while not api.update_calls:
                if process.poll() is not None:
                    raise RuntimeError("the echo bot stopped during its start")
                if time.perf_counter() - launched > START_WITHIN:
                    raise TimeoutError("the echo bot did not start")
                await asyncio.sleep(0.005)
            ready_s = time.perf_counter() - launched
            cpu_s = cpu_seconds(process.pid)
            await asyncio.sleep(settle)
            return ready_s, cpu_s, memory(process.pid).rss_mb
    finally:
        api.stop()


async def start_once(database_url: str, *, data_dir: Path, bytecode: Path, settle: float) -> Start:
    api = FakeBotApi().start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "UNGEGUIDE_PORT": str(port),
        "PYTHONPYCACHEPREFIX": str(bytecode),
    }
    for name in ("TELEGRAM_WEBHOOK_URL", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    command = [sys.executable, "-m", "ungeguide", "run"]
    log_path = data_dir / "bot.log"
    load = os.getloadavg()[0]
    try:
        with log_path.open("w") as log:
            launched = time.perf_counter()
            with _running(command, env, log) as process:
                await _healthz(port, process)
                healthz_s = time.perf_counter() - launched
                while not api.update_calls:
                    if process.poll() is not None:
                        raise RuntimeError("the bot stopped before it polled")
                    await asyncio.sleep(0.005)
                ready_s = time.perf_counter() - launched
                ready_cpu_s = cpu_seconds(process.pid)
                await _loaded(port, process)
                loaded_s = time.perf_counter() - launched
                loaded_cpu_s = cpu_seconds(process.pid)
                await asyncio.sleep(settle)
                used = memory(process.pid)
                return Start(
                    healthz_s=healthz_s,
                    ready_s=ready_s,
                    steady_rss_mb=used.rss_mb,
                    peak_rss_mb=used.peak_mb,
                    load=load,
                    ready_cpu_s=ready_cpu_s,
                    loaded_s=loaded_s,
                    loaded_cpu_s=loaded_cpu_s,
                )
    except BaseException:
        print(log_path.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        api.stop()


async def _healthz(port: int, process: subprocess.Popen[str]) -> None:
    async def poll() -> None:
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError("the bot stopped during its start")
                with contextlib.suppress(httpx.TransportError):
                    response = await client.get(f"http://127.0.0.1:{port}/healthz")
                    if response.status_code == 200:
                        return
                await asyncio.sleep(0.005)

    await asyncio.wait_for(poll(), START_WITHIN)


async def _loaded(port: int, process: subprocess.Popen[str]) -> None:
    """Until /healthz says only "ok" (no "loading: ..." line); at once for a bot that loads
    everything before it serves."""

    async def poll() -> None:
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError("the bot stopped while loading")
                response = await client.get(f"http://127.0.0.1:{port}/healthz")
                if response.text == "ok\n":
                    return
                await asyncio.sleep(0.02)  # less often than for ready: each look costs it CPU

    await asyncio.wait_for(poll(), START_WITHIN)


async def measure(
    database_url: str | None, runs: int, *, folder: Path, settle: float
) -> list[Start]:
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    # The NLU model is trained (in a child process) before the first start is timed.
    EmbeddedInterpreter.from_path(DEFAULT_NLU_DIR / TRAINING_SUBDIR, cache_dir=data_dir / "cache")
    url = fresh_database(database_url, folder / "db")
    bytecode = folder.parent / "bytecode"
    await start_once(url, data_dir=data_dir, bytecode=bytecode, settle=0)  # compiles, untimed
    starts = []
    for number in range(runs):
        start = await start_once(url, data_dir=data_dir, bytecode=bytecode, settle=settle)
        echo_ready_s, echo_cpu_s, echo_rss_mb = await echo_once(settle=settle)
        start = replace(
            start, echo_ready_s=echo_ready_s, echo_cpu_s=echo_cpu_s, echo_rss_mb=echo_rss_mb
        )
        print(
            f"  run {number + 1} (load {start.load:.1f}): "
            f"ready {start.ready_s:.2f} s (healthz {start.healthz_s:.2f} s, "
            f"CPU {start.ready_cpu_s:.2f} s; loaded {start.loaded_s:.2f} s, "
            f"CPU {start.loaded_cpu_s:.2f} s), "
            f"steady RSS {start.steady_rss_mb:.1f} MB, peak {start.peak_rss_mb:.1f} MB; "
            f"echo bot ready {start.echo_ready_s:.2f} s (CPU {start.echo_cpu_s:.2f} s), "
            f"{start.echo_rss_mb:.1f} MB",
            file=sys.stderr,
        )
        starts.append(start)
    return starts


def print_table(results: dict[str, list[Start]]) -> None:
    print(
        f"\n{'':<12}{'ready s':>9}{'healthz s':>11}{'CPU s':>7}{'loaded s':>10}"
        f"{'loaded CPU s':>14}{'steady MB':>11}{'peak MB':>9}"
        f"{'echo ready s':>14}{'ready ÷ echo':>14}{'echo MB':>9}{'echo CPU s':>11}{'load':>6}"
        "  (medians)"
    )
    for name, starts in results.items():

        def median(figure: Callable[[Start], float], of: list[Start] = starts) -> float:
            return statistics.median(figure(s) for s in of)

        print(
            f"{name:<12}"
            f"{median(lambda s: s.ready_s):>9.2f}"
            f"{median(lambda s: s.healthz_s):>11.2f}"
            f"{median(lambda s: s.ready_cpu_s):>7.2f}"
            f"{median(lambda s: s.loaded_s):>10.2f}"
            f"{median(lambda s: s.loaded_cpu_s):>14.2f}"
            f"{median(lambda s: s.steady_rss_mb):>11.1f}"
            f"{median(lambda s: s.peak_rss_mb):>9.1f}"
            f"{median(lambda s: s.echo_ready_s):>14.2f}"
            f"{median(lambda s: s.ready_s / s.echo_ready_s):>14.2f}"
            f"{median(lambda s: s.echo_rss_mb):>9.1f}"
            f"{median(lambda s: s.echo_cpu_s):>11.2f}"
            f"{median(lambda s: s.load):>6.1f}"
            f"  ({len(starts)} runs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", default=None, help="a scratch PostgreSQL database")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after ready for RSS")
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    args = parser.parse_args()
    key = new_key()  # a throwaway key: the data is thrown away, too
    os.environ["UNGEGUIDE_KEYS"] = key
    use_keyring(Keyring([key]))
    results: dict[str, list[Start]] = {}
    with tempfile.TemporaryDirectory(prefix="ungeguide-startup-") as temporary:
        folder = Path(temporary)
        if args.database in ("sqlite", "both"):
            print("SQLite", file=sys.stderr)
            results["SQLite"] = asyncio.run(
                measure(None, args.runs, folder=folder / "sqlite", settle=args.settle)
            )
        if args.database in ("postgresql", "both"):
            print("PostgreSQL", file=sys.stderr)
            with postgres_url(args.database_url or os.environ.get("TEST_DATABASE_URL")) as url:
                results["PostgreSQL"] = asyncio.run(
                    measure(url, args.runs, folder=folder / "postgresql", settle=args.settle)
                )
    print_table(results)
    if args.json:
        print(json.dumps({name: [asdict(s) for s in starts] for name, starts in results.items()}))


if __name__ == "__main__":
    main()
