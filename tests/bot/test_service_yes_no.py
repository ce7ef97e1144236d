"""A typed "ja" or "nej" answers the reminder the young person got last, on real SQLite and
PostgreSQL: the question is found in the outbox (bot/service/questions.py)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.engine import Text
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage.models import Alert, Meeting, MeetingKind, Reminder, ReminderStatus
from tests.auxil.planning import plan
from tests.auxil.transcript import Conversation, verify_dialog
from tests.bot.test_service_deletion import joined_and_answered


def _sent(database, clock, kind: str) -> None:
    """The dispatcher sent the reminder of this kind just now."""
    with database.session() as session:
        reminder = session.scalars(select(Reminder).where(Reminder.kind == kind)).first()
        assert reminder is not None
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = clock()


def test_nej_to_are_you_coming_tells_the_coordinator(service, database, person_id, clock):
    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    with database.session() as session:
        starts = at_local(date(2026, 11, 25), time(14, 0))
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=starts, place="Her")
        meeting_id = create_meeting(session, person_id, details, now=clock()).id
    _sent(database, clock, "meeting_day_before")
    verify_dialog(talk, [("nej", ["Vil du skrive, hvorfor du ikke kan?"])])
    with database.session() as session:
        assert session.get(Meeting, meeting_id).answer == "cannot_come"
        kinds = list(session.scalars(select(Alert.kind)))
    assert kinds == ["cannot_come"]
    # Answered now: a second "nej" is not taken as the answer again.
    verify_dialog(talk, [("spring over", ["Din kontaktperson får besked"])])
    clock.advance(minutes=1)
    talk.send(Text("nej"))
    with database.session() as session:
        assert list(session.scalars(select(Alert.kind))) == ["cannot_come"]


def test_ja_to_an_invitation_starts_the_check_in_at_once(
    service, database, person_id, clock, content
):
    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    clock.advance(days=40)
    plan(database, content, clock)
    clock.advance(days=2)
    _sent(database, clock, "checkin_invite")
    clock.advance(minutes=5)
    verify_dialog(talk, [("ja tak", ["5 korte spørgsmål", "Spørgsmål 1 af 5"])])
