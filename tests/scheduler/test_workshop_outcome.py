"""Closing the loop: the outcome of a workshop's ideas, queued by the facilitator's page, is
sent by the dispatcher as the plain message it is, once, and never in the quiet hours."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from bot.engine import Reply
from domain.outbox import ReminderKind, Subject, enqueue
from domain.reminder_timing import at_local
from storage.models import Reminder, ReminderStatus

MESSAGE = (
    "Hej! Tak for dine idéer til Ungeværksted om fritid. Værkstedet har talt om dem alle, "
    "og 2 bliver taget med videre. <b>Ikke HTML</b> – bare tekst."
)


def queue(database, person_id, now):
    with database.session() as session:
        enqueue(
            session,
            person_id,
            kind=ReminderKind.WORKSHOP_OUTCOME,
            subject=Subject.workshop(3),
            due_at=now,
            latest_at=now + timedelta(days=2),
            body=MESSAGE,
            dedup_key=f"workshop:3:{person_id}",
        )


def statuses(database):
    with database.session() as session:
        return [(r.status, r.due_at) for r in session.scalars(select(Reminder))]


async def test_the_outcome_is_sent_as_its_body_once(
    database, active_person, clock, dispatcher, sender
):
    queue(database, active_person, clock())
    report = await dispatcher.dispatch_once()
    assert report.sent == 1
    assert sender.sent == [(active_person, (Reply(MESSAGE),))]
    assert (await dispatcher.dispatch_once()).sent == 0
    assert statuses(database)[0][0] == ReminderStatus.SENT


async def test_the_outcome_waits_for_the_quiet_hours_to_end(
    database, active_person, clock, dispatcher, sender
):
    clock.moment = at_local(date(2026, 11, 24), time(22, 30))
    queue(database, active_person, clock())
    report = await dispatcher.dispatch_once()
    assert (report.sent, report.dropped) == (0, 0)
    morning = at_local(date(2026, 11, 25), time(8, 0))
    assert statuses(database) == [(ReminderStatus.PENDING, morning)]
    clock.moment = morning - timedelta(minutes=1)
    assert (await dispatcher.dispatch_once()).sent == 0
    clock.moment = morning
    assert (await dispatcher.dispatch_once()).sent == 1
    assert sender.texts() == [MESSAGE]
