"""PostgreSQL restarted during load: the bot recovers by itself and loses nothing.

A private PostgreSQL server (never the machine's shared one) on a free loopback port, the bot
as a real process (`python -m ungeguide run`) against the fake Bot API, and N simulated young
people going through join, consent and a whole WHO-5 at a human pace. A little into the run the
server is stopped (fast), left down for `--down` seconds and started again. A young person who
gets the bot's explicit "Hov, noget gik galt hos mig. Prøv igen om lidt." sends the same thing
again (counted); nothing else is resent. At the end every check-in must be stored completed with
each answer exactly once, and the bot process must still be alive and answering.

    python -m benchmarks.faults_postgres [--people 50] [--down 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from benchmarks.faults_telegram import WHO5_ITEMS, invite_people, percentile, stored_checkins
from benchmarks.load import FIRST_CHAT, Person
from core.content import load_content
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import TOKEN, FakeBotApi, Sent
from ungeguide.settings import REPO_ROOT

ERROR_TEXT = load_content(REPO_ROOT / "dialogues").texts.channel.error


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_bindir() -> Path:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else the newest Debian install."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run(  # noqa: S603 - a fixed command
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.append(Path(done.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")


class PrivatePostgres:
    """A throwaway PostgreSQL cluster with trust auth on 127.0.0.1:<port>. As root, the server
    programs run as the `postgres` user (initdb refuses root)."""

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="ungeguide-pgfault-"))
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, user="postgres")
        self.sockets.mkdir()
        if self._as:
            shutil.chown(self.sockets, user="postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [*self._as, str(self.bindir / program), *args]
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603

    def initdb(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.remove()


@dataclass
class Step:
    started: float  # time.monotonic()
    latency: float
    resends: int


@dataclass
class Figures:
    people: int
    outage_s: float = 0.0
    steps: list[Step] = field(default_factory=list)
    error_replies: int = 0  # the bot's explicit "try again" answers
    stuck: int = 0
    lost: int = 0
    duplicated: int = 0
    answers_stored: int = 0
    incomplete: int = 0
    alive_after: bool = False
    answering_after: bool = False
    elapsed_s: float = 0.0
    outage: tuple[float, float] = (0.0, 0.0)
    log: str = ""  # the bot process's output

    def during_outage(self) -> list[Step]:
        """Steps that were waiting for a reply at some moment of the outage."""
        start, end = self.outage
        return [s for s in self.steps if s.started <= end and s.started + s.latency >= start]

    def before_outage(self) -> list[Step]:
        return [s for s in self.steps if s.started + s.latency < self.outage[0]]

    def delayed(self) -> list[Step]:
        """Steps during the outage slower than every step before it (or resent)."""
        usual = max((s.latency for s in self.before_outage()), default=0.0)
        return [s for s in self.during_outage() if s.latency > usual or s.resends]


class ResendingPerson(Person):
    """A young person at a human pace who, told by the bot to try again, sends the same again."""

    def __init__(
        self, api: FakeBotApi, chat: int, figures: Figures, *, pause: float, rng: random.Random
    ) -> None:
        super().__init__(api, chat, [])
        self.figures = figures
        self.pause = pause
        self.rng = rng

    async def step(self, send: Callable[[], object], expect: str) -> Sent:
        await asyncio.sleep(self.pause * self.rng.uniform(0.5, 1.5))
        started = time.monotonic()
        resends = 0
        api, chat = self.api, self.chat
        while True:
            since = len(api.messages(chat))
            send()

            def arrived(since: int = since) -> list[Sent]:
                return [
                    m
                    for m in api.messages(chat)[since:]
                    if expect in (m.text or "") or ERROR_TEXT in (m.text or "")
                ]

            await api.wait_for(lambda: bool(arrived()), within=120, what=f"{expect!r} in {chat}")
            answer = arrived()[-1]
            if ERROR_TEXT not in (answer.text or ""):
                break
            resends += 1
            self.figures.error_replies += 1
            await asyncio.sleep(self.pause)  # "Prøv igen om lidt": a little later
        self.figures.steps.append(Step(started, time.monotonic() - started, resends))
        return answer


def start_bot(
    *, database_url: str, api: FakeBotApi, data_dir: Path, port: int, log: IO[str]
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "UNGEGUIDE_PORT": str(port),
    }
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "ungeguide", "run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def restart_when(
    server: PrivatePostgres, figures: Figures, *, after_steps: int, down: float
) -> None:
    # Polls a plain list the people append to; an Event would need every step to check it.
    while len(figures.steps) < after_steps:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    started = time.monotonic()
    await asyncio.to_thread(server.stop)
    await asyncio.sleep(down)
    await asyncio.to_thread(server.start)
    ended = time.monotonic()
    figures.outage = (started, ended)
    figures.outage_s = ended - started


async def run(*, people: int, down: float = 2.0, pause: float = 0.5, seed: int = 9) -> Figures:
    """Restart PostgreSQL once a third of the steps are done; returns the figures."""
    keys = os.environ.get("UNGEGUIDE_KEYS") or new_key()
    os.environ["UNGEGUIDE_KEYS"] = keys
    use_keyring(Keyring(keys.split(",")))
    figures = Figures(people)
    with (
        private_postgres() as server,
        tempfile.TemporaryDirectory(prefix="ungeguide-pgfault-run-") as folder,
    ):
        database = Database(server.url)
        database.upgrade()
        invited = invite_people(database, people + 2, prefix="P")
        _, last_code = invited.pop()
        _, reference_code = invited.pop()
        api = FakeBotApi().start()
        port = free_port()
        log_path = Path(folder) / "bot.log"
        with log_path.open("w") as log:
            bot = start_bot(
                database_url=server.url, api=api, data_dir=Path(folder), port=port, log=log
            )
        try:
            await api.wait_for(lambda: bool(api.commands), within=60, what="the bot to start")
            # The expected transcript: one check-in before any trouble.
            reference = FIRST_CHAT - 1
            await Person(api, reference, []).checkin(reference_code)
            await api.wait_idle(settle=0.5)
            expected = Counter(api.texts(reference))
            rng = random.Random(seed)
            steps_per_checkin = 10
            restart = asyncio.create_task(
                restart_when(
                    server, figures, after_steps=people * steps_per_checkin // 3, down=down
                )
            )
            started = time.monotonic()
            results = await asyncio.gather(
                *(
                    ResendingPerson(
                        api, FIRST_CHAT + n, figures, pause=pause, rng=random.Random(rng.random())
                    ).checkin(code)
                    for n, (_, code) in enumerate(invited)
                ),
                return_exceptions=True,
            )
            figures.elapsed_s = time.monotonic() - started
            await restart
            await api.wait_idle(settle=1.0, within=60)
            figures.stuck = sum(isinstance(r, BaseException) for r in results)
            figures.alive_after = bot.poll() is None
            # Still answering: one more young person joins after the restart.
            newcomer = FIRST_CHAT + people
            api.user_sends(newcomer, f"/start {last_code}")
            with contextlib.suppress(AssertionError):
                await api.wait_for_text(newcomer, "Er det okay", within=30)
                figures.answering_after = True
            async with httpx.AsyncClient(timeout=10) as client:
                login = await client.get(f"http://127.0.0.1:{port}/login")
                figures.answering_after &= login.status_code == 200
            for n in range(people):
                got = Counter(t for t in api.texts(FIRST_CHAT + n) if ERROR_TEXT not in t)
                figures.lost += sum((expected - got).values())
                figures.duplicated += sum((got - expected).values())
            figures.answers_stored, complete = stored_checkins(database, [p for p, _ in invited])
            figures.incomplete = people - complete
        finally:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(timeout=30)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
            api.stop()
            database.dispose()
            figures.log = log_path.read_text()
    return figures


def report(figures: Figures) -> str:
    during = figures.during_outage()
    before = [s.latency for s in figures.before_outage()]
    delayed = figures.delayed()
    return "\n".join(
        [
            f"people: {figures.people}; replies: {len(figures.steps)}; "
            f"run: {figures.elapsed_s:.1f} s",
            f"outage (stop -m fast → started again): {figures.outage_s:.2f} s",
            f"reply latency before the outage: p50 {percentile(before, 0.5) * 1000:.0f} ms, "
            f"max {max(before, default=0) * 1000:.0f} ms",
            f"replies waited for during the outage: {len(during)}; delayed: {len(delayed)}; "
            f"max latency {max((s.latency for s in during), default=0) * 1000:.0f} ms",
            f"error answers ('Prøv igen om lidt') followed by a resend: {figures.error_replies}",
            f"lost: {figures.lost}; duplicated: {figures.duplicated}; stuck people: "
            f"{figures.stuck}",
            f"answers stored: {figures.answers_stored} of {figures.people * WHO5_ITEMS}; "
            f"check-ins not completed: {figures.incomplete}",
            f"bot process alive after: {figures.alive_after}; answering after: "
            f"{figures.answering_after}; tracebacks in its log: "
            f"{figures.log.count('Traceback')}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--down", type=float, default=2.0, help="seconds the server is down")
    parser.add_argument("--pause", type=float, default=0.5, help="a person's mean think time")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    figures = asyncio.run(run(people=args.people, down=args.down, pause=args.pause, seed=args.seed))
    print(report(figures))


if __name__ == "__main__":
    main()
