"""Two dispatchers on one PostgreSQL database send each of 1,000 due reminders exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, insert, select

from scheduler.dispatcher import Dispatcher
from storage import Database
from storage.models import Meeting, PersonStatus, Reminder, ReminderStatus, YoungPerson
from tests.scheduler.conftest import RecordingSender, unlimited


def seed(database: Database, now, *, people: int, per_person: int) -> None:
    with database.session() as session:
        session.execute(
            insert(YoungPerson),
            [
                {
                    "pseudonym": f"U{i}",
                    "birth_year": 2007,
                    "status": PersonStatus.ACTIVE,
                    "created_at": now,
                    "telegram_chat_id": 800_000 + i,
                    "information_version": 1,
                    "information_accepted_at": now,
                }
                for i in range(people)
            ],
        )
        ids = session.scalars(select(YoungPerson.id)).all()
        session.execute(
            insert(Meeting),
            [
                {
                    "young_person_id": pid,
                    "kind": "individual",
                    "starts_at": now + timedelta(hours=3),
                    "place": "Ungehuset",
                    "participants": "",
                    "agenda": "",
                    "status": "planned",
                    "created_at": now,
                }
                for pid in ids
            ],
        )
        meetings = dict(session.execute(select(Meeting.young_person_id, Meeting.id)).all())
        session.execute(
            insert(Reminder),
            [
                {
                    "young_person_id": pid,
                    "kind": "meeting_soon",
                    "subject": f"meeting:{meetings[pid]}",
                    "due_at": now - timedelta(minutes=n),
                    "latest_at": now + timedelta(hours=1),
                    "status": "pending",
                    "attempts": 0,
                    "dedup_key": f"load:{pid}:{n}",
                }
                for pid in ids
                for n in range(per_person)
            ],
        )


async def test_each_of_1000_reminders_is_sent_exactly_once(postgres_migrated, content, clock):
    setup = Database(postgres_migrated)
    from tests.conftest import _empty

    _empty(setup)
    seed(setup, clock(), people=250, per_person=4)
    setup.dispose()
    first, second = RecordingSender(), RecordingSender()
    databases = [Database(postgres_migrated, pool_size=4), Database(postgres_migrated, pool_size=4)]
    dispatchers = [
        Dispatcher(db, content, sender, clock=clock, limiter=unlimited(), batch=50)
        for db, sender in zip(databases, (first, second), strict=True)
    ]
    try:
        for _ in range(40):
            reports = await asyncio.gather(*(d.dispatch_once() for d in dispatchers))
            if not any(r.sent for r in reports):
                with databases[0].session() as session:
                    left = session.scalar(
                        select(func.count()).where(Reminder.status != ReminderStatus.SENT)
                    )
                if left == 0:
                    break
        sent = [messages[0] for _, messages in first.sent + second.sent]
        per_person = Counter(pid for pid, _ in first.sent + second.sent)
        assert len(sent) == 1000
        assert set(per_person.values()) == {4}
        assert first.sent  # both did part of the work
        assert second.sent
        with databases[0].session() as session:
            statuses = dict(
                session.execute(
                    select(Reminder.status, func.count()).group_by(Reminder.status)
                ).all()
            )
        assert statuses == {"sent": 1000}
    finally:
        for db in databases:
            db.dispose()
