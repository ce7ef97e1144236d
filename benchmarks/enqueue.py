"""The planner's bulk insert into the outbox (`domain.outbox.enqueue_many`), alone.

    python -m benchmarks.enqueue [--rows 10000] [--runs 3] [--database sqlite|postgresql]
                                 [--database-url URL]

Each run plans `--rows` new reminders in one transaction, then plans half of them again with
one new row (what a planner round finds: mostly rows it planned before). Prints the CPU time of
this process (Python: statement building and compiling, parameters, results) and the wall time
for each, the median of --runs runs, and checks the counts of rows added.

PostgreSQL: --database-url, else TEST_DATABASE_URL, else a server from the pgserver package.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from benchmarks.load import _invite, fresh_database, postgres_url
from domain.outbox import OutboxRow, ReminderKind, Subject, enqueue_many
from storage import Database, YoungPerson
from storage.crypto import Keyring, new_key, use_keyring


def one_run(database: Database, person_id: int, rows: int, run: int) -> tuple[float, float]:
    """(CPU ms, wall ms) to plan `rows` new reminders; checks what was added."""
    due = datetime(2026, 3, 2, 16, tzinfo=UTC)
    planned = [
        OutboxRow(
            person_id,
            ReminderKind.CHECKIN_INVITE,
            Subject.checkin("who5"),
            due,
            due + timedelta(hours=2),
            f"bench:{run}:{n}",
        )
        for n in range(rows)
    ]
    cpu, wall = time.process_time(), time.perf_counter()
    with database.session() as session:
        added = enqueue_many(session, planned)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    again = [*planned[: rows // 2], replace(planned[0], dedup_key=f"bench:{run}:new")]
    with database.session() as session:
        added_again = enqueue_many(session, again)
    if (added, added_again) != (rows, 1):
        raise SystemExit(f"added {added} and {added_again}, expected {rows} and 1")
    return cpu * 1000, wall * 1000


def measure(url: str, rows: int, runs: int) -> list[tuple[float, float]]:
    database = Database(url)
    _invite(url, 1)
    try:
        with database.session() as session:
            person_id = session.scalars(select(YoungPerson.id)).one()
        return [one_run(database, person_id, rows, run) for run in range(runs)]
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url")
    options = parser.parse_args()
    use_keyring(Keyring([new_key()]))  # a throwaway key: the data is thrown away, too
    with tempfile.TemporaryDirectory() as folder:
        if options.database == "sqlite":
            figures = measure(fresh_database(None, Path(folder)), options.rows, options.runs)
        else:
            with postgres_url(options.database_url) as url:
                figures = measure(fresh_database(url, Path(folder)), options.rows, options.runs)
    cpu = statistics.median(f[0] for f in figures)
    wall = statistics.median(f[1] for f in figures)
    print(
        f"{options.database}: {options.rows:,} reminders planned in one transaction: "
        f"CPU {cpu:.0f} ms ({cpu / options.rows * 1000:.1f} µs a row), wall {wall:.0f} ms "
        f"(runs: {', '.join(f'{c:.0f}' for c, _ in figures)} ms CPU)"
    )


if __name__ == "__main__":
    main()
