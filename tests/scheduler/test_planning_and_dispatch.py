"""Meetings, agreements and check-ins plan reminders; the dispatcher sends each once, on time."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from bot.engine import Press
from bot.service.reminders import reminder_composer
from core.locale import format_moment
from domain.agreements import AgreementDetails, create_agreement
from domain.errors import PlanningError
from domain.meetings import MeetingDetails, cancel_meeting, create_meeting, update_meeting
from domain.reminder_timing import at_local
from scheduler.dispatcher import Dispatcher, Report
from storage.models import Alert, MeetingKind, PersonStatus, Reminder, YoungPerson
from tests.auxil.planning import plan
from tests.scheduler.conftest import unlimited


def reminders(database, **where):
    with database.session() as session:
        query = select(Reminder).order_by(Reminder.due_at, Reminder.id)
        for name, value in where.items():
            query = query.where(getattr(Reminder, name) == value)
        return [(r.kind, format_moment(r.due_at), r.status) for r in session.scalars(query)]


def meeting(database, person_id, clock, starts, kind=MeetingKind.INDIVIDUAL):
    with database.session() as session:
        details = MeetingDetails(kind=kind, starts_at=starts, place="Ungehuset")
        return create_meeting(session, person_id, details, now=clock()).id


def test_a_meeting_plans_two_reminders_and_moving_it_cancels_the_old_ones(
    database, active_person, clock
):
    starts = at_local(date(2026, 11, 27), time(14, 0))
    meeting_id = meeting(database, active_person, clock, starts)
    assert reminders(database) == [
        ("meeting_day_before", "torsdag den 26. november kl. 17.00", "pending"),
        ("meeting_soon", "fredag den 27. november kl. 12.00", "pending"),
    ]
    moved = at_local(date(2026, 11, 30), time(9, 30))
    with database.session() as session:
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=moved, place="Ungehuset")
        update_meeting(session, meeting_id, details, now=clock())
    assert reminders(database, status="pending") == [
        ("meeting_moved", "tirsdag den 24. november kl. 14.00", "pending"),  # the new time, now
        ("meeting_day_before", "søndag den 29. november kl. 17.00", "pending"),
        ("meeting_soon", "mandag den 30. november kl. 08.00", "pending"),  # 07.30 is quiet
    ]
    assert [r[2] for r in reminders(database, status="cancelled")] == ["cancelled", "cancelled"]
    with database.session() as session:
        cancel_meeting(session, meeting_id, now=clock())
    # The moved message not sent yet gives way to the one cancellation message.
    assert reminders(database, status="pending") == [
        ("meeting_cancelled", "tirsdag den 24. november kl. 14.00", "pending")
    ]


def test_planning_refuses_the_past_and_unknown_people(database, active_person, clock):
    past = MeetingDetails(kind=MeetingKind.OTHER, starts_at=clock() - timedelta(hours=1), place="X")
    future = MeetingDetails(
        kind=MeetingKind.OTHER, starts_at=clock() + timedelta(days=1), place="X"
    )
    with database.session() as session:
        with pytest.raises(PlanningError, match="future"):
            create_meeting(session, active_person, past, now=clock())
        with pytest.raises(PlanningError, match="no young person"):
            create_meeting(session, 99_999, future, now=clock())
    assert reminders(database) == []


def test_an_agreement_plans_three_reminders(database, active_person, clock):
    with database.session() as session:
        details = AgreementDetails(
            goal="Komme i praktik",
            action="Ringe til Netto",
            responsible="Ali",
            deadline=date(2026, 12, 4),
        )
        create_agreement(session, active_person, details, now=clock())
    assert reminders(database) == [
        ("agreement_soon", "tirsdag den 1. december kl. 09.00", "pending"),
        ("agreement_today", "fredag den 4. december kl. 09.00", "pending"),
        ("agreement_followup", "lørdag den 5. december kl. 10.00", "pending"),
    ]


async def test_due_reminders_go_out_once_with_buttons_and_danish_dates(
    database, active_person, clock, dispatcher, sender
):
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    assert (await dispatcher.dispatch_once()).sent == 0  # nothing due yet
    clock.moment = at_local(date(2026, 11, 26), time(17, 0))
    report = await dispatcher.dispatch_once()
    assert report.sent == 1
    assert sender.texts() == [
        "Hej! Husk dit møde i morgen, fredag den 27. november kl. 14.00, Ungehuset. Kommer du?"
    ]
    _, messages = sender.sent[0]
    assert [b.label for row in messages[0].buttons for b in row] == [
        "Jeg kommer",
        "Jeg kan ikke komme",
    ]
    assert (await dispatcher.dispatch_once()).sent == 0  # never twice
    assert reminders(database, status="sent")[0][0] == "meeting_day_before"


async def test_after_downtime_only_reminders_within_grace_go_out(
    database, active_person, clock, dispatcher, sender
):
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    # The process was down from Thursday until Friday 13.00: the day-before reminder is stale.
    clock.moment = at_local(date(2026, 11, 27), time(13, 0))
    report = await dispatcher.dispatch_once()
    assert (report.sent, report.missed) == (1, 1)
    assert sender.texts()[0].startswith("Om lidt har du møde")
    assert [r[2] for r in reminders(database)] == ["missed", "sent"]


async def test_a_restart_during_dispatch_neither_loses_nor_repeats(
    database, content, active_person, clock, sender
):
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 30)))
    clock.moment = at_local(date(2026, 11, 27), time(12, 30))
    crashed = Dispatcher(
        database, reminder_composer(content), sender, clock=clock, limiter=unlimited()
    )
    claimed = crashed._claim(Report())
    assert len(claimed) == 2  # claimed, then the process "died" before sending anything
    assert [r[2] for r in reminders(database)] == ["missed", "missed", "sending", "sending"]
    restarted = Dispatcher(
        database, reminder_composer(content), sender, clock=clock, limiter=unlimited()
    )
    assert (await restarted.dispatch_once()).sent == 0  # still claimed by the dead process
    clock.advance(minutes=6)
    report = await restarted.dispatch_once()
    assert report.sent == 2
    clock.advance(minutes=6)
    assert (await restarted.dispatch_once()).sent == 0
    assert len(sender.sent) == 2


async def test_failures_are_retried_with_backoff_then_marked_failed(
    database, active_person, clock, dispatcher, sender
):
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    clock.moment = at_local(date(2026, 11, 26), time(17, 0))
    sender.fail_times = 1
    assert (await dispatcher.dispatch_once()).retried == 1
    assert (await dispatcher.dispatch_once()).sent == 0  # backing off
    clock.advance(seconds=31)
    assert (await dispatcher.dispatch_once()).sent == 1
    sender.fail_times = 100
    clock.moment = at_local(date(2026, 11, 27), time(12, 0))
    for _ in range(6):
        await dispatcher.dispatch_once()
        clock.advance(minutes=20)
    statuses = [r[2] for r in reminders(database)]
    assert statuses == ["sent", "failed"]
    with database.session() as session:
        failed = session.scalars(select(Reminder).where(Reminder.status == "failed")).one()
        assert failed.last_error == "ConnectionError"
        assert failed.attempts >= 1


async def test_a_blocked_chat_fails_the_reminder_and_alerts_the_coordinator(
    database, active_person, clock, dispatcher, sender
):
    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    sender.blocked.add(active_person)
    clock.moment = at_local(date(2026, 11, 27), time(12, 0))
    report = await dispatcher.dispatch_once()
    assert report.failed == 1
    with database.session() as session:
        assert session.get(YoungPerson, active_person).status == PersonStatus.UNREACHABLE
        assert [a.kind for a in session.scalars(select(Alert))] == ["unreachable"]


async def test_quiet_hours_are_kept_for_every_sent_reminder(
    database, active_person, clock, dispatcher, sender
):
    from core.locale import local

    for day, hour in ((27, 7), (28, 9), (29, 23), (30, 8)):
        meeting(database, active_person, clock, at_local(date(2026, 11, day), time(hour, 30)))
    for _ in range(24 * 8):
        clock.advance(minutes=30)
        await dispatcher.dispatch_once()
    assert sender.sent
    with database.session() as session:
        for reminder in session.scalars(select(Reminder).where(Reminder.status == "sent")):
            hour = local(reminder.sent_at).hour
            assert 8 <= hour < 21, format_moment(reminder.sent_at)
        skipped = session.scalars(select(Reminder).where(Reminder.status == "skipped")).all()
        # 05.30 -> 08.00 is after the 07.30 meeting; 21.30 -> 08.00 is after the 23.30 one.
        assert sorted(format_moment(r.due_at) for r in skipped) == [
            "fredag den 27. november kl. 05.30",
            "søndag den 29. november kl. 21.30",
        ]


@pytest.mark.parametrize(
    ("joined", "change_day", "expected"),
    [
        (date(2026, 9, 25), date(2026, 10, 25), "søndag den 25. oktober kl. 08.00"),
        (date(2026, 2, 27), date(2026, 3, 29), "søndag den 29. marts kl. 08.00"),
    ],
    ids=["october", "march"],
)
async def test_a_half_past_two_check_in_on_a_change_day_fires_exactly_once(
    database, content, active_person, clock, dispatcher, sender, joined, change_day, expected
):
    with database.session() as session:
        person = session.get(YoungPerson, active_person)
        person.preferred_checkin_time = time(2, 30)
        person.information_accepted_at = at_local(joined, time(12, 0))
        person.checkin_plan = {"who5": 30}
    clock.moment = at_local(change_day - timedelta(days=1), time(12, 0))
    for _ in range(48):  # every half hour across the autumn change night
        plan(database, content, clock)
        await dispatcher.dispatch_once()
        clock.advance(minutes=30)
    invitations = [t for t in sender.texts() if t.startswith("Hej! Har du et par minutter")]
    assert len(invitations) == 1
    with database.session() as session:
        rows = session.scalars(select(Reminder).where(Reminder.kind == "checkin_invite")).all()
        sent = [r for r in rows if r.status == "sent"]
        assert len(sent) == 1
        assert format_moment(sent[0].sent_at) == expected


@pytest.mark.parametrize(
    ("joined", "expected"),
    [
        (date(2026, 2, 26), "mandag den 30. marts kl. 16.00"),  # summer time begins the 29th
        (date(2026, 9, 24), "mandag den 26. oktober kl. 16.00"),  # and ends the 25th
    ],
    ids=["march", "october"],
)
def test_a_nudge_across_a_clock_change_keeps_the_invitations_time(
    database, content, active_person, clock, joined, expected
):
    with database.session() as session:
        person = session.get(YoungPerson, active_person)
        person.information_accepted_at = at_local(joined, time(12, 0))
        person.checkin_plan = {"who5": 30}
    clock.moment = at_local(joined + timedelta(days=30), time(12, 0))
    plan(database, content, clock)
    assert [r[1] for r in reminders(database, kind="checkin_nudge")] == [expected]


async def test_two_missed_check_ins_in_a_row_alert_the_coordinator(
    database, content, active_person, clock, dispatcher, sender
):
    with database.session() as session:
        session.get(YoungPerson, active_person).checkin_plan = {"who5": 30}
    for _ in range(65 * 16):  # 65 days, every 90 minutes (inside the grace window), never answering
        plan(database, content, clock)
        await dispatcher.dispatch_once()
        clock.advance(minutes=90)
    with database.session() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "missed_checkins")).all()
    invitations = [t for t in sender.texts() if t.startswith("Hej! Har du et par minutter")]
    nudges = [t for t in sender.texts() if t.startswith("Bare en lille påmindelse")]
    assert (len(invitations), len(nudges)) == (2, 2)
    assert len(alerts) == 1


async def test_answering_a_check_in_cancels_its_nudge(
    database, content, service, active_person, clock, dispatcher, sender
):
    await _invite_to_who5(database, content, active_person, clock, dispatcher, sender)
    service.handle(active_person, Press("q|who5"))
    service.handle(active_person, Press(_begin_data(database, active_person)))
    for value in "33333":
        from bot.engine import Text

        service.handle(active_person, Text(value))
    clock.advance(days=3)
    await dispatcher.dispatch_once()
    assert len(sender.sent) == 1
    assert [r[2] for r in reminders(database, kind="checkin_nudge")] == ["cancelled"]


async def _invite_to_who5(database, content, person_id, clock, dispatcher, sender):
    """A month on, past 16.00: the WHO-5 invitation has gone out."""
    with database.session() as session:
        session.get(YoungPerson, person_id).checkin_plan = {"who5": 30}
    clock.advance(days=30, hours=3)
    plan(database, content, clock)
    await dispatcher.dispatch_once()
    assert len(sender.sent) == 1


def _begin_data(database, person_id):
    from storage.models import ConversationStateRow

    with database.session() as session:
        state = session.get(ConversationStateRow, person_id)
        return f"c|{state.data['response_id']}|-|begin"


async def test_the_coordinators_reply_is_relayed(
    database, active_person, clock, dispatcher, sender
):
    from domain.meetings import relay_coordinator_reply

    meeting_id = meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    with database.session() as session:
        relay_coordinator_reply(session, meeting_id, "Kan du torsdag kl. 10 i stedet?", now=clock())
        with pytest.raises(PlanningError, match="empty"):
            relay_coordinator_reply(session, meeting_id, "  ", now=clock())
    await dispatcher.dispatch_once()
    assert sender.texts() == ["Besked fra din kontaktperson: Kan du torsdag kl. 10 i stedet?"]


async def test_apscheduler_fires_the_dispatcher_and_the_planner(
    database, content, active_person, clock, sender
):
    from scheduler.runner import Planner, start_scheduler

    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    clock.moment = at_local(date(2026, 11, 26), time(17, 0))
    dispatcher = Dispatcher(
        database, reminder_composer(content), sender, clock=clock, limiter=unlimited()
    )
    scheduler = start_scheduler(dispatcher, Planner(database, content, clock=clock))
    try:
        for _ in range(100):
            if sender.sent and reminders(database, kind="checkin_invite"):
                break
            await asyncio.sleep(0.1)
    finally:
        scheduler.shutdown(wait=False)
    assert sender.texts()[0].startswith("Hej! Husk dit møde i morgen")
    assert reminders(database, kind="checkin_invite")  # the planner ran at start


def test_the_planner_forgets_update_ids_after_two_days(database, content, clock):
    from scheduler.runner import Planner
    from storage import ProcessedUpdate

    with database.session() as session:
        session.add(ProcessedUpdate(update_id=1, processed_at=clock() - timedelta(days=3)))
        session.add(ProcessedUpdate(update_id=2, processed_at=clock() - timedelta(hours=5)))
    Planner(database, content, clock=clock).plan()
    with database.session() as session:
        assert [u.update_id for u in session.scalars(select(ProcessedUpdate))] == [2]


async def test_a_check_in_put_off_until_tomorrow_is_sent_then_and_only_then(
    database, content, service, active_person, clock, dispatcher, sender
):
    from bot.engine import Text

    await _invite_to_who5(database, content, active_person, clock, dispatcher, sender)
    service.handle(active_person, Text("ka vi ikk ta det i morgen"))
    clock.advance(hours=12)  # the night: nothing
    await dispatcher.dispatch_once()
    assert len(sender.sent) == 1
    clock.advance(hours=12)  # the next day, after 16.00
    await dispatcher.dispatch_once()
    assert sender.texts()[-1].startswith("Hej igen! Du bad mig om at minde dig om")
    assert len(sender.sent) == 2
    clock.advance(days=1)
    await dispatcher.dispatch_once()
    assert len(sender.sent) == 2


async def test_a_pause_stops_reminders_until_start_again(
    database, service, active_person, clock, dispatcher, sender
):
    from bot.engine import Command

    meeting(database, active_person, clock, at_local(date(2026, 11, 27), time(14, 0)))
    meeting(database, active_person, clock, at_local(date(2026, 12, 4), time(14, 0)))
    service.handle(active_person, Command("pause"))
    with database.session() as session:
        assert session.get(YoungPerson, active_person).status == PersonStatus.PAUSED
    clock.moment = at_local(date(2026, 11, 26), time(17, 0))
    assert (await dispatcher.dispatch_once()).sent == 0
    assert sender.sent == []
    service.handle(active_person, Command("start_igen"))
    with database.session() as session:
        assert session.get(YoungPerson, active_person).status == PersonStatus.ACTIVE
    clock.moment = at_local(date(2026, 12, 3), time(17, 0))
    assert (await dispatcher.dispatch_once()).sent == 1
    assert sender.texts() == [
        "Hej! Husk dit møde i morgen, fredag den 4. december kl. 14.00, Ungehuset. Kommer du?"
    ]
