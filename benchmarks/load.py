"""Load: whole check-ins through the real `ungeguide run`, against a bare echo bot, fairly.

    python -m benchmarks.load [--people 50] [--runs 3] [--database sqlite|postgresql|both]
                              [--database-url URL] [--profile FILE] [--json]

The bot runs as its own process: the real `python -m ungeguide run` (bot, dashboard and
scheduler, the embedded NLU loaded), polling the fake Bot API. The fake Bot API and N simulated
young people run in this process. Each person joins with an invite, consents and answers a
whole WHO-5 by buttons. The baseline is benchmarks/echo_bot.py, a minimal bot on
python-telegram-bot alone (nothing of this project imported), answering the same number of
updates from the same number of people against the same server, in the same run.

Polling, not the webhook, because the echo bot polls: both get their updates in the same way from
the same server, so the difference is the bot's own work. (The webhook under several processes
is measured by benchmarks/multiprocess.py.)

For each bot process: CPU seconds per update (user + system, from /proc, between the first
update and the last answer), reply latency p50/p95/p99 (from the update to the answer the person
waits for), time to ready, RSS idle after the start, median RSS under load, peak RSS (VmHWM).
Our bot counts as ready once /healthz names nothing still loading (it takes updates before its
NLU and dashboard are loaded; benchmarks/startup.py measures that start), so the figures under
load are the bot's with everything loaded.
Each figure is the median of --runs runs, and each ratio the median of the runs' ratios. The
order of the two bots alternates from run to run.

PostgreSQL: --database-url, else TEST_DATABASE_URL, else a server from the pgserver package;
its tables are dropped and made anew for each run. SQLite: a new file for each run.
--profile FILE samples our bot with py-spy (`pip install py-spy`) while the load runs, all its
threads, as folded stacks (the last run's); the figures of a profiled run are not comparable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import MetaData

from benchmarks.load_people import BenchBotApi, Walker
from benchmarks.procstat import cpu_seconds, memory
from bot.nlu.build import DEFAULT_NLU_DIR, TRAINING_SUBDIR
from bot.nlu.embedded import EmbeddedInterpreter
from domain.people import create_young_person, issue_invite
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import TOKEN, FakeBotApi, Sent
from ungeguide.settings import REPO_ROOT

FIRST_CHAT = 7_000_000
UPDATES_PER_PERSON = 10  # Person.echo (benchmarks/faults_telegram.py)
ECHO_BOT = Path(__file__).with_name("echo_bot.py")
START_WITHIN = 120.0  # seconds for a bot to start


class Person:
    """One simulated young person: an update, then the bot's answer, ten times."""

    def __init__(self, api: FakeBotApi, chat: int, latencies: list[float]) -> None:
        self.api, self.chat, self.latencies = api, chat, latencies

    async def step(self, send: Callable[[], object], expect: str) -> Sent:
        since = len(self.api.messages(self.chat))
        started = time.perf_counter()
        send()
        answer = await self.api.wait_for_text(self.chat, expect, since=since, within=300)
        self.latencies.append(time.perf_counter() - started)
        return answer

    async def checkin(self, code: str) -> None:
        api, chat = self.api, self.chat
        info = await self.step(lambda: api.user_sends(chat, f"/start {code}"), "Er det okay")
        offer = await self.step(lambda: api.user_presses(chat, info, "Ja, det er okay"), "første")
        question = await self.step(
            lambda: api.user_presses(chat, offer, "Ja, lad os prøve"), "Spørgsmål 1 af 5"
        )
        for number in range(2, 6):
            question = await self.answer(question, f"Spørgsmål {number} af 5")
        talk = await self.step(
            lambda: api.user_presses(chat, question, "Det meste af tiden"), "næste gang"
        )
        await self.step(lambda: api.user_presses(chat, talk, "Spring over"), "Vi ses")

    async def answer(self, question: Sent, expect: str) -> Sent:
        return await self.step(
            lambda: self.api.user_presses(self.chat, question, "Det meste af tiden"), expect
        )

    async def echo(self) -> None:
        for number in range(UPDATES_PER_PERSON):
            await self.step(partial(self.api.user_sends, self.chat, f"hej {number}"), f"{number}!")


