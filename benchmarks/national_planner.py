"""The planner's pass and the dispatcher's idle poll at national size, on PostgreSQL.

    python3 -m benchmarks.national_planner [--people 43000] [--passes 3] [--database-url URL]

Seeds the national month's young people and their month of meetings and agreements
(benchmarks/national_seed.py, as `make bench-national` does), then times the real `Planner`
(scheduler/runner.py) pass after pass, 5 simulated minutes apart as `ungeguide run` runs it: the
first pass plans everyone's next WHO-5 and BIP (invitation and nudge), the later ones find
nothing new. Between passes it times the real `Dispatcher` poll at a moment nothing is due (the
lateness check, the reclaim and the claim).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time as wall
from datetime import date, datetime, time, timedelta

from benchmarks.national_month import postgres
from benchmarks.national_seed import seed_month, seed_people
from bot.service.reminders import reminder_composer
from core.content import Content, load_content
from domain.reminder_timing import at_local
from scheduler.dispatcher import Dispatcher
from scheduler.runner import Planner
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from ungeguide.settings import REPO_ROOT

# 02.00 on the month's first day: nothing is due for hours, so a poll finds nothing to send.
START = at_local(date(2026, 3, 1), time(2, 0))


class _Nobody:
    async def send(self, person_id: int, chat_id: int | None, messages: tuple[object, ...]) -> None:
        raise AssertionError("nothing is due at 02.00")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=43_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--polls", type=int, default=15)
    parser.add_argument("--database-url", default=None, help="default: pgserver PostgreSQL")
    args = parser.parse_args()
    use_keyring(Keyring([new_key()]))  # throwaway data, throwaway key
    with postgres(args.database_url) as url:
        database = Database(url)
        try:
            database.upgrade()
            content = load_content(REPO_ROOT / "dialogues")
            began = wall.perf_counter()
            rng = random.Random(20)
            ids = seed_people(database, content, people=args.people, start=START, rng=rng)
            seed_month(database, ids, start=START, days=30, rng=rng)
            with database.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            print(f"seeded {args.people} young people in {wall.perf_counter() - began:.0f} s")
            moment = START
            planner = Planner(database, content, clock=lambda: moment)
            for number in range(1, args.passes + 1):
                began = wall.perf_counter()
                added = planner.plan()
                print(
                    f"planner pass {number}: {wall.perf_counter() - began:.1f} s, "
                    f"{added} rows added"
                )
                polls = _idle_polls(database, content, moment, runs=args.polls)
                print(
                    f"  dispatcher idle poll: median {statistics.median(polls) * 1000:.1f} ms "
                    f"(fastest {min(polls) * 1000:.1f}, {len(polls)} polls)"
                )
                moment += timedelta(minutes=5)
        finally:
            database.dispose()


def _idle_polls(
    database: Database, content: Content, moment: datetime, *, runs: int
) -> list[float]:
    dispatcher = Dispatcher(
        database,
        reminder_composer(content),
        _Nobody(),
        clock=lambda: moment,
    )

    async def poll() -> list[float]:
        timings = []
        for _ in range(runs):
            began = wall.perf_counter()
            report = await dispatcher.dispatch_once()
            timings.append(wall.perf_counter() - began)
            assert report.sent == 0  # noqa: S101 - the premise: nothing is due
        return timings

    return asyncio.run(poll())


if __name__ == "__main__":
    main()
