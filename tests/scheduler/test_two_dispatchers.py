"""Two dispatchers on one PostgreSQL database send each of 1,000 due reminders exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import func, select

from bot.service.reminders import reminder_composer
from scheduler.dispatcher import Dispatcher
from storage import Database
from storage.models import Reminder, ReminderStatus
from testing.seed import seed_due_reminders
from tests.scheduler.conftest import RecordingSender, unlimited


async def test_each_of_1000_reminders_is_sent_exactly_once(postgres_migrated, content, clock):
    setup = Database(postgres_migrated)
    from tests.conftest import _empty

    _empty(setup)
    seed_due_reminders(setup, clock(), people=250, per_person=4)
    setup.dispose()
    first, second = RecordingSender(), RecordingSender()
    databases = [Database(postgres_migrated, pool_size=4), Database(postgres_migrated, pool_size=4)]
    dispatchers = [
        Dispatcher(
            db, reminder_composer(content), sender, clock=clock, limiter=unlimited(), batch=50
        )
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