@dataclass
class BotRun:
    """One bot process's figures from one run."""

    bot: str
    updates: int
    elapsed_s: float
    cpu_s: float
    ready_s: float
    idle_rss_mb: float
    load_rss_mb: float
    peak_rss_mb: float
    api_calls: int = 0  # the bot's calls that answer (sends, edits, button answers)
    fetched: int = 0  # updates in all getUpdates answers (re-reads of unconfirmed ones too)
    latencies: list[float] = field(default_factory=list, repr=False)

    def pct_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000

    def figures(self) -> dict[str, float]:
        return {
            "cpu_ms_per_update": self.cpu_s / self.updates * 1000,
            "p50_ms": self.pct_ms(0.50),
            "p95_ms": self.pct_ms(0.95),
            "p99_ms": self.pct_ms(0.99),
            "updates_per_s": self.updates / self.elapsed_s,
            "ready_s": self.ready_s,
            "idle_rss_mb": self.idle_rss_mb,
            "load_rss_mb": self.load_rss_mb,
            "peak_rss_mb": self.peak_rss_mb,
            "calls_per_update": self.api_calls / self.updates,
            "fetched_per_update": self.fetched / self.updates,
        }


ROWS = (
    ("cpu_ms_per_update", "CPU ms per update"),
    ("p50_ms", "latency p50 ms"),
    ("p95_ms", "latency p95 ms"),
    ("p99_ms", "latency p99 ms"),
    ("updates_per_s", "updates/s"),
    ("ready_s", "ready after s"),
    ("idle_rss_mb", "RSS idle MB"),
    ("load_rss_mb", "RSS under load MB"),
    ("peak_rss_mb", "peak RSS MB"),
    ("calls_per_update", "API calls/update"),
    ("fetched_per_update", "fetched/update"),
)


async def _measure(
    process: subprocess.Popen[str],
    ready: Callable[[], Awaitable[None]],
    drive: Callable[[list[float]], Awaitable[int]],
    api: BenchBotApi,
    *,
    bot: str,
    profile: Path | None = None,
) -> BotRun:
    """Wait until `process` is ready, let it settle, then drive the load and read /proc."""
    launched = time.perf_counter()
    await asyncio.wait_for(ready(), START_WITHIN)
    ready_s = time.perf_counter() - launched
    await asyncio.sleep(1.0)  # the scheduler's first rounds, the menu: the start is over
    idle = memory(process.pid)
    samples: list[float] = []

    async def sample() -> None:
        while True:
            samples.append(memory(process.pid).rss_mb)
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    spy = _py_spy(process.pid, profile) if profile else None
    latencies: list[float] = []
    calls_before, fetched_before = api.reply_calls(), api.fetched
    cpu_before, started = cpu_seconds(process.pid), time.perf_counter()
    try:
        updates = await drive(latencies)
    finally:
        sampler.cancel()
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file and ends
            await asyncio.to_thread(spy.wait, 60)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(process.pid) - cpu_before
    return BotRun(
        bot=bot,
        updates=updates,
        elapsed_s=elapsed,
        cpu_s=cpu,
        ready_s=ready_s,
        idle_rss_mb=idle.rss_mb,
        load_rss_mb=statistics.median(samples) if samples else idle.rss_mb,
        peak_rss_mb=memory(process.pid).peak_mb,
        api_calls=api.reply_calls() - calls_before,
        fetched=api.fetched - fetched_before,
        latencies=latencies,
    )


