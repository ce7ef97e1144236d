"""SIGKILL of the bot at random points during N simulated check-ins, with restarts.

The bot runs as a real process (`python -m ungeguide run`) against the fake Bot API on
loopback, which lives in this process and so survives every kill: what the young people send
while the bot is dead waits there, as it would at Telegram. Simulated young people join with
their invite, accept, and answer a whole WHO-5 by buttons, each with their own intended answers.
At seeded random moments, spread over the run by the number of replies so far, the bot gets
SIGKILL (no clean-up, no flush), stays dead for a moment and is started again.

A young person reacts to the newest message with buttons that arrived after what they did last.
Without one within `patience` seconds they try again the way a person would without typing
an answer twice: first the same press (or `/start <code>`) again, then `/tjek` to resume. A
typed "4" is never resent: it would answer whatever question is current by then.

Afterwards the stored answers are compared with what each person meant: lost (an intended
answer not stored), duplicated (a second row for an item, or a second questionnaire response),
wrong (a stored value that was not meant), and check-ins completed. Every update the fake
server handed out must be handled in the end: the bot confirms an update to Telegram only once
it is handled, so what a kill interrupts is delivered again after the restart.

    python -m benchmarks.faults_kill [--checkins 200] [--kills 10] [--database-url URL] [--seed N]

Without --database-url the database is a fresh SQLite file in a temporary folder; a given
database (a scratch PostgreSQL one) has its tables dropped and created again first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import MetaData, select

from benchmarks.faults_kill_people import (
    FIRST_CHAT,
    QUESTIONNAIRE,
    KillBotApi,
    KillPerson,
    Tally,
    invite,
)
from benchmarks.faults_kill_report import KillReport, count_stored, recovery
from benchmarks.faults_postgres import free_port, start_bot
from core.content import load_content
from storage import Database, ProcessedUpdate
from storage.crypto import Keyring, new_key, use_keyring
from ungeguide.settings import REPO_ROOT


async def _killer(
    bot: list[subprocess.Popen[str]],
    restart: Callable[[], subprocess.Popen[str]],
    api: KillBotApi,
    tally: Tally,
    people: list[KillPerson],
    marks: list[int],
    rng: random.Random,
    report: KillReport,
    events: list[tuple[float, float, list[KillPerson]]],
) -> None:
    """At each mark (replies so far), SIGKILL the bot, wait a moment and start it again."""

    def done() -> bool:
        return all(p.finished for p in people)

    def answered_since_restart() -> bool:
        return not events or bool(api.replies_at and api.replies_at[-1] > events[-1][1])

    for mark in marks:
        # Polls counters the people update; an Event would need every step to set it.
        while tally.replies < mark and not done():  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        # Not before the bot answered after the last restart: kills during start-up alone
        # would test nothing of the check-ins.
        while not answered_since_restart() and not done():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        if done():
            return
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        waiting = [p for p in people if p.waiting and not p.finished]
        killed_at = time.monotonic()
        os.kill(bot[0].pid, signal.SIGKILL)
        await asyncio.to_thread(bot[0].wait, 30)
        report.kills += 1
        report.interrupted += len(waiting)
        await asyncio.sleep(rng.uniform(0.1, 0.5))
        bot[0] = restart()
        report.restarts += 1
        events.append((killed_at, time.monotonic(), waiting))


async def run(
    database_url: str,
    *,
    checkins: int,
    kills: int,
    seed: int = 1,
    workdir: Path,
    concurrency: int = 25,
    patience: float = 2.0,
    pace: float = 0.05,
    within: float = 300.0,
) -> KillReport:
    """Run `checkins` check-ins through a bot process that gets `kills` SIGKILLs.

    `database_url` must point to a migrated, empty database; UNGEGUIDE_KEYS in the environment
    must hold the key this process uses (the bot process inherits it).
    """
    started = time.monotonic()
    rng = random.Random(seed)
    content = load_content(REPO_ROOT / "dialogues")
    questionnaire = content.questionnaires[QUESTIONNAIRE]
    values = [option.value for option in questionnaire.scale]
    report = KillReport(
        "PostgreSQL" if database_url.startswith("postgresql") else "SQLite", checkins
    )
    database = Database(database_url)
    api = KillBotApi()
    api.start()
    tally = report.tally
    invited = invite(database, checkins)
    intended = [{item.id: rng.choice(values) for item in questionnaire.items} for _ in invited]
    people = [
        KillPerson(
            api,
            content,
            FIRST_CHAT + n,
            code,
            intended[n],
            tally,
            patience=patience,
            pace=pace,
            rng=random.Random(rng.random()),
        )
        for n, (_, code) in enumerate(invited)
    ]
    # Replies per check-in: info, offer, before, 5 questions, talk, goodbye.
    steps = checkins * (5 + len(questionnaire.items))
    marks = sorted(rng.sample(range(max(1, steps // 20), max(2, steps * 9 // 10)), kills))
    log_path = workdir / "bot.log"
    events: list[tuple[float, float, list[KillPerson]]] = []
    with log_path.open("a") as log:

        def restart() -> subprocess.Popen[str]:
            # A fresh port each start: the dead process's may linger.
            return start_bot(
                database_url=database_url, api=api, data_dir=workdir, port=free_port(), log=log
            )

        bot = [restart()]
        gate = asyncio.Semaphore(concurrency)

        async def one(person: KillPerson) -> None:
            try:
                async with gate:
                    await person.checkin(within=within)
            finally:
                person.finished = True  # done or given up: no longer under way

        try:
            await api.wait_for(lambda: bool(api.commands), within=60, what="the bot to start")
            killer = asyncio.create_task(
                _killer(bot, restart, api, tally, people, marks, rng, report, events)
            )
            results = await asyncio.gather(*(one(p) for p in people), return_exceptions=True)
            await killer  # it ends once everyone is done, after a restart it began
            problems = [r for r in results if isinstance(r, BaseException)]
            report.stuck = len(problems)
            report.problems = [str(p) for p in problems[:5]]
            await api.wait_idle(settle=1.0, within=60)
        finally:
            if bot[0].poll() is None:
                os.kill(bot[0].pid, signal.SIGKILL)
            bot[0].wait(timeout=30)
            api.stop()
    try:
        count_stored(database, [(p, intended[n]) for n, (p, _) in enumerate(invited)], report)
        report.answers_expected = sum(len(i) for i in intended)
        with database.session() as session:
            handled = set(session.scalars(select(ProcessedUpdate.update_id)))
    finally:
        database.dispose()
    report.updates = len(api.pushed)
    report.cut_off = api.cut_off
    report.updates_dropped = sum(number not in handled for number in api.pushed)
    stale = content.texts.stale_button
    report.stale_notices = sum(a.get("text") == stale for a in api.callback_answers)
    resumed = content.texts.checkin.resumed.split("{")[0]
    report.resumed = sum(resumed in (m.text or "") for m in api.sent)
    recovery(api, events, report)
    report.tracebacks = log_path.read_text().count("Traceback")
    report.elapsed_s = time.monotonic() - started
    return report


def fresh_database(url: str | None, folder: Path) -> str:
    """A migrated, empty database: a new SQLite file, or `url` with its tables made anew."""
    url = url or f"sqlite:///{folder / 'kill.db'}"
    database = Database(url)
    try:
        tables = MetaData()  # a given database starts empty each time
        tables.reflect(bind=database.engine)
        tables.drop_all(bind=database.engine)
        database.upgrade()
    finally:
        database.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkins", type=int, default=200)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=25, help="check-ins under way at once")
    args = parser.parse_args()
    key = new_key()  # a throwaway key: the data is thrown away, too
    os.environ["UNGEGUIDE_KEYS"] = key
    use_keyring(Keyring([key]))
    with tempfile.TemporaryDirectory(prefix="ungeguide-kill-") as folder:
        url = fresh_database(args.database_url, Path(folder))
        report = asyncio.run(
            run(
                url,
                checkins=args.checkins,
                kills=args.kills,
                seed=args.seed,
                workdir=Path(folder),
                concurrency=args.concurrency,
            )
        )
    print(report)
    faults = (report.lost, report.duplicated, report.wrong, report.stuck, report.updates_dropped)
    ok = faults == (0, 0, 0, 0, 0)
    sys.exit(0 if ok and report.completed == report.checkins else 1)


if __name__ == "__main__":
    main()
