"""A young person's whole course in the dashboard (issue 18 points 1-3), over HTTP on SQLite and
PostgreSQL: agreement outcomes, overdue agreements, meeting changes that message the young person,
attendance, pause/resume/end/hand over/erase, the invitation's post/redirect/get and its nickname
check; every action audited, every other coordinator's attempt a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.locale import local
from domain.agreements import AgreementDetails, answer_from_young_person, create_agreement
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.meetings import MeetingDetails, create_meeting
from domain.outbox import ReminderKind
from domain.people import create_young_person
from storage.models import (
    Agreement,
    Alert,
    AuditEvent,
    CoordinatorChange,
    Erasure,
    Meeting,
    MeetingKind,
    Reminder,
    ReminderStatus,
    YoungPerson,
)
from tests.auxil.web import log_in, parse, post_form

ACTIVE = {"status": "active", "information_version": 1}


def _person(database, clock, coordinator, name="Mille", **fields):
    with database.session() as session:
        person = create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=coordinator.id
        )
        for key, value in fields.items():
            setattr(person, key, value)
        return person.id


def _meeting(database, clock, person_id, *, days=2):
    with database.session() as session:
        details = MeetingDetails(
            kind=MeetingKind.INDIVIDUAL, starts_at=clock() + timedelta(days=days), place="Kontoret"
        )
        return create_meeting(session, person_id, details, now=clock()).id


def _agreement(database, clock, person_id, *, days=3):
    with database.session() as session:
        details = AgreementDetails(
            goal="Komme op om morgenen",
            action="Sætte vækkeur",
            responsible="Mille",
            deadline=local(clock()).date() + timedelta(days=days),
        )
        return create_agreement(session, person_id, details, now=clock()).id


def _actions(database, after):
    with database.session() as session:
        return [
            (event.action, event.young_person_ref)
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
            )
        ]


def _last_audit(database):
    with database.session() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


async def _notice(client, person_id):
    page = parse((await client.get(f"/unge/{person_id}")).text)
    return page.by_id("notice").text.strip()


# --- invitation: post/redirect/get and the nickname check ------------------------------------


async def test_a_refreshed_invitation_creates_no_second_young_person(client, coordinator, database):
    await log_in(client, coordinator)
    posted = await post_form(
        client, "/unge/ny", {"pseudonym": "Bo", "birth_year": "2008", "bip": "bip_uddannelse"}
    )
    assert posted.status_code == 303
    shown = await client.get(posted.headers["location"])
    code = parse(shown.text).by_id("invite-link").attrs["href"].split("start=")[1]
    refreshed = await client.get(posted.headers["location"])  # F5 on the invitation page
    assert refreshed.status_code == 200
    assert code not in refreshed.text
    assert "Invitationen blev vist én gang" in parse(refreshed.text).text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 1


@pytest.mark.parametrize(
    ("nickname", "words"),
    [("010203-1234", "ligner et CPR-nummer"), ("Mads Hansen", "ligner et fuldt navn")],
)
async def test_a_nickname_like_personal_data_is_saved_only_when_confirmed(
    client, coordinator, database, nickname, words
):
    await log_in(client, coordinator)
    fields = {"pseudonym": nickname, "birth_year": "2008", "bip": "bip_uddannelse"}
    warned = await post_form(client, "/unge/ny", fields)
    assert warned.status_code == 400
    page = parse(warned.text)
    assert words in page.by_id("nickname-warning").text
    assert page.by_id("pseudonym").attrs["value"] == nickname  # nothing typed is lost
    # Ticking the box for another nickname than the one warned about confirms nothing.
    changed = {**fields, "pseudonym": "Ida Berg", "confirm": "yes", "confirmed": nickname}
    assert (await post_form(client, "/unge/ny", changed)).status_code == 400
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 0
    confirmed = {**fields, "confirm": "yes", "confirmed": nickname}
    assert (await post_form(client, "/unge/ny", confirmed)).status_code == 303
    with database.session() as session:
        assert session.scalars(select(YoungPerson.pseudonym)).all() == [nickname]


async def test_initials_get_no_warning(client, coordinator):
    await log_in(client, coordinator)
    fields = {"pseudonym": "Mads K.", "birth_year": "2008", "bip": "bip_uddannelse"}
    assert (await post_form(client, "/unge/ny", fields)).status_code == 303


# --- agreements through to the end ----------------------------------------------------------


async def test_the_coordinator_records_an_outcome_and_can_reopen(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    agreement = _agreement(database, clock, person)
    await log_in(client, coordinator)
    base = f"/unge/{person}/aftaler/{agreement}"
    before = _last_audit(database)
    bad = await post_form(client, f"{base}/udfald", {"outcome": "perfect"}, page=f"/unge/{person}")
    assert bad.status_code == 400
    assert "Vælg gennemført, ikke gennemført eller droppet." in parse(bad.text).text
    done = await post_form(client, f"{base}/udfald", {"outcome": "done"}, page=f"/unge/{person}")
    assert done.status_code == 303
    with database.session() as session:
        row = session.get(Agreement, agreement)
        assert (row.status, row.outcome_by, row.outcome_staff_id) == (
            "done",
            "coordinator",
            coordinator.id,
        )
        pending = session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.subject == f"agreement:{agreement}",
                Reminder.status == ReminderStatus.PENDING,
            )
        )
        assert pending == 0
    assert await _notice(client, person) == "Aftalens udfald er gemt. Dens påmindelser er stoppet."
    reopened = await post_form(client, f"{base}/genaabn", {}, page=f"/unge/{person}")
    assert reopened.status_code == 303
    with database.session() as session:
        assert session.get(Agreement, agreement).status == "open"
    again = await post_form(client, f"{base}/genaabn", {}, page=f"/unge/{person}")
    assert again.status_code == 400
    actions = [a for a in _actions(database, before) if a[0] != "view_person"]
    assert actions == [("agreement_outcome", person), ("reopen_agreement", person)]


async def test_an_overdue_agreement_is_flagged_and_saved_without_moving_it(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    agreement = _agreement(database, clock, person, days=1)
    clock.advance(days=3)
    await log_in(client, coordinator)
    page = parse((await client.get(f"/unge/{person}")).text)
    assert "Fristen er overskredet" in page.by_id(f"agreement-{agreement}").text
    form = f"/unge/{person}/aftaler/{agreement}"
    shown = parse((await client.get(form)).text)
    assert "Fristen er overskredet" in shown.by_id("overdue").text
    deadline = shown.by_id("deadline").attrs["value"]
    fields = {"goal": "Op kl. 8", "action": "Vækkeur", "responsible": "Mille"}
    saved = await post_form(client, form, {**fields, "deadline": deadline})
    assert saved.status_code == 303
    earlier = (local(clock()).date() - timedelta(days=1)).isoformat()
    moved = await post_form(client, form, {**fields, "deadline": earlier})
    assert moved.status_code == 400
    assert "Fristen kan ikke ligge i fortiden." in parse(moved.text).text
    with database.session() as session:
        row = session.get(Agreement, agreement)
        assert (row.goal, row.deadline.isoformat()) == ("Op kl. 8", deadline)


async def test_the_young_persons_answer_shows_on_the_page(client, coordinator, database, clock):
    person = _person(database, clock, coordinator, **ACTIVE)
    agreement = _agreement(database, clock, person)
    with database.session() as session:
        answer_from_young_person(session, agreement, "done", now=clock())
    await log_in(client, coordinator)
    row = parse((await client.get(f"/unge/{person}")).text).by_id(f"agreement-{agreement}")
    assert "Gennemført" in row.text and "den unge svarede" in row.text


# --- meetings --------------------------------------------------------------------------------


def _change_messages(database, meeting):
    with database.session() as session:
        return [
            (r.kind, r.status)
            for r in session.scalars(
                select(Reminder)
                .where(
                    Reminder.subject == f"meeting:{meeting}",
                    Reminder.kind.in_([ReminderKind.MEETING_MOVED, ReminderKind.MEETING_CANCELLED]),
                )
                .order_by(Reminder.id)
            )
        ]


async def test_moving_a_meeting_queues_exactly_one_message_and_says_so(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    meeting = _meeting(database, clock, person)
    await log_in(client, coordinator)
    form = f"/unge/{person}/moeder/{meeting}"
    line = parse((await client.get(form)).text).by_id("change-message").text
    assert "får den unge én kort besked" in line
    day = (local(clock()).date() + timedelta(days=3)).isoformat()
    fields = {"kind": "individual", "day": day, "at": "10:00", "place": "Kontoret"}
    assert (await post_form(client, form, fields)).status_code == 303
    assert _change_messages(database, meeting) == [("meeting_moved", "pending")]
    assert (
        await _notice(client, person)
        == "Mødet er gemt. Den unge får en kort besked med det nye tidspunkt og sted."
    )
    with database.session() as session:  # no reminder of the old time is left
        old = session.get(Meeting, meeting).starts_at
        due = session.scalars(
            select(Reminder.latest_at).where(
                Reminder.subject == f"meeting:{meeting}",
                Reminder.status == ReminderStatus.PENDING,
                Reminder.kind.in_([ReminderKind.MEETING_DAY_BEFORE, ReminderKind.MEETING_SOON]),
            )
        ).all()
        assert all(latest <= old for latest in due)
    cancelled = await post_form(client, f"{form}/aflys", {}, page=f"/unge/{person}")
    assert cancelled.status_code == 303
    assert _change_messages(database, meeting) == [
        ("meeting_moved", "cancelled"),
        ("meeting_cancelled", "pending"),
    ]
    assert (
        await _notice(client, person)
        == "Mødet er aflyst. Den unge får en kort besked om, at mødet er aflyst."
    )


async def test_a_paused_young_person_is_told_nothing_and_the_page_says_so(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, status="paused", information_version=1)
    meeting = _meeting(database, clock, person)
    await log_in(client, coordinator)
    form = f"/unge/{person}/moeder/{meeting}"
    assert (
        "får derfor ingen besked"
        in parse((await client.get(form)).text).by_id("change-message").text
    )
    await post_form(client, f"{form}/aflys", {}, page=f"/unge/{person}")
    assert "ikke er med lige nu" in await _notice(client, person)


async def test_a_move_in_the_night_says_when_the_message_goes(client, coordinator, database, clock):
    clock.advance(hours=9)  # 22.00 UTC, 23.00 in Copenhagen: quiet hours
    person = _person(database, clock, coordinator, **ACTIVE)
    meeting = _meeting(database, clock, person)
    await log_in(client, coordinator)
    day = (local(clock()).date() + timedelta(days=3)).isoformat()
    fields = {"kind": "individual", "day": day, "at": "10:00", "place": "Kontoret"}
    await post_form(client, f"/unge/{person}/moeder/{meeting}", fields)
    notice = await _notice(client, person)
    assert notice.startswith("Mødet er gemt. Den unge får en kort besked med det nye tidspunkt")
    assert "kl. 08.00 (ikke om natten)." in notice


async def test_the_answer_to_cannot_come_shows_and_closes_its_alert(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    meeting = _meeting(database, clock, person)
    with database.session() as session:
        session.get(Meeting, meeting).answer = "cannot_come"
        alert = raise_alert(
            session, person, AlertKind.CANNOT_COME, now=clock(), details={"meeting_id": meeting}
        ).id
    await log_in(client, coordinator)
    reply = {"reply": "Det er helt okay. Vi finder en ny tid."}
    sent = await post_form(client, f"/unge/{person}/moeder/{meeting}/svar", reply, page="/unge/ny")
    assert sent.status_code == 303
    row = parse((await client.get(f"/unge/{person}")).text).by_id(f"meeting-{meeting}")
    assert "Dit svar" in row.text and "Vi finder en ny tid." in row.text
    with database.session() as session:
        assert session.get(Alert, alert).status == "resolved"


async def test_attendance_is_recorded_after_the_meeting(client, coordinator, database, clock):
    person = _person(database, clock, coordinator, **ACTIVE)
    meeting = _meeting(database, clock, person, days=1)
    await log_in(client, coordinator)
    url = f"/unge/{person}/moeder/{meeting}/fremmoede"
    early = await post_form(client, url, {"attendance": "attended"}, page="/unge/ny")
    assert early.status_code == 400
    assert "når mødet er begyndt" in parse(early.text).text
    clock.advance(days=1, hours=2)
    await log_in(client, coordinator)  # the session ended while we waited
    bad = await post_form(client, url, {"attendance": "maybe"}, page="/unge/ny")
    assert bad.status_code == 400
    before = _last_audit(database)
    assert (
        await post_form(client, url, {"attendance": "no_show"}, page="/unge/ny")
    ).status_code == 303
    assert _actions(database, before) == [("record_attendance", person)]
    with database.session() as session:
        assert session.get(Meeting, meeting).attendance == "no_show"
    row = parse((await client.get(f"/unge/{person}")).text).by_id(f"meeting-{meeting}")
    assert "Fremmøde: Kom ikke" in row.text


# --- the life cycle --------------------------------------------------------------------------


async def test_pause_resume_and_end_with_an_outcome(client, coordinator, database, clock):
    person = _person(database, clock, coordinator, **ACTIVE)
    await log_in(client, coordinator)
    page = f"/unge/{person}"
    before = _last_audit(database)
    assert (await post_form(client, f"{page}/pause", {}, page=page)).status_code == 303
    assert "sat på pause" in await _notice(client, person)
    again = await post_form(client, f"{page}/pause", {}, page=page)
    assert again.status_code == 400
    assert "Kun en ung, der er med, kan sættes på pause." in parse(again.text).text
    assert (await post_form(client, f"{page}/genoptag", {}, page=page)).status_code == 303
    # "Other" needs a note; what was typed stays.
    today = local(clock()).date().isoformat()
    other = await post_form(client, f"{page}/afslut", {"outcome": "other", "ended_on": today})
    assert other.status_code == 400
    shown = parse(other.text)
    assert shown.by_id("note-error").text == "Skriv et par ord om, hvordan det sluttede."
    assert shown.by_id("ended_on").attrs["value"] == today
    future = (local(clock()).date() + timedelta(days=1)).isoformat()
    late = await post_form(client, f"{page}/afslut", {"outcome": "work", "ended_on": future})
    assert late.status_code == 400
    ended = await post_form(client, f"{page}/afslut", {"outcome": "education", "ended_on": today})
    assert ended.status_code == 303
    with database.session() as session:
        row = session.get(YoungPerson, person)
        assert (row.status, row.end_outcome, row.ended_on.isoformat()) == (
            "ended",
            "education",
            today,
        )
    text = parse((await client.get(page)).text).by_id("end-outcome").text
    assert "Startet på en uddannelse" in text
    actions = [a for a, _ in _actions(database, before) if not a.startswith("view_")]
    assert actions == ["pause_person", "resume_person", "end_course"]


async def test_a_coordinator_hands_over_to_a_colleague(
    client, coordinator, other_coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    await log_in(client, coordinator)
    page = f"/unge/{person}"
    bad = await post_form(client, f"{page}/kontaktperson", {"coordinator": "99999"}, page=page)
    assert bad.status_code == 400
    moved = await post_form(
        client, f"{page}/kontaktperson", {"coordinator": str(other_coordinator.id)}, page=page
    )
    assert moved.headers["location"] == "/kvittering"
    receipt = await client.get("/kvittering")
    assert "Jonas Berg er nu kontaktperson." in parse(receipt.text).text
    assert (await client.get(page)).status_code == 404  # no longer mine
    with database.session() as session:
        change = session.scalars(select(CoordinatorChange)).one()
        assert (change.from_coordinator_id, change.to_coordinator_id, change.changed_by) == (
            coordinator.id,
            other_coordinator.id,
            coordinator.id,
        )


async def test_erasing_names_what_goes_and_needs_the_box_ticked(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator, status="ended")  # a /slet request
    _agreement(database, clock, person)
    await log_in(client, coordinator)
    page = parse((await client.get(f"/unge/{person}")).text)
    assert "har bedt om at få sine data slettet" in page.by_id("delete-requested").text
    url = f"/unge/{person}/slet"
    listed = parse((await client.get(url)).text).by_id("erase-rows").text
    assert (
        "Aftaler: 1" in listed and "Kaldenavn, fødselsår og forbindelsen til Telegram: 1" in listed
    )
    unticked = await post_form(client, url, {})
    assert unticked.status_code == 400
    assert "Intet blev slettet." in parse(unticked.text).text
    with database.session() as session:
        assert session.get(YoungPerson, person) is not None
    before = _last_audit(database)
    erased = await post_form(client, url, {"confirm": "yes"})
    assert erased.headers["location"] == "/kvittering"
    assert "Alt om Mille er slettet." in parse((await client.get("/kvittering")).text).text
    assert (await client.get("/kvittering")).headers["location"] == "/unge"  # said once
    with database.session() as session:
        assert session.get(YoungPerson, person) is None
        assert session.scalar(select(func.count()).select_from(Agreement)) == 0
        assert session.scalars(select(Erasure.reason)).all() == ["request"]
    # The form page read for the token is a view; the erasure its own line.
    assert _actions(database, before) == [("view_erase_form", person), ("erase_person", person)]


# --- another coordinator sees nothing --------------------------------------------------------


async def test_another_coordinator_gets_404_on_every_action(
    client, coordinator, other_coordinator, database, clock
):
    person = _person(database, clock, coordinator, **ACTIVE)
    meeting = _meeting(database, clock, person)
    agreement = _agreement(database, clock, person)
    await log_in(client, other_coordinator)
    base = f"/unge/{person}"
    posts = {
        f"{base}/aftaler/{agreement}/udfald": {"outcome": "done"},
        f"{base}/aftaler/{agreement}/genaabn": {},
        f"{base}/moeder/{meeting}/fremmoede": {"attendance": "attended"},
        f"{base}/pause": {},
        f"{base}/genoptag": {},
        f"{base}/afslut": {"outcome": "work", "ended_on": "2026-11-24"},
        f"{base}/kontaktperson": {"coordinator": str(other_coordinator.id)},
        f"{base}/slet": {"confirm": "yes"},
    }
    for url, data in posts.items():
        before = _last_audit(database)
        response = await post_form(client, url, data, page="/unge/ny")
        assert response.status_code == 404, url
        assert _actions(database, before) == [("refused", person)], url
    for url in (f"{base}/afslut", f"{base}/slet", f"{base}/invitation"):
        assert (await client.get(url)).status_code == 404, url
    with database.session() as session:
        row = session.get(YoungPerson, person)
        assert (row.status, row.coordinator_id) == ("active", coordinator.id)
        assert session.get(Agreement, agreement).status == "open"
