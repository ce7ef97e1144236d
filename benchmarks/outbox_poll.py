"""The dispatcher's idle poll on a national-size outbox, with and without `ix_reminder_late`.

    python3 -m benchmarks.outbox_poll [--pending 615000] [--sent 91000] [--runs 15]

A scratch PostgreSQL database (pgserver, as the tests start it) gets the schema and an outbox the
size of the national month's after its first planner tick: `--pending` rows due over the next 30
days and `--sent` rows sent over the last 30. Nothing is due, so `Dispatcher.dispatch_once` does
only what every 2-s poll does when idle: the lateness check, the reclaim and the claim. It prints
the median poll time with the index (migration 0013) and without it (dropped, as before 0013),
measured in the same run, and the plan PostgreSQL chooses for the lateness check.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time as wall
from datetime import UTC, datetime

from sqlalchemy import text

from domain.people import create_young_person
from scheduler.dispatcher import Dispatcher
from storage import Database

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

_FILL = """
INSERT INTO reminder (young_person_id, kind, subject, due_at, latest_at, status, attempts,
                      dedup_key, sent_at)
SELECT :person, 'checkin_invite', 'checkin:who5',
       :now + (:sign * (n * interval '30 days') / :count) + :sign * interval '1 minute',
       :now + (:sign * (n * interval '30 days') / :count) + :sign * interval '1 minute'
            + interval '2 hours',
       :status, 0, :prefix || n::text, CAST(:sent_at AS timestamptz)
FROM generate_series(1, :count) AS n
"""

_LATE = "SELECT id FROM reminder WHERE status = 'pending' AND latest_at < :now"


class _Nobody:
    async def send(self, person_id: int, chat_id: int | None, messages: tuple[str, ...]) -> None:
        raise AssertionError("nothing is due in this benchmark")


def _fill(database: Database, *, pending: int, sent: int) -> None:
    with database.session() as session:
        person = create_young_person(session, pseudonym="Bench", birth_year=2007, now=NOW).id
    with database.engine.begin() as connection:
        for status, count, sign in (("pending", pending, 1), ("sent", sent, -1)):
            connection.execute(
                text(_FILL),
                {
                    "person": person,
                    "now": NOW,
                    "sign": sign,
                    "count": count,
                    "status": status,
                    "prefix": f"bench:{status}:",
                    "sent_at": NOW if status == "sent" else None,
                },
            )
        connection.execute(text("ANALYZE reminder"))


def _polls(database: Database, *, runs: int) -> list[float]:
    dispatcher: Dispatcher[str] = Dispatcher(
        database, lambda _session, _row: None, _Nobody(), clock=lambda: NOW
    )

    async def poll() -> list[float]:
        timings = []
        for _ in range(runs):
            began = wall.perf_counter()
            report = await dispatcher.dispatch_once()
            timings.append(wall.perf_counter() - began)
            assert (report.sent, report.missed) == (0, 0)  # noqa: S101 - nothing is due
        return timings

    return asyncio.run(poll())


def _plan(database: Database) -> str:
    with database.engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN ANALYZE {_LATE}"), {"now": NOW}).scalars()
        return "\n".join(f"    {row}" for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pending", type=int, default=615_000)
    parser.add_argument("--sent", type=int, default=91_000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    from tests.auxil.postgres import postgres_server, scratch_database

    with postgres_server() as server, scratch_database(server) as url:
        database = Database(url)
        try:
            database.upgrade()
            _fill(database, pending=options.pending, sent=options.sent)
            print(f"outbox: {options.pending} pending rows ahead, {options.sent} sent behind")
            with_index = _polls(database, runs=options.runs)
            print(f"with ix_reminder_late:    idle poll median {_ms(with_index)}")
            print(_plan(database))
            with database.engine.begin() as connection:
                connection.execute(text("DROP INDEX ix_reminder_late"))
                connection.execute(text("ANALYZE reminder"))
            without = _polls(database, runs=options.runs)
            print(f"without ix_reminder_late: idle poll median {_ms(without)}")
            print(_plan(database))
            ratio = statistics.median(without) / statistics.median(with_index)
            print(f"the index makes the idle poll {ratio:.0f}x faster")
        finally:
            database.dispose()


def _ms(timings: list[float]) -> str:
    median, fastest = statistics.median(timings) * 1000, min(timings) * 1000
    return f"{median:.1f} ms (fastest {fastest:.1f}, {len(timings)} polls)"


if __name__ == "__main__":
    main()