def _py_spy(pid: int, output: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling `pid` (250 Hz, without pausing it) into folded stacks: only the thread
    holding the GIL, so waits in SQLite or the kernel without it are not counted as work."""
    command = ["py-spy", "record", "--pid", str(pid), "--output", str(output)]
    command += ["--format", "raw", "--rate", "250", "--nonblocking", "--gil"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


@contextlib.contextmanager
def _running(
    command: list[str], env: dict[str, str], log: IO[str] | int
) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(  # noqa: S603 - our own commands
        command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)  # a clean stop, as Ctrl+C
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fresh_database(url: str | None, folder: Path) -> str:
    """A migrated, empty database: a new SQLite file in `folder`, or `url` with its tables
    dropped and made anew. (benchmarks/faults_kill.py has the same; it imports this module.)"""
    folder.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{folder / 'load.db'}"
    database = Database(url)
    try:
        tables = MetaData()
        tables.reflect(bind=database.engine)
        tables.drop_all(bind=database.engine)
        database.upgrade()
    finally:
        database.dispose()
    return url


def _invite(database_url: str, people: int) -> list[str]:
    database = Database(database_url)
    try:
        with database.session() as session:
            now = datetime.now(UTC)
            return [
                issue_invite(
                    session,
                    create_young_person(session, pseudonym=f"L{n}", birth_year=2007, now=now),
                    now=now,
                )
                for n in range(people)
            ]
    finally:
        database.dispose()


async def run_ours(
    people: int, database_url: str, *, data_dir: Path, profile: Path | None = None
) -> BotRun:
    """`python -m ungeguide run` on `database_url` (migrated and empty), polling a fake Bot API."""
    codes = _invite(database_url, people)
    api = BenchBotApi()
    api.start()
    api.attach(asyncio.get_running_loop())
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "UNGEGUIDE_PORT": str(port),
    }
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    command = [sys.executable, "-m", "ungeguide", "run"]

    async def ready() -> None:
        # Until /healthz answers and names no part still loading: the bot takes updates before
        # its NLU and dashboard are loaded, and that loading is the start's cost, not an update's.
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    health = await client.get(f"http://127.0.0.1:{port}/healthz")
                    if health.status_code == 200 and "loading" not in health.text:
                        return
                await asyncio.sleep(0.02)

    async def drive(latencies: list[float]) -> int:
        walkers = [Walker(api, FIRST_CHAT + n, latencies) for n in range(people)]
        await asyncio.gather(*(w.checkin(code) for w, code in zip(walkers, codes, strict=True)))
        return sum(w.updates for w in walkers)

    log_path = data_dir / "bot.log"
    try:
        with log_path.open("w") as log, _running(command, env, log) as process:
            return await _measure(process, ready, drive, api, bot="ours", profile=profile)
    except BaseException:
        print(log_path.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        api.stop()


async def run_echo(people: int, updates_per_person: int) -> BotRun:
    """benchmarks/echo_bot.py: the same people each sending `updates_per_person` texts."""
    api = BenchBotApi()
    api.start()
    api.attach(asyncio.get_running_loop())
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url}
    command = [sys.executable, str(ECHO_BOT)]

    async def drive(latencies: list[float]) -> int:
        walkers = [Walker(api, FIRST_CHAT + n, latencies) for n in range(people)]
        await asyncio.gather(*(w.echo(updates_per_person) for w in walkers))
        return sum(w.updates for w in walkers)

    try:
        with _running(command, env, subprocess.PIPE) as process:
            stdout = process.stdout
            assert stdout is not None  # noqa: S101 - a pipe was asked for

            async def ready() -> None:
                line = await asyncio.to_thread(stdout.readline)
                if line.strip() != "ready":
                    raise RuntimeError(f"the echo bot did not start: {line!r}")

            return await _measure(process, ready, drive, api, bot="echo")
    finally:
        api.stop()


async def compare(
    people: int, runs: int, database_url: str | None, *, folder: Path, profile: Path | None
) -> list[tuple[BotRun, BotRun]]:
    """`runs` pairs of (ours, echo); the order alternates, ours first in the first run."""
    data_dir = folder / "data"
    data_dir.mkdir(exist_ok=True)
    # The NLU model is trained (in a child process) before the first start is timed.
    EmbeddedInterpreter.from_path(DEFAULT_NLU_DIR / TRAINING_SUBDIR, cache_dir=data_dir / "cache")
    pairs: list[tuple[BotRun, BotRun]] = []
    per_person = 0
    for number in range(runs):
        url = fresh_database(database_url, folder / f"run{number}")
        bots: dict[str, BotRun] = {}
        for bot in ("ours", "echo") if number % 2 == 0 else ("echo", "ours"):
            if bot == "ours":
                bots[bot] = await run_ours(people, url, data_dir=data_dir, profile=profile)
                per_person = bots[bot].updates // people
            else:
                bots[bot] = await run_echo(people, per_person)
        pairs.append((bots["ours"], bots["echo"]))
        print(f"  run {number + 1}: " + _one_line(*pairs[-1]), file=sys.stderr)
    return pairs


def _one_line(ours: BotRun, echo: BotRun) -> str:
    a, b = ours.figures(), echo.figures()
    return (
        f"CPU {a['cpu_ms_per_update']:.2f} / {b['cpu_ms_per_update']:.2f} ms per update, "
        f"p95 {a['p95_ms']:.0f} / {b['p95_ms']:.0f} ms, {ours.updates} updates each"
    )


def summary(pairs: list[tuple[BotRun, BotRun]]) -> dict[str, dict[str, float]]:
    """Median figures of each bot, and the median of the runs' ratios ours ÷ echo."""
    ours = [o.figures() for o, _ in pairs]
    echo = [e.figures() for _, e in pairs]
    return {
        key: {
            "ours": statistics.median(o[key] for o in ours),
            "echo": statistics.median(e[key] for e in echo),
            "ratio": statistics.median(o[key] / e[key] for o, e in zip(ours, echo, strict=True)),
        }
        for key, _ in ROWS
    }


def print_table(name: str, people: int, pairs: list[tuple[BotRun, BotRun]]) -> None:
    table = summary(pairs)
    updates = pairs[0][0].updates
    print(f"\n{name}: {people} people, {updates} updates per bot, median of {len(pairs)} runs")
    print(f"{'':<20}{'ours':>10}{'echo bot':>10}{'ours ÷ echo':>13}")
    for key, label in ROWS:
        row = table[key]
        print(f"{label:<20}{row['ours']:>10.2f}{row['echo']:>10.2f}{row['ratio']:>13.2f}")


@contextlib.contextmanager
def postgres_url(given: str | None) -> Iterator[str]:
    """--database-url, else TEST_DATABASE_URL, else a pgserver server's scratch database."""
    if given:
        yield given
        return
    from tests.auxil.postgres import postgres_server, scratch_database

    with postgres_server() as server, scratch_database(server) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", default=None, help="a scratch PostgreSQL database")
    parser.add_argument(
        "--profile", type=Path, default=None, help="py-spy folded stacks of our bot"
    )
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    args = parser.parse_args()
    key = new_key()  # a throwaway key: the data is thrown away, too
    os.environ["UNGEGUIDE_KEYS"] = key
    use_keyring(Keyring([key]))
    results: dict[str, list[tuple[BotRun, BotRun]]] = {}
    with tempfile.TemporaryDirectory(prefix="ungeguide-load-") as temporary:
        folder = Path(temporary)
        if args.database in ("sqlite", "both"):
            print("SQLite", file=sys.stderr)
            results["SQLite"] = asyncio.run(
                compare(args.people, args.runs, None, folder=folder, profile=args.profile)
            )
        if args.database in ("postgresql", "both"):
            print("PostgreSQL", file=sys.stderr)
            with postgres_url(args.database_url or os.environ.get("TEST_DATABASE_URL")) as url:
                results["PostgreSQL"] = asyncio.run(
                    compare(args.people, args.runs, url, folder=folder, profile=args.profile)
                )
    for name, pairs in results.items():
        print_table(name, args.people, pairs)
    if args.json:
        dump = {
            name: [{"ours": asdict(o), "echo": asdict(e)} for o, e in pairs]
            for name, pairs in results.items()
        }
        print(json.dumps(dump))


if __name__ == "__main__":
    main()
