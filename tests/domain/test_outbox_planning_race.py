"""Two processes planning the same outbox row at once (every `ungeguide run` runs the planner,
and processes started together plan at the same moment): one row is stored, the other planner
gets None and keeps the rest of its transaction, and nothing raises."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from domain.outbox import ReminderKind, Subject, enqueue
from storage import Database
from storage.models import Base, PersonStatus, Reminder, YoungPerson

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _plan(session: Session, person_id: int, key: str) -> Reminder | None:
    return enqueue(
        session,
        person_id,
        kind=ReminderKind.CHECKIN_INVITE,
        subject=Subject.checkin("who5"),
        due_at=NOW,
        latest_at=NOW + timedelta(hours=1),
        dedup_key=key,
    )


def test_two_planners_adding_one_key_at_once_store_it_once(postgres_migrated: str) -> None:
    database = Database(postgres_migrated)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with database.session() as session:
        person = YoungPerson(
            pseudonym="P", birth_year=2007, status=PersonStatus.ACTIVE, created_at=NOW
        )
        session.add(person)
        session.flush()
        person_id = person.id
    second: list[Reminder | None] = []
    first_added = threading.Event()
    try:
        with database.session() as first:
            assert _plan(first, person_id, "race:1") is not None
            first_added.set()

            def other_process() -> None:
                # Its INSERT waits for the first transaction, then meets the unique key.
                with database.session() as session:
                    second.append(_plan(session, person_id, "race:1"))
                    second.append(_plan(session, person_id, "race:2"))  # the rest goes on

            thread = threading.Thread(target=other_process)
            thread.start()
            thread.join(timeout=1.0)
            assert thread.is_alive(), "the second planner must wait for the first one"
        thread.join(timeout=30)
        assert second[0] is None
        assert second[1] is not None
        with database.session() as session:
            keys = session.scalars(sa.select(Reminder.dedup_key)).all()
        assert sorted(keys) == ["race:1", "race:2"]
    finally:
        database.dispose()
