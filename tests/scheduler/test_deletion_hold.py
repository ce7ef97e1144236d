"""After a deletion request the bot writes only when written to: no reminder, no check-in
invitation, no message from the contact person goes out; taking the request back starts them."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.engine import Command, Text
from domain.checkins import plan_checkins
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage.models import Alert, MeetingKind, PersonStatus, Reminder, YoungPerson


def _meeting(database, person_id, clock, starts):
    with database.session() as session:
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=starts, place="Ungehuset")
        return create_meeting(session, person_id, details, now=clock()).id


def _plan(database, content, clock):
    with database.session() as session:
        return plan_checkins(
            session,
            now=clock(),
            questionnaires=set(content.questionnaires),
            default_plan=content.default_plan,
        )


def _request_deletion(service, person_id):
    service.handle(person_id, Command("slet"))
    service.handle(person_id, Text("ja"))
    service.handle(person_id, Text("ja"))


async def test_no_reminder_or_invitation_is_sent_after_a_deletion_request(
    database, content, service, active_person, clock, dispatcher, sender
):
    _meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    assert _plan(database, content, clock) > 0  # an invitation is waiting, planned before
    _request_deletion(service, active_person)
    with database.session() as session:
        assert session.get(YoungPerson, active_person).status == PersonStatus.ENDED
    assert _plan(database, content, clock) == 0  # and no new ones are planned
    for day in (26, 27, 28, 29, 30):
        clock.moment = at_local(date(2026, 11, day), time(17, 0))
        await dispatcher.dispatch_once()
    assert sender.sent == []
    with database.session() as session:
        statuses = set(session.scalars(select(Reminder.status)))
    assert "sent" not in statuses


async def test_taking_the_request_back_starts_reminders_again_and_tells_the_coordinator(
    database, content, service, active_person, clock, dispatcher, sender
):
    _meeting(database, active_person, clock, at_local(date(2026, 12, 4), time(14, 0)))
    _request_deletion(service, active_person)
    service.handle(active_person, Command("start_igen"))
    service.handle(active_person, Text("ja tak"))
    with database.session() as session:
        assert session.get(YoungPerson, active_person).status == PersonStatus.ACTIVE
        kinds = list(session.scalars(select(Alert.kind).order_by(Alert.id)))
    assert kinds == ["delete_request", "delete_withdrawn"]
    clock.moment = at_local(date(2026, 12, 3), time(17, 0))
    await dispatcher.dispatch_once()
    assert sender.texts() == [
        "Hej! Husk dit møde i morgen, fredag den 4. december kl. 14.00, Ungehuset. Kommer du?"
    ]
