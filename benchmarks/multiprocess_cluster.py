"""N `ungeguide run` processes in webhook mode behind the spreading proxy, with Telegram played
by the test (see multiprocess_telegram.py): start them, SIGKILL and restart one, stop them."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

from benchmarks.faults_postgres import free_port
from benchmarks.multiprocess_telegram import WebhookTelegram
from bot.channels.telegram.webhook import WEBHOOK_PATH
from testing.fake_bot_api import TOKEN
from testing.spreading_proxy import SpreadingProxy
from ungeguide.settings import REPO_ROOT


def start_webhook_bot(
    *,
    database_url: str,
    api: WebhookTelegram,
    webhook_url: str,
    data_dir: Path,
    port: int,
    log: IO[str],
) -> subprocess.Popen[str]:
    """One `ungeguide run` in webhook mode, with the shared webhook URL and secret."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": webhook_url,
        "TELEGRAM_WEBHOOK_SECRET": api.secret,
        "UNGEGUIDE_PORT": str(port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ungeguide", "run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def wait_serving(bot: subprocess.Popen[str], port: int, *, within: float = 120) -> None:
    """Until the process answers /healthz (uvicorn listens only once the channel started)."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            if bot.poll() is not None:
                raise AssertionError(f"the bot on port {port} exited with {bot.returncode}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot on port {port} did not start")
            await asyncio.sleep(0.05)


class Cluster:
    """The processes, the proxy in front of them, and Telegram (fake Bot API + webhook)."""

    def __init__(self, database_url: str, *, processes: int, workdir: Path, seed: int) -> None:
        self.database_url = database_url
        self.workdir = workdir
        self.ports = [free_port() for _ in range(processes)]
        self.proxy = SpreadingProxy(self.ports, seed=seed)
        self.api: WebhookTelegram
        self.bots: list[subprocess.Popen[str]] = []
        self.log_paths = [workdir / f"bot-{n}.log" for n in range(processes)]
        self._logs = [path.open("a") for path in self.log_paths]
        self._ends = [0] * processes  # where each log stood when the processes were stopped

    async def start(self) -> Cluster:
        self.proxy.start()
        self.api = WebhookTelegram(url=self.proxy.url, secret=secrets.token_urlsafe(32))
        self.api.start()
        self.bots.extend(self._spawn(n) for n in range(len(self.ports)))
        await asyncio.gather(
            *(wait_serving(b, p) for b, p in zip(self.bots, self.ports, strict=True))
        )
        return self

    def _spawn(self, n: int) -> subprocess.Popen[str]:
        return start_webhook_bot(
            database_url=self.database_url,
            api=self.api,
            webhook_url=self.proxy.url,
            data_dir=self.workdir,
            port=self.ports[n],
            log=self._logs[n],
        )

    async def kill(self, n: int) -> None:
        os.kill(self.bots[n].pid, signal.SIGKILL)
        await asyncio.to_thread(self.bots[n].wait, 30)

    async def restart(self, n: int) -> None:
        old, self.ports[n] = self.ports[n], free_port()  # a fresh port: the dead one's may linger
        self.bots[n] = self._spawn(n)
        await wait_serving(self.bots[n], self.ports[n])
        self.proxy.replace(old, self.ports[n])

    def webhook_same(self) -> bool:
        """Whether the webhook Telegram holds is the shared URL and secret."""
        hook = self.api.webhook
        return hook.get("url") == self.proxy.url + WEBHOOK_PATH and (
            hook.get("secret_token") == self.api.secret
        )

    def tracebacks(self) -> tuple[int, int]:
        """Tracebacks in the logs while serving, and while stopping (after SIGTERM)."""
        texts = [path.read_text() for path in self.log_paths]
        serving = sum(
            t[:mark].count("Traceback") for t, mark in zip(texts, self._ends, strict=True)
        )
        return serving, sum(t.count("Traceback") for t in texts) - serving

    async def stop(self) -> None:
        for log in self._logs:
            log.flush()
        self._ends = [len(path.read_text()) for path in self.log_paths]
        for bot in self.bots:
            if bot.poll() is None:
                bot.send_signal(signal.SIGTERM)
        for bot in self.bots:
            try:
                await asyncio.to_thread(bot.wait, 30)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
        for log in self._logs:
            log.close()
        if hasattr(self, "api"):
            await self.api.close()
            self.api.stop()
        self.proxy.stop()
