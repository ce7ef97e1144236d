"""The care loop's clock and e-mails, against a real database and a real SMTP server.

An urgent alert reaches a person by e-mail within a minute, is never sent twice, survives an
SMTP outage, goes to a stand-in or the duty list, and escalates when nobody acknowledges it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard.mail import render_mail
from domain.alerts.email import send_mail
from domain.alerts.escalation import CarePolicy
from domain.alerts.handling import acknowledge
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import drop_held, raise_alert
from domain.people import create_young_person
from scheduler.notifier import Notifier
from storage.models import (
    Alert,
    AlertStatus,
    NotificationKind,
    NotificationStatus,
    StaffNotification,
    StaffRole,
    StaffUser,
)

BASE = "https://ungeguide.kommune.dk"


def add_staff(session, name, *, role=StaffRole.COORDINATOR, on_duty=False, email=None):
    staff = StaffUser(
        email=email if email is not None else f"{name.lower()}@kommune.dk",
        display_name=name,
        role=role,
        created_at=session.info.get("now"),
        on_duty=on_duty,
    )
    session.add(staff)
    session.flush()
    return staff


@pytest.fixture
def team(database, clock):
    """A coordinator (Kim) with a young person (Mille), a colleague (Sara) and Vagt on duty."""
    with database.session() as session:
        session.info["now"] = clock()
        kim = add_staff(session, "Kim")
        sara = add_staff(session, "Sara")
        vagt = add_staff(session, "Vagt", on_duty=True)
        admin = add_staff(session, "Admin", role=StaffRole.ADMIN)
        mille = create_young_person(session, pseudonym="Mille", birth_year=2008, now=clock())
        mille.coordinator_id = kim.id
        return {
            "kim": kim.id,
            "sara": sara.id,
            "vagt": vagt.id,
            "admin": admin.id,
            "mille": mille.id,
        }


def notifier(database, clock, smtp_server, **policy):
    return Notifier(
        database,
        render=lambda facts: render_mail(
            facts, base_url=BASE, escalate_after=timedelta(minutes=30)
        ),
        mailer=lambda mail: send_mail(smtp_server.settings, mail),
        clock=clock,
        policy=CarePolicy(**policy),
    )


def crisis(database, clock, person_id, *, text="jeg vil ikke leve mere"):
    with database.session() as session:
        return raise_alert(
            session,
            person_id,
            AlertKind.CRISIS,
            now=clock(),
            urgent=True,
            details={"source": "lexicon", "text": text},
        ).id


def notifications(database):
    with database.session() as session:
        rows = session.scalars(select(StaffNotification).order_by(StaffNotification.id)).all()
        return [(n.staff_user_id, n.kind, n.status, n.attempts) for n in rows]


async def test_an_urgent_alert_is_emailed_once_with_no_name_and_no_words(
    database, clock, smtp_server, team
):
    alert_id = crisis(database, clock, team["mille"])
    # Stored in the same transaction as the alert, before any job ran.
    assert notifications(database) == [(team["kim"], "alert", "pending", 0)]

    report = await notifier(database, clock, smtp_server).run_once()
    again = await notifier(database, clock, smtp_server).run_once()

    assert (report.sent, again.sent) == (1, 0)
    [mail] = smtp_server.messages
    assert mail["To"] == "kim@kommune.dk"
    assert mail["Subject"] == "Ungeguide: en ung på din liste har brug for dig"
    body = mail.get_content()
    assert f"{BASE}/alarmer/{alert_id}" in body
    assert "Krise-ord" in body
    assert "Mille" not in body
    assert "leve" not in body
    assert notifications(database) == [(team["kim"], "alert", "sent", 1)]


async def test_two_notifiers_side_by_side_send_each_email_once(database, clock, smtp_server, team):
    for _ in range(3):
        crisis(database, clock, team["mille"])
        clock.advance(minutes=20)  # past the flood window: each alert has its own e-mail
    later = timedelta(hours=2)  # no escalation in this test
    first = notifier(database, clock, smtp_server, escalate_after=later)
    second = notifier(database, clock, smtp_server, escalate_after=later)
    reports = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(report.sent for report in reports) == 3
    assert len(smtp_server.messages) == 3


async def test_a_flood_from_one_young_person_is_one_email(database, clock, smtp_server, team):
    for _ in range(5):
        crisis(database, clock, team["mille"])
        clock.advance(minutes=2)
    await notifier(database, clock, smtp_server).run_once()
    assert len(smtp_server.messages) == 1
    with database.session() as session:
        assert len(session.scalars(select(Alert)).all()) == 5  # every alert is on the dashboard


async def test_smtp_down_retries_with_backoff_and_loses_nothing(database, clock, smtp_server, team):
    crisis(database, clock, team["mille"])
    smtp_server.refusing = True
    report = await notifier(database, clock, smtp_server).run_once()
    assert (report.sent, report.retried) == (0, 1)
    with database.session() as session:
        [row] = session.scalars(select(StaffNotification)).all()
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, 1)
        assert row.last_error.startswith("SMTP")
        assert row.due_at == clock() + timedelta(seconds=30)

    clock.advance(seconds=10)  # not due yet: no new try
    assert (await notifier(database, clock, smtp_server).run_once()).retried == 0
    clock.advance(seconds=25)
    assert (await notifier(database, clock, smtp_server).run_once()).retried == 1
    with database.session() as session:
        row = session.scalars(select(StaffNotification)).one()
        assert row.due_at == clock() + timedelta(seconds=60)  # the pause doubles

    smtp_server.stop()  # now nothing even answers
    clock.advance(minutes=1)
    assert (await notifier(database, clock, smtp_server).run_once()).retried == 1
    smtp_server.start()
    smtp_server.refusing = False
    clock.advance(minutes=5)
    assert (await notifier(database, clock, smtp_server).run_once()).sent == 1
    assert notifications(database) == [(team["kim"], "alert", "sent", 4)]


async def test_an_absent_coordinator_s_alerts_go_to_the_stand_in(
    database, clock, smtp_server, team
):
    with database.session() as session:
        kim = session.get(StaffUser, team["kim"])
        kim.absent, kim.stand_in_id = True, team["sara"]
    crisis(database, clock, team["mille"])
    await notifier(database, clock, smtp_server).run_once()
    assert [m["To"] for m in smtp_server.messages] == ["sara@kommune.dk"]


@pytest.mark.parametrize("case", ["absent_without_stand_in", "no_coordinator", "no_email"])
async def test_with_nobody_responsible_the_duty_list_is_told(
    database, clock, smtp_server, team, case
):
    with database.session() as session:
        kim = session.get(StaffUser, team["kim"])
        if case == "absent_without_stand_in":
            kim.absent = True
        elif case == "no_coordinator":
            session.get_one(StaffUser, team["kim"])  # Kim stays; Mille has nobody
            from storage.models import YoungPerson

            session.get(YoungPerson, team["mille"]).coordinator_id = None
        else:
            kim.email = ""
    crisis(database, clock, team["mille"])
    await notifier(database, clock, smtp_server).run_once()
    assert [m["To"] for m in smtp_server.messages] == ["vagt@kommune.dk"]


async def test_with_no_duty_list_the_administrators_are_told(database, clock, smtp_server, team):
    with database.session() as session:
        session.get(StaffUser, team["vagt"]).on_duty = False
        session.get(StaffUser, team["kim"]).absent = True
    crisis(database, clock, team["mille"])
    await notifier(database, clock, smtp_server).run_once()
    assert [m["To"] for m in smtp_server.messages] == ["admin@kommune.dk"]


async def test_unacknowledged_after_30_minutes_it_goes_to_the_duty_list_once(
    database, clock, smtp_server, team
):
    alert_id = crisis(database, clock, team["mille"])
    care = notifier(database, clock, smtp_server)
    await care.run_once()
    clock.advance(minutes=29)
    assert (await care.run_once()).escalated == 0
    clock.advance(minutes=2)
    assert (await care.run_once()).escalated == 1
    clock.advance(minutes=10)
    assert (await care.run_once()).escalated == 0  # once
    assert [m["To"] for m in smtp_server.messages] == ["kim@kommune.dk", "vagt@kommune.dk"]
    escalation = smtp_server.messages[1]
    assert escalation["Subject"] == "Ungeguide: en alarm, der haster, har ventet i 30 minutter"
    assert f"/alarmer/{alert_id}" in escalation.get_content()
    assert "vagtlisten" in escalation.get_content()


async def test_an_acknowledged_alert_neither_escalates_nor_sends_a_late_email(
    database, clock, smtp_server, team
):
    alert_id = crisis(database, clock, team["mille"])
    with database.session() as session:
        assert acknowledge(session, session.get(Alert, alert_id), staff_id=team["kim"], now=clock())
    clock.advance(hours=1)
    report = await notifier(database, clock, smtp_server).run_once()
    assert (report.sent, report.escalated) == (0, 0)
    assert smtp_server.messages == []
    assert notifications(database) == [(team["kim"], "alert", "cancelled", 0)]


async def test_a_held_alert_opens_and_is_emailed_when_its_time_comes(
    database, clock, smtp_server, team
):
    with database.session() as session:
        raise_alert(
            session,
            team["mille"],
            AlertKind.CRISIS_POSSIBLE,
            now=clock(),
            urgent=True,
            hold_until=clock() + timedelta(minutes=20),
        )
    care = notifier(database, clock, smtp_server)
    await care.run_once()
    assert smtp_server.messages == []
    clock.advance(minutes=21)
    assert (await care.run_once()).released == 1
    assert [m["To"] for m in smtp_server.messages] == ["kim@kommune.dk"]
    with database.session() as session:
        alert = session.scalars(select(Alert)).one()
        assert (alert.status, alert.created_at) == (AlertStatus.OPEN, clock())


async def test_a_dropped_held_alert_is_never_seen(database, clock, smtp_server, team):
    with database.session() as session:
        raise_alert(
            session,
            team["mille"],
            AlertKind.CRISIS_POSSIBLE,
            now=clock(),
            urgent=True,
            hold_until=clock() + timedelta(minutes=20),
        )
    with database.session() as session:
        drop_held(session, team["mille"], AlertKind.CRISIS_POSSIBLE)
    clock.advance(hours=1)
    await notifier(database, clock, smtp_server).run_once()
    assert smtp_server.messages == []
    with database.session() as session:
        assert session.scalars(select(Alert)).all() == []


async def test_non_urgent_alerts_arrive_as_one_digest_a_working_day(
    database, clock, smtp_server, team
):
    # Tuesday 24 November 2026, 14.00: after 08.00 on a working day.
    with database.session() as session:
        for kind in (AlertKind.CANNOT_COME, AlertKind.CANNOT_COME, AlertKind.CONTACT_REQUEST):
            raise_alert(session, team["mille"], kind, now=clock())
    assert notifications(database) == []  # nothing at once for a non-urgent alert
    care = notifier(database, clock, smtp_server)
    await care.run_once()
    clock.advance(hours=2)
    await care.run_once()
    [digest] = smtp_server.messages
    assert digest["To"] == "kim@kommune.dk"
    body = digest.get_content()
    assert "• Kan ikke komme: 2" in body
    assert "• Vil gerne tale med dig: 1" in body
    assert "Mille" not in body

    # Saturday: no digest, though a new alert came.
    clock.advance(days=4)
    with database.session() as session:
        raise_alert(session, team["mille"], AlertKind.UNREACHABLE, now=clock())
    await care.run_once()
    assert len(smtp_server.messages) == 1
    # Monday 08.00: one digest for what is new since the last one.
    clock.moment = clock.moment.replace(day=30, hour=7, minute=0)
    await care.run_once()
    assert len(smtp_server.messages) == 2
    await care.run_once()
    assert len(smtp_server.messages) == 2


async def test_without_smtp_emails_wait_in_the_outbox(database, clock, team):
    crisis(database, clock, team["mille"])
    care = Notifier(database, render=lambda facts: ("", ""), mailer=None, clock=clock)
    report = await care.run_once()
    assert report.sent == 0
    assert notifications(database) == [(team["kim"], NotificationKind.ALERT, "pending", 0)]
