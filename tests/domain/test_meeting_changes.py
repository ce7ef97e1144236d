"""A moved or cancelled meeting reaches the young person: exactly one short message through the
outbox, in quiet hours only when they end, and no reminder of the old time. After a meeting
the coordinator records whether the young person came; the answer to "can't come" closes its
alert."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from bot.engine import Press, Reply
from bot.service import ConversationService
from core.locale import format_moment
from domain.errors import PlanningError
from domain.meetings import (
    MeetingDetails,
    cancel_meeting,
    create_meeting,
    record_attendance,
    relay_coordinator_reply,
    update_meeting,
)
from domain.reminder_timing import at_local
from storage.models import Alert, Meeting, MeetingAttendance, MeetingKind, Reminder

STARTS = at_local(date(2026, 11, 27), time(14, 0))  # Friday
MOVED = at_local(date(2026, 11, 30), time(9, 30))  # Monday


def pending(database) -> list[tuple[str, str]]:
    with database.session() as session:
        rows = session.scalars(
            select(Reminder).where(Reminder.status == "pending").order_by(Reminder.due_at)
        )
        return [(r.kind, format_moment(r.due_at)) for r in rows]


def plan(database, person_id, clock, starts=STARTS, place="Ungehuset") -> int:
    with database.session() as session:
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=starts, place=place)
        return create_meeting(session, person_id, details, now=clock()).id


def move(database, meeting_id, clock, starts=MOVED, place="Ungehuset") -> None:
    with database.session() as session:
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=starts, place=place)
        update_meeting(session, meeting_id, details, now=clock())


async def test_moving_a_meeting_queues_exactly_one_message_and_no_stale_reminder(
    database, active_person, clock, dispatcher, sender
):
    meeting_id = plan(database, active_person, clock)
    move(database, meeting_id, clock)
    assert pending(database) == [
        ("meeting_moved", "tirsdag den 24. november kl. 14.00"),
        ("meeting_day_before", "søndag den 29. november kl. 17.00"),
        ("meeting_soon", "mandag den 30. november kl. 08.00"),
    ]
    report = await dispatcher.dispatch_once()
    assert report.sent == 1
    [(person, messages)] = sender.sent
    [message] = messages
    assert person == active_person
    assert isinstance(message, Reply)
    assert message.text == (
        "Hej! Dit møde er flyttet. Den nye tid er mandag den 30. november kl. 09.30, "
        "Ungehuset. Kommer du?"
    )
    assert [b.data for row in message.buttons for b in row] == [
        f"m|{meeting_id}|coming",
        f"m|{meeting_id}|cannot",
    ]
    # Nothing of the old time is sent: on its eve and on the day, the outbox has nothing.
    clock.moment = at_local(date(2026, 11, 26), time(17, 0))
    assert (await dispatcher.dispatch_once()).sent == 0
    clock.moment = at_local(date(2026, 11, 27), time(12, 0))
    assert (await dispatcher.dispatch_once()).sent == 0
    assert len(sender.sent) == 1


async def test_two_quick_moves_send_one_message_with_the_latest_time(
    database, active_person, clock, dispatcher, sender
):
    meeting_id = plan(database, active_person, clock)
    move(database, meeting_id, clock)
    clock.advance(seconds=30)
    move(database, meeting_id, clock, starts=MOVED + timedelta(hours=1), place="Biblioteket")
    assert [kind for kind, _when in pending(database)].count("meeting_moved") == 1
    await dispatcher.dispatch_once()
    assert sender.texts() == [
        "Hej! Dit møde er flyttet. Den nye tid er mandag den 30. november kl. 10.30, "
        "Biblioteket. Kommer du?"
    ]


def test_saving_a_meeting_unchanged_sends_nothing(database, active_person, clock):
    meeting_id = plan(database, active_person, clock)
    move(database, meeting_id, clock, starts=STARTS)
    assert [kind for kind, _when in pending(database)] == ["meeting_day_before", "meeting_soon"]


async def test_a_move_in_the_quiet_hours_is_sent_when_they_end(
    database, active_person, clock, dispatcher, sender
):
    meeting_id = plan(database, active_person, clock)
    clock.moment = at_local(date(2026, 11, 24), time(22, 30))
    move(database, meeting_id, clock)
    assert pending(database)[0] == ("meeting_moved", "onsdag den 25. november kl. 08.00")
    assert (await dispatcher.dispatch_once()).sent == 0
    clock.moment = at_local(date(2026, 11, 25), time(8, 0))
    assert (await dispatcher.dispatch_once()).sent == 1
    assert sender.texts()[0].startswith("Hej! Dit møde er flyttet.")


async def test_cancelling_sends_one_message_with_the_time_that_was_cancelled(
    database, active_person, clock, dispatcher, sender
):
    meeting_id = plan(database, active_person, clock)
    with database.session() as session:
        cancel_meeting(session, meeting_id, now=clock())
        cancel_meeting(session, meeting_id, now=clock())  # a second click: nothing more
    assert pending(database) == [("meeting_cancelled", "tirsdag den 24. november kl. 14.00")]
    await dispatcher.dispatch_once()
    assert sender.texts() == [
        "Hej! Dit møde fredag den 27. november kl. 14.00 er aflyst. Du skal ikke møde op."
    ]
    clock.moment = at_local(date(2026, 11, 27), time(12, 0))
    assert (await dispatcher.dispatch_once()).sent == 0


def test_a_cancellation_that_quiet_hours_hold_past_the_meeting_is_skipped(
    database, active_person, clock
):
    early = at_local(date(2026, 11, 25), time(7, 30))
    meeting_id = plan(database, active_person, clock, starts=early)
    clock.moment = at_local(date(2026, 11, 24), time(23, 0))
    with database.session() as session:
        cancel_meeting(session, meeting_id, now=clock())
        [row] = session.scalars(select(Reminder).where(Reminder.kind == "meeting_cancelled"))
        assert row.status == "skipped"
    assert pending(database) == []


def test_a_cancelled_meeting_cannot_be_moved(database, active_person, clock):
    meeting_id = plan(database, active_person, clock)
    with database.session() as session:
        cancel_meeting(session, meeting_id, now=clock())
    with pytest.raises(PlanningError, match="cancelled"):
        move(database, meeting_id, clock)


def test_attendance_is_recorded_after_the_meeting_began(database, active_person, clock):
    meeting_id = plan(database, active_person, clock)
    with database.session() as session, pytest.raises(PlanningError, match="not begun"):
        record_attendance(
            session, meeting_id, MeetingAttendance.ATTENDED, staff_id=None, now=clock()
        )
    clock.moment = STARTS + timedelta(hours=1)
    with database.session() as session:
        record_attendance(
            session, meeting_id, MeetingAttendance.NO_SHOW, staff_id=None, now=clock()
        )
        record_attendance(  # corrected
            session, meeting_id, MeetingAttendance.CANCELLED_LATE, staff_id=None, now=clock()
        )
    with database.session() as session:
        stored = session.get(Meeting, meeting_id)
        assert (stored.attendance, stored.attendance_at) == ("cancelled_late", clock())
        with pytest.raises(ValueError, match="maybe"):
            record_attendance(session, meeting_id, "maybe", staff_id=None, now=clock())  # type: ignore[arg-type]


def test_the_answer_to_cannot_come_closes_its_alert(
    database, content, active_person, clock, coordinators
):
    kim = coordinators[0]
    service = ConversationService(database, content, clock=clock)
    meeting_id = plan(database, active_person, clock)
    other_id = plan(database, active_person, clock, starts=MOVED)
    service.handle(active_person, Press(f"m|{meeting_id}|cannot"))
    service.handle(active_person, Press(f"m|{other_id}|cannot"))
    with database.session() as session:
        relay_coordinator_reply(
            session, meeting_id, "Kan du torsdag kl. 10?", now=clock(), staff_id=kim
        )
    with database.session() as session:
        alerts = {
            a.details["meeting_id"]: a
            for a in session.scalars(select(Alert).where(Alert.kind == "cannot_come"))
        }
        answered, other = alerts[meeting_id], alerts[other_id]
        assert (answered.status, answered.resolved_by, answered.note) == (
            "resolved",
            kim,
            "Kan du torsdag kl. 10?",
        )
        assert answered.resolved_at == clock()
        assert other.status == "open"  # another meeting's alert stays
        [reply] = session.scalars(select(Reminder).where(Reminder.kind == "coordinator_reply"))
        assert reply.body == "Kan du torsdag kl. 10?"
