"""`ungeguide chat` as a real process, driven through its standard input."""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class ChatProcess:
    def __init__(self, *, database_url: str, data_dir: Path, fresh: bool = False) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "UNGEGUIDE_DATA_DIR": str(data_dir)}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        args = [sys.executable, "-m", "ungeguide", "chat", *(["--fresh"] if fresh else [])]
        self.process = subprocess.Popen(
            args,
            cwd=REPO,
            env=env,
            text=True,
            encoding="utf-8",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, fragment: str, timeout: float = 30) -> list[str]:
        """Read output until a line containing `fragment` (exclusive of later lines)."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out waiting for {fragment!r}; got:\n" + "\n".join(seen)
                )
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                stderr = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(
                    f"chat ended before {fragment!r}:\n" + "\n".join(seen) + stderr
                )
            seen.append(line)
            self.output.append(line)
            if fragment in line:
                return seen

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self, timeout: float = 30) -> int:
        if self.process.stdin:
            self.process.stdin.close()
        code = self.process.wait(timeout=timeout)
        self._drain(timeout)
        return code

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean-up, no flush, no commit of anything pending
        self.process.wait(timeout=30)
        self._drain(30)

    def _drain(self, timeout: float) -> None:
        while self._lines.get(timeout=timeout) is not None:
            pass
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None and not stream.closed:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
