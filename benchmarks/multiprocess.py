"""Several `ungeguide run` processes in webhook mode behind one proxy, on one PostgreSQL.

N real bot processes (`python -m ungeguide run`) share one database, one TELEGRAM_WEBHOOK_SECRET
and one webhook URL: a small proxy (testing/spreading_proxy.py) that sends each request to a
process chosen at random, and tries another one when a process refuses the connection. The
benchmark plays Telegram (benchmarks/multiprocess_telegram.py): it POSTs each young person's
updates through the proxy, one chat's one at a time as Telegram does, and the bots reply to
the fake Bot API. Simulated young people join, accept and answer a whole WHO-5 by buttons,
each with their own intended answers, and send the next thing only after seeing the reply.
Meanwhile meeting reminders for other young people come due, spread over the run, and every
process's dispatcher competes for them.

With --kills, a process chosen at random gets SIGKILL at a random moment and is started again
(on a new port the proxy is told about) after a short pause.

Checked afterwards from the database and the fake server: every intended answer stored once,
in the order of the questions; every update handled; each reminder delivered exactly once.

    python -m benchmarks.multiprocess [--processes 3] [--people 50] [--database-url URL]

Without --database-url the run uses a private PostgreSQL server (benchmarks/faults_postgres.py);
a given database has its tables dropped and made anew. Runs once calm and once with a SIGKILL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from benchmarks.faults_kill import fresh_database
from benchmarks.faults_kill_people import FIRST_CHAT, QUESTIONNAIRE, Tally, invite
from benchmarks.faults_postgres import private_postgres
from benchmarks.multiprocess_cluster import Cluster
from benchmarks.multiprocess_report import (
    REMINDER_CHAT,
    MultiReport,
    check_answers,
    reminder_deliveries,
)
from benchmarks.multiprocess_telegram import TimedPerson
from core.content import load_content
from storage import Database, ProcessedUpdate
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import Meeting, PersonStatus, Reminder, YoungPerson
from testing.seed import INFORMATION_VERSION
from ungeguide.settings import REPO_ROOT


def seed_reminders(
    database: Database, *, people: int, per_person: int, start: datetime, spread: float
) -> None:
    """Active, linked young people with a meeting per reminder, due spread over `spread` s."""
    rng = random.Random(7)
    with database.session() as session:
        for n in range(people):
            person = YoungPerson(
                pseudonym=f"R{n}",
                birth_year=2007,
                status=PersonStatus.ACTIVE,
                created_at=start,
                telegram_chat_id=REMINDER_CHAT + n,
                information_version=INFORMATION_VERSION,
                information_accepted_at=start,
            )
            session.add(person)
            session.flush()
            for k in range(per_person):
                meeting = Meeting(
                    young_person_id=person.id,
                    kind="individual",
                    starts_at=start + timedelta(hours=3 + k),
                    place="Ungehuset",
                    participants="",
                    agenda="",
                    status="planned",
                    created_at=start,
                )
                session.add(meeting)
                session.flush()
                session.add(
                    Reminder(
                        young_person_id=person.id,
                        kind="meeting_soon",
                        subject=f"meeting:{meeting.id}",
                        due_at=start + timedelta(seconds=rng.uniform(0, spread)),
                        latest_at=start + timedelta(hours=1),
                        status="pending",
                        attempts=0,
                        dedup_key=f"multi:{meeting.id}",
                    )
                )


async def _killer(
    cluster: Cluster,
    tally: Tally,
    marks: list[int],
    rng: random.Random,
    report: MultiReport,
    people: list[TimedPerson],
) -> None:
    for mark in marks:
        # Polls counters the people update; an Event would need every step to set it.
        while tally.replies < mark and not all(p.finished for p in people):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        if all(p.finished for p in people):
            return
        victim = rng.randrange(len(cluster.bots))
        await cluster.kill(victim)
        report.kills += 1
        await asyncio.sleep(rng.uniform(0.1, 0.5))
        await cluster.restart(victim)
        report.restarts += 1


async def run(
    database_url: str,
    *,
    processes: int,
    people: int,
    kills: int,
    workdir: Path,
    seed: int = 1,
    reminder_people: int | None = None,
    per_person: int = 2,
    spread: float = 10.0,
    patience: float = 5.0,
    within: float = 300.0,
) -> MultiReport:
    """`database_url`: a migrated, empty PostgreSQL database; UNGEGUIDE_KEYS must be set."""
    rng = random.Random(seed)
    content = load_content(REPO_ROOT / "dialogues")
    questionnaire = content.questionnaires[QUESTIONNAIRE]
    values = [option.value for option in questionnaire.scale]
    report = MultiReport(processes=processes, people=people)
    database = Database(database_url)
    invited = invite(database, people)
    intended = [{item.id: rng.choice(values) for item in questionnaire.items} for _ in invited]
    cluster = Cluster(database_url, processes=processes, workdir=workdir, seed=seed)
    persons: list[TimedPerson] = []
    try:
        await cluster.start()
        api = cluster.api
        persons.extend(
            TimedPerson(
                api,
                content,
                FIRST_CHAT + n,
                code,
                intended[n],
                report.tally,
                patience=patience,
                pace=0.05,
                rng=random.Random(rng.random()),
            )
            for n, (_, code) in enumerate(invited)
        )
        start = datetime.now(UTC)
        seed_reminders(
            database,
            people=reminder_people if reminder_people is not None else people,
            per_person=per_person,
            start=start,
            spread=spread,
        )
        steps = people * (5 + len(questionnaire.items))
        marks = sorted(rng.sample(range(steps // 5, max(steps // 5 + 1, steps * 3 // 5)), kills))
        killer = asyncio.create_task(_killer(cluster, report.tally, marks, rng, report, persons))
        started = time.monotonic()

        async def one(person: TimedPerson) -> None:
            try:
                await person.checkin(within=within)
            finally:
                person.finished = True

        results = await asyncio.gather(*(one(p) for p in persons), return_exceptions=True)
        report.elapsed_s = time.monotonic() - started
        await killer
        problems = [r for r in results if isinstance(r, BaseException)]
        report.stuck, report.problems = len(problems), [str(p) for p in problems[:5]]
        try:
            await api.drain(within=120)
        except AssertionError as error:  # reported, with what the logs and database say
            report.problems.append(str(error))
        report.undelivered = api.undelivered()
        await _reminders_settled(database, start + timedelta(seconds=spread), within=120)
        await api.wait_idle(settle=1.0, within=60)
        report.webhook_calls = api.calls.count("setWebhook")
        report.webhook_same = cluster.webhook_same()
    finally:
        await cluster.stop()
    try:
        people_meant = [(p, intended[n]) for n, (p, _) in enumerate(invited)]
        items = [item.id for item in questionnaire.items]
        check_answers(database, people_meant, items, report)
        report.answers_expected = sum(len(i) for i in intended)
        with database.session() as session:
            handled = set(session.scalars(select(ProcessedUpdate.update_id)))
        reminder_deliveries(database, cluster.api, report)
    finally:
        database.dispose()
    api = cluster.api
    report.updates = len(api.delivered)
    report.updates_dropped = sum(number not in handled for number in api.pushed)
    report.order_problems = api.order_problems
    report.failed_deliveries, report.failures = api.failed_deliveries, dict(api.failures)
    report.refused, report.dropped = cluster.proxy.refused, cluster.proxy.dropped
    report.spread = sorted(cluster.proxy.forwarded.values())
    report.latencies = [s for p in persons for s in p.step_latencies()]
    report.handling_s = list(api.delivery_s)
    report.tracebacks, report.stop_tracebacks = cluster.tracebacks()
    return report


async def _reminders_settled(database: Database, last_due: datetime, *, within: float) -> None:
    """Until every seeded reminder is due and none waits to be sent (claimed ones may stay)."""
    deadline = time.monotonic() + within
    while True:
        with database.session() as session:
            waiting = session.scalars(
                select(Reminder.id)
                .where(Reminder.status == "pending", Reminder.dedup_key.like("multi:%"))
                .limit(1)
            ).first()
        if waiting is None and datetime.now(UTC) > last_due:
            return
        if time.monotonic() > deadline:
            raise AssertionError("reminders still waiting to be sent")
        await asyncio.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--kills", type=int, default=1, help="SIGKILLs in the second run")
    parser.add_argument("--database-url", default=None, help="default: a private PostgreSQL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--patience", type=float, default=30.0, help="seconds a person waits before trying again"
    )
    args = parser.parse_args()
    key = os.environ.get("UNGEGUIDE_KEYS") or new_key()
    os.environ["UNGEGUIDE_KEYS"] = key
    use_keyring(Keyring(key.split(",")))
    ok = True
    with private_postgres() as server:
        for title, kills in (("calm", 0), (f"with {args.kills} SIGKILL", args.kills)):
            folder = Path(tempfile.mkdtemp(prefix="ungeguide-multi-"))
            url = fresh_database(args.database_url or server.url, folder)
            report = asyncio.run(
                run(
                    url,
                    processes=args.processes,
                    people=args.people,
                    kills=kills,
                    workdir=folder,
                    seed=args.seed,
                    patience=args.patience,
                )
            )
            print(f"--- {title} ---", flush=True)
            print(report, flush=True)
            if report.faultless():
                shutil.rmtree(folder)
            else:
                print(f"the processes' logs are kept in {folder}", flush=True)
                ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
