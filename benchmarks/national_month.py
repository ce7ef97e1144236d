"""A month at national scale on a simulated clock, against PostgreSQL (issue 20, point 5).

    python -m benchmarks.national_month [--people 43000] [--days 30] [--rate 30]
        [--answer-share 0.5] [--plan-every-hours 24] [--start 2026-03-01] [--database-url URL]

43,000 young people (see national_seed.py for their shape), each with a monthly WHO-5, a
quarterly BIP, two meetings and two agreements in the month. The real planner
(scheduler.runner.Planner, domain.checkins) and the real dispatcher (scheduler.dispatcher, with
its RateLimiter at 30 messages/s overall and 1/s per chat, batches of 200, 8 sends in flight,
polled every 2 s as scheduler.runner polls it) run on a simulated clock: an event loop whose time
jumps to the next timer when it would wait (virtual_time.py). The dispatcher's rate limiter reads
that clock, so the 30 messages/s are simulated seconds and database work costs no simulated
time. The channel is a set of simulated young people who read the buttons of what they get and
answer a share of it (FakePeople). Without --database-url it starts a PostgreSQL server from the
pgserver package, like the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import time as wall
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from benchmarks.national_measure import (
    PART,
    DailyFigures,
    OutboxRecord,
    StatementTimes,
    database_bytes,
    describe_waves,
    outbox_record,
    percentile,
    span,
)
from benchmarks.national_people import FakePeople, Shares, apply_answers
from benchmarks.national_seed import seed_month, seed_people
from benchmarks.virtual_time import VirtualTimeLoop
from bot.service.reminders import reminder_composer
from core.content import Content, load_content
from core.locale import TIMEZONE
from domain.reminder_timing import at_local, local_date
from scheduler.dispatcher import Dispatcher
from scheduler.ratelimit import RateLimiter
from scheduler.runner import DISPATCH_EVERY_SECONDS, Planner
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import (
    Reminder,
    ReminderStatus,
)
from ungeguide.settings import REPO_ROOT


@dataclass
class Run:
    peak_backlog: int = 0
    peak_at: datetime | None = None
    plan_walls: list[float] = field(default_factory=list)
    ticks: int = 0
    final_backlog: int = 0
    days: float = 0.0  # simulated days run (fewer than asked when stopped by the wall clock)


def _backlog(database: Database, now: datetime) -> int:
    with database.session() as session:
        return (
            session.scalar(
                select(func.count()).where(
                    Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now
                )
            )
            or 0
        )


def _next_due(database: Database) -> datetime | None:
    with database.session() as session:
        return session.scalar(
            select(func.min(Reminder.due_at)).where(Reminder.status == ReminderStatus.PENDING)
        )


async def simulate(
    database: Database,
    content: Content,
    *,
    start: datetime,
    days: float,
    rate: float,
    plan_every: timedelta,
    shares: Shares,
    rng: random.Random,
    progress: bool = False,
    wall_limit: float | None = None,
) -> tuple[Run, FakePeople]:
    """Run planner and dispatcher from `start` for `days` simulated days, or to the first
    midnight after `wall_limit` seconds of wall time."""
    loop = asyncio.get_running_loop()
    origin = loop.time()

    def clock() -> datetime:
        return start + timedelta(seconds=loop.time() - origin)

    people = FakePeople(loop, clock, rng, shares, rate)
    dispatcher = Dispatcher(
        database,
        reminder_composer(content),
        people,
        clock=clock,
        limiter=RateLimiter(overall=rate, per_chat=1.0, monotonic=loop.time),
    )
    planner = Planner(database, content, clock=clock)
    run, end, next_plan = Run(), start + timedelta(days=days), start
    day = local_date(start)
    daily = DailyFigures(start=start, began=wall.perf_counter())
    while clock() < end:
        now = clock()
        if wall_limit is not None and wall.perf_counter() - daily.began > wall_limit:
            wall_limit, midnight = None, at_local(local_date(now) + timedelta(days=1), time(0, 0))
            end = min(end, midnight)
            print(
                "  wall limit reached: the run ends at "
                f"{midnight.astimezone(TIMEZONE):%d %b %H.%M}",
                flush=True,
            )
        PART.set("harness")
        # Answers wait for the next poll (or planner run), each stored at its own moment: no
        # poll runs for an answer alone, and none is needed, as an answer adds no due row.
        answers = people.due(loop.time())
        apply_answers(
            database,
            content,
            [(start + timedelta(seconds=a.at - origin), a) for a in answers],
            rng=rng,
        )
        if now >= next_plan:
            began = wall.perf_counter()
            PART.set("planner")
            planner.plan()
            run.plan_walls.append(wall.perf_counter() - began)
            next_plan += plan_every
        PART.set("harness")
        backlog = _backlog(database, now)
        if backlog > run.peak_backlog:
            run.peak_backlog, run.peak_at = backlog, now
        if progress and local_date(now) != day:
            day = local_date(now)
            print(daily.line(database, now, people.sent, run), flush=True)
        PART.set("dispatcher")
        await dispatcher.dispatch_once()
        run.ticks += 1
        PART.set("harness")
        target = clock()
        if not backlog and _backlog(database, clock()) == 0:
            upcoming = [end, next_plan]
            if (due := _next_due(database)) is not None:
                upcoming.append(due)
            target = max(target, min(upcoming))
        # The dispatcher is polled every 2 s; a poll while it runs is skipped (coalesce).
        elapsed = (target - start).total_seconds()
        step = DISPATCH_EVERY_SECONDS
        await asyncio.sleep((elapsed // step + 1) * step - (loop.time() - origin))
    PART.set("harness")
    answers = people.due(loop.time())
    apply_answers(
        database, content, [(start + timedelta(seconds=a.at - origin), a) for a in answers], rng=rng
    )
    run.final_backlog = _backlog(database, clock())
    run.days = (end - start).total_seconds() / 86_400
    return run, people


# On the benchmark's own throwaway server: a commit does not wait for its WAL to reach the
# disk, and a pooled connection is not pinged before each transaction. Both cost wall time
# only (no statement the product issues changes, and simulated time ignores database work).
FAST_SERVER: dict[str, Any] = {
    "pool_pre_ping": False,
    "connect_args": {"options": "-c synchronous_commit=off"},
}


def _stop(*_: object) -> None:
    raise SystemExit("stopped")


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """The given database, or a fresh one on a pgserver PostgreSQL (as the tests start it)."""
    if url:
        yield url
        return
    from tests.auxil.postgres import postgres_server, scratch_database

    with postgres_server() as server, scratch_database(server) as scratch:
        yield scratch


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=43_000)
    parser.add_argument("--days", type=float, default=30, help="simulated days to run")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2026, 3, 1),
        help="first day (Copenhagen); default a Sunday, so the next is a whole weekday",
    )
    parser.add_argument("--rate", type=float, default=30.0, help="messages per second overall")
    parser.add_argument(
        "--plan-every-hours",
        type=float,
        default=24.0,
        help="planner interval in simulated time (production: 5 minutes)",
    )
    parser.add_argument(
        "--answer-share",
        type=float,
        default=None,
        help="share of invitations answered (default 0.5, plus 0.2 of nudges)",
    )
    parser.add_argument("--database-url", default=None, help="default: pgserver PostgreSQL")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument(
        "--stop-after-minutes",
        type=float,
        default=None,
        help="wall time: end the run at the next simulated midnight after it, with its figures",
    )
    args = parser.parse_args()
    shares = Shares() if args.answer_share is None else Shares(invite=args.answer_share)
    use_keyring(Keyring([new_key()]))  # throwaway data, throwaway key
    signal.signal(signal.SIGTERM, _stop)  # unwind, so the pgserver server is stopped too
    with postgres(args.database_url) as url:
        database = Database(url, **({} if args.database_url else FAST_SERVER))
        if not args.database_url:
            print("benchmark server: synchronous_commit off, no pre-ping (wall time only)")
        database.upgrade()
        content = load_content(REPO_ROOT / "dialogues")
        outcome = run_month(
            database,
            content,
            people=args.people,
            start=at_local(args.start, time(0, 0)),
            days=args.days,
            rate=args.rate,
            shares=shares,
            plan_every=timedelta(hours=args.plan_every_hours),
            rng=random.Random(args.seed),
            progress=True,
            wall_limit=None if args.stop_after_minutes is None else args.stop_after_minutes * 60,
        )
        database.dispose()
    print_figures(outcome, rate=args.rate)


@dataclass(frozen=True)
class Outcome:
    backend: str
    people: int
    days: float
    run: Run
    fake: FakePeople
    record: OutboxRecord
    base: dict[str, int]
    after: dict[str, int]
    times: StatementTimes
    wall_seconds: float


def run_month(
    database: Database,
    content: Content,
    *,
    people: int,
    start: datetime,
    days: float,
    rate: float,
    shares: Shares,
    plan_every: timedelta,
    rng: random.Random,
    progress: bool = False,
    wall_limit: float | None = None,
) -> Outcome:
    """Seed, run the simulated days, and gather what they did (a month's plans are seeded
    whatever `days` is, so a short run sees a normal day's share of them)."""
    began = wall.perf_counter()
    ids = seed_people(database, content, people=people, start=start, rng=rng)
    base = database_bytes(database)
    seed_month(database, ids, start=start, days=30, rng=rng)
    with database.engine.connect() as connection:  # fresh statistics, as autovacuum keeps them
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    if progress:
        print(
            f"seeded {people} young people in {wall.perf_counter() - began:.0f} s; database "
            f"{sum(base.values()) / 1e6:.0f} MB before the month's plans, "
            f"{sum(database_bytes(database).values()) / 1e6:.0f} MB with them",
            flush=True,
        )
    times = StatementTimes()
    times.listen(database.engine)
    loop = VirtualTimeLoop()
    began = wall.perf_counter()
    try:
        run, fake = loop.run_until_complete(
            simulate(
                database,
                content,
                start=start,
                days=days,
                rate=rate,
                plan_every=plan_every,
                shares=shares,
                rng=rng,
                progress=progress,
                wall_limit=wall_limit,
            )
        )
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
    return Outcome(
        backend="SQLite" if database.is_sqlite else "PostgreSQL",
        people=people,
        days=run.days,
        run=run,
        fake=fake,
        record=outbox_record(database, start=start, end=start + timedelta(days=run.days)),
        base=base,
        after=database_bytes(database),
        times=times,
        wall_seconds=wall.perf_counter() - began,
    )


def print_figures(outcome: Outcome, *, rate: float) -> None:
    people, days, run, fake = outcome.people, outcome.days, outcome.run, outcome.fake
    record, base, after, times = outcome.record, outcome.base, outcome.after, outcome.times
    backend, wall_seconds = outcome.backend, outcome.wall_seconds
    grown = {t: after[t] - base.get(t, 0) for t in after}
    total = sum(grown.values())
    year = 365 / days
    reminders = grown.get("reminder", 0)
    # Retention prunes finished reminders after 90 days: a year keeps about 90 days of them.
    kept = (total - reminders) * year + reminders * min(year, 90 / days)
    delays = record.delays
    print(f"database:            {backend}, {people} young people, {days:g} simulated days")
    print(f"wall time:           {wall_seconds:.0f} s for the simulation, {run.ticks} polls")
    print(
        f"planner runs:        {len(run.plan_walls)}, wall {min(run.plan_walls):.1f}-"
        f"{max(run.plan_walls):.1f} s each"
    )
    print(f"outbox rows due:     {dict(sorted(record.statuses.items()))}")
    print(
        f"sent:                {fake.sent} messages; over {rate:g}/s in any second: "
        f"{fake.over_rate}; in quiet hours: {fake.quiet_sends} (rows: {record.quiet_sends}); "
        f"sent twice: {record.resent}"
    )
    print(
        f"peak backlog:        {run.peak_backlog} pending due rows at "
        f"{run.peak_at and run.peak_at.astimezone(TIMEZONE):%d %b %H.%M}; at the end: "
        f"{run.final_backlog}"
    )
    print(
        f"delay behind due:    worst {span(delays[-1] if delays else 0)} ({record.worst_kind}),"
        f" p99 {span(percentile(delays, 0.99))}, p50 {span(percentile(delays, 0.5))}"
    )
    print(f"16.00 check-ins:     {describe_waves(record.waves)}")
    if days >= 28:
        print(
            f"database growth:     {total / 1e6:.1f} MB in the run, {total / people / 1024:.1f} kB"
            f" a young person; a year: {kept / people / 1024:.0f} kB a young person (x{year:.1f},"
            f" reminders kept 90 days), {kept / people * 43_000 / 1e9:.2f} GB for 43,000"
        )
    else:  # a whole month's plans were seeded: growth over fewer days is no month's growth
        print(f"database growth:     {total / 1e6:.1f} MB (a month's plans, {days:g} days run)")
    print(
        "  by table (MB):     "
        + ", ".join(f"{t} {g / 1e6:.1f}" for t, g in sorted(grown.items(), key=lambda i: -i[1])[:6])
    )
    for by in ("mean", "slowest", "total"):
        print(f"{by} statements (planner, dispatcher):")
        for part, line in times.top(by=by, parts=("planner", "dispatcher")):
            print(f"  [{part}] {line}")


if __name__ == "__main__":
    main()
