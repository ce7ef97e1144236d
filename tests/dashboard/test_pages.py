"""The dashboard's pages in process (httpx against the ASGI app) on real SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.service import ConversationService
from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.people import create_young_person
from storage.models import (
    Agreement,
    Alert,
    AuditEvent,
    CoordinatorRating,
    Meeting,
    MeetingKind,
    Reminder,
    ReminderStatus,
    YoungPerson,
)
from tests.auxil.web import log_in, parse, post_form, who5_through_the_engine
from tests.dashboard.conftest import BOT

LOW_ANSWERS = [
    "Lidt af tiden",
    "På intet tidspunkt",
    "Lidt af tiden",
    "Lidt af tiden",
    "Lidt mindre end halvdelen af tiden",
]  # 1+0+1+1+2 = 5 -> 20


def _person(database, clock, coordinator, name="Mille", **fields):
    with database.session() as session:
        person = create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=coordinator.id
        )
        for key, value in fields.items():
            setattr(person, key, value)
        return person.id


async def test_login_needs_the_right_password_and_sends_you_where_you_wanted(client, coordinator):
    assert (await client.get("/unge")).headers["location"] == "/login?next=/unge"
    page = await client.get("/login?next=/unge")
    wrong = await client.post(
        "/login",
        data={
            "csrf": parse(page.text).csrf(),
            "email": coordinator.email,
            "password": "forkert-forkert",
        },
    )
    assert wrong.status_code == 400
    assert "E-mailen eller adgangskoden er ikke rigtig." in parse(wrong.text).text
    right = await client.post(
        "/login",
        data={
            "csrf": parse(page.text).csrf(),
            "next": "/unge",
            "email": coordinator.email.upper(),
            "password": coordinator.password,
        },
    )
    assert right.headers["location"] == "/unge"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert (await client.get("/unge")).status_code == 200


async def test_login_never_redirects_off_the_site(client, coordinator):
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "csrf": parse(page.text).csrf(),
            "next": "//evil.example/x",
            "email": coordinator.email,
            "password": coordinator.password,
        },
    )
    assert response.headers["location"] == "/"


async def test_login_is_throttled_after_five_failures(client, coordinator, clock):
    page = await client.get("/login")
    token = parse(page.text).csrf()
    for _ in range(5):
        failed = await client.post(
            "/login", data={"csrf": token, "email": coordinator.email, "password": "nope-nope-nope"}
        )
        assert failed.status_code == 400
    blocked = await client.post(
        "/login", data={"csrf": token, "email": coordinator.email, "password": coordinator.password}
    )
    assert blocked.status_code == 429
    assert "Prøv igen senere" in parse(blocked.text).text
    clock.advance(minutes=16)
    again = await client.post(
        "/login", data={"csrf": token, "email": coordinator.email, "password": coordinator.password}
    )
    assert again.status_code == 303


async def test_a_tampered_or_missing_csrf_token_is_400_and_changes_nothing(
    client, coordinator, database
):
    await log_in(client, coordinator)
    for data in ({"csrf": "forged"}, {}):
        response = await client.post(
            "/unge/ny",
            data={**data, "pseudonym": "X", "birth_year": "2008", "bip": "bip_uddannelse"},
        )
        assert response.status_code == 400
        assert "Formularen kunne ikke sendes" in parse(response.text).text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 0


async def test_invite_shows_the_deep_link_and_a_qr_code_once(client, coordinator, database):
    await log_in(client, coordinator)
    response = await post_form(
        client,
        "/unge/ny",
        {"pseudonym": "Mads K.", "birth_year": "2007", "bip": "bip_beskaeftigelse"},
    )
    assert response.status_code == 303  # post/redirect/get: the invitation is its own page
    response = await client.get(response.headers["location"])
    assert response.status_code == 200
    page = parse(response.text)
    link = page.by_id("invite-link")
    code = link.attrs["href"].split("start=")[1]
    assert link.attrs["href"] == f"https://t.me/{BOT}?start={code}"
    assert "<svg" in response.text  # the QR code, inline
    with database.session() as session:
        person = session.scalars(select(YoungPerson)).one()
        assert (person.pseudonym, person.birth_year, person.coordinator_id) == (
            "Mads K.",
            2007,
            coordinator.id,
        )
        assert person.checkin_plan == {"who5": 30, "bip_beskaeftigelse": 91}
        assert code not in (person.invite_code_hash or "")
    # Re-issuing gives a new code; the person page never shows one.
    person_page = await client.get(f"/unge/{person.id}")
    assert code not in person_page.text
    again = await post_form(client, f"/unge/{person.id}/invitation", {}, page=f"/unge/{person.id}")
    again = await client.get(again.headers["location"])
    new_code = parse(again.text).by_id("invite-link").attrs["href"].split("start=")[1]
    assert new_code != code


async def test_invite_form_answers_every_bad_field_in_danish(client, coordinator, database):
    await log_in(client, coordinator)
    response = await post_form(
        client, "/unge/ny", {"pseudonym": "", "birth_year": "08", "bip": "noget"}, page="/unge/ny"
    )
    assert response.status_code == 400
    text = parse(response.text).text
    assert "Skriv et kaldenavn eller initialer." in text
    assert "Skriv et fødselsår med fire cifre" in text
    assert "Vælg, hvilken BIP den unge svarer på." in text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 0


async def test_a_who5_through_the_engine_shows_as_chart_and_urgent_alert(
    client, coordinator, database, content, clock
):
    await log_in(client, coordinator)
    invited = await post_form(
        client, "/unge/ny", {"pseudonym": "Noor", "birth_year": "2009", "bip": "bip_uddannelse"}
    )
    invited = await client.get(invited.headers["location"])
    code = parse(invited.text).by_id("invite-link").attrs["href"].split("start=")[1]
    service = ConversationService(database, content, clock=clock)
    who5_through_the_engine(service, 5151, code, LOW_ANSWERS)
    with database.session() as session:
        person_id = session.scalars(select(YoungPerson.id)).one()
        kinds = sorted((a.kind, a.urgent) for a in session.scalars(select(Alert)))
    assert kinds == [("who5_item_low", False), ("who5_low", True)]
    listing = parse((await client.get("/unge")).text).text
    assert "Noor" in listing and "20" in listing and "haster" in listing
    page = await client.get(f"/unge/{person_id}")
    assert re.search(r'<circle class="point" cx="[\d.]+" cy="[\d.]+"', page.text)
    assert page.text.count('class="reference"') == 2
    inbox = await client.get("/alarmer")
    assert "Lav trivsel (WHO-5)" in parse(inbox.text).text
    # Resolving needs a note.
    [alert_id, *_] = re.findall(r'action="/alarmer/(\d+)/loes"', inbox.text)
    empty = await post_form(client, f"/alarmer/{alert_id}/loes", {"note": ""}, page="/alarmer")
    assert empty.status_code == 400
    assert "Skriv en kort note" in parse(empty.text).text
    done = await post_form(
        client, f"/alarmer/{alert_id}/loes", {"note": "Ringet til Noor."}, page="/alarmer"
    )
    assert done.status_code == 303
    with database.session() as session:
        alert = session.get(Alert, int(alert_id))
        assert alert.note == "Ringet til Noor." and alert.resolved_by == coordinator.id


async def test_planning_a_meeting_plans_its_reminders(client, coordinator, database, clock):
    person_id = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    url = f"/unge/{person_id}/moeder/ny"
    bad = await post_form(
        client, url, {"kind": "individual", "day": "2020-01-01", "at": "25:00", "place": ""}
    )
    assert bad.status_code == 400
    text = parse(bad.text).text
    assert "Skriv et klokkeslæt" in text and "Skriv, hvor I mødes." in text
    saved = await post_form(
        client,
        url,
        {
            "kind": "network",
            "day": "2026-12-01",
            "at": "14:00",
            "place": "Rådhuset",
            "participants": "Mor, UU",
            "agenda": "Praktik",
        },
    )
    assert saved.status_code == 303
    with database.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.starts_at.isoformat() == "2026-12-01T13:00:00+00:00"  # 14.00 in winter
        planned = session.scalars(
            select(Reminder).where(
                Reminder.subject == f"meeting:{meeting.id}",
                Reminder.status == ReminderStatus.PENDING,
            )
        ).all()
        assert planned
    page = await client.get(f"/unge/{person_id}")
    row = parse(page.text).by_id(f"meeting-{meeting.id}")
    assert "1. dec. 2026 kl. 14.00" in row.text  # a table: the short date, with its year
    assert "Planlagt" in row.text
    # Cancel: the reminders are cancelled too.
    cancelled = await post_form(
        client, f"/unge/{person_id}/moeder/{meeting.id}/aflys", {}, page=f"/unge/{person_id}"
    )
    assert cancelled.status_code == 303
    with database.session() as session:
        statuses = {(r.kind, r.status) for r in session.scalars(select(Reminder))}
        # The planned reminders stop; the one message saying it is cancelled waits to go.
        assert statuses == {
            ("meeting_day_before", ReminderStatus.CANCELLED),
            ("meeting_soon", ReminderStatus.CANCELLED),
            ("meeting_feedback", ReminderStatus.CANCELLED),
            ("meeting_cancelled", ReminderStatus.PENDING),
        }


async def test_editing_an_agreement_keeps_one_set_of_reminders(
    client, coordinator, database, clock
):
    person_id = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    created = await post_form(
        client,
        f"/unge/{person_id}/aftaler/ny",
        {
            "goal": "Komme i praktik",
            "action": "Ringe til Netto",
            "responsible": "Mille",
            "deadline": "2026-12-10",
        },
    )
    assert created.status_code == 303
    with database.session() as session:
        agreement = session.scalars(select(Agreement)).one()
    url = f"/unge/{person_id}/aftaler/{agreement.id}"
    form = parse((await client.get(url)).text)
    assert form.by_id("responsible").attrs["value"] == "Mille"
    edited = await post_form(
        client,
        url,
        {
            "goal": "Komme i praktik",
            "action": "Ringe til Føtex",
            "responsible": "Mille",
            "deadline": "2026-12-12",
        },
    )
    assert edited.status_code == 303
    with database.session() as session:
        pending = session.scalars(
            select(Reminder).where(Reminder.status == ReminderStatus.PENDING)
        ).all()
        assert pending and all(r.subject == f"agreement:{agreement.id}" for r in pending)
        assert len({r.kind for r in pending}) == len(pending)


async def test_the_coordinators_bip_rating_is_stored_beside_the_young_persons(
    client, coordinator, database, clock, content
):
    person_id = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    url = f"/unge/{person_id}/vurdering?skema=bip_uddannelse"
    items = [item.id for item in content.questionnaires["bip_uddannelse"].items]
    missing = await post_form(client, url, {items[0]: "4"})
    assert missing.status_code == 400
    assert "Der mangler nogle svar" in parse(missing.text).text
    answers = {item: str(1 + n % 5) for n, item in enumerate(items)}
    saved = await post_form(client, url, {**answers, "belief": "4"})
    assert saved.status_code == 303
    with database.session() as session:
        rating = session.scalars(select(CoordinatorRating)).one()
        assert rating.belief == 4 and rating.staff_user_id == coordinator.id
        assert rating.answers == {item: int(value) for item, value in answers.items()}
    page = parse((await client.get(f"/unge/{person_id}")).text).text
    assert "Din tro på, at den unge kommer i uddannelse eller job: 4 af 5" in page


async def test_text_a_young_person_wrote_is_shown_as_text(
    client, coordinator, database, clock, content
):
    person_id = _person(database, clock, coordinator, name="<b>Bo</b>")
    with database.session() as session:
        meeting = create_meeting(
            session,
            person_id,
            MeetingDetails(
                kind=MeetingKind.INDIVIDUAL, starts_at=clock() + timedelta(days=2), place="Rådhus"
            ),
            now=clock(),
        )
        meeting.answer = "cannot_come"
        meeting.answer_reason = "<script>alert(1)</script>"
        create_agreement(
            session,
            person_id,
            AgreementDetails(
                goal="<img src=x onerror=alert(2)>",
                action="a",
                responsible="b",
                deadline=(clock() + timedelta(days=5)).date(),
            ),
            now=clock(),
        )
    await log_in(client, coordinator)
    page = await client.get(f"/unge/{person_id}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text
    assert "<b>Bo</b>" not in page.text
    assert "<script>alert(1)</script>" in parse(page.text).text  # shown, as text


async def test_views_are_audited_and_only_admins_read_the_log(
    client, coordinator, admin, database, clock
):
    person_id = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    await client.get(f"/unge/{person_id}")
    assert (await client.get("/revision")).status_code == 404
    with database.session() as session:
        events = session.execute(
            select(AuditEvent.staff_user_id, AuditEvent.action, AuditEvent.young_person_ref)
        ).all()
    assert (coordinator.id, "view_person", person_id) in events
    client.cookies.clear()
    await log_in(client, admin)
    log = parse((await client.get("/revision")).text).text
    assert "Sara Holm" in log and "Så en ung" in log


async def test_a_setup_link_sets_the_password_once(client, database, clock):
    from dashboard.accounts import create_staff, issue_setup_link
    from storage.models import StaffRole

    with database.session() as session:
        staff = create_staff(
            session,
            email="ny@kommune.invalid",
            display_name="Ny",
            role=StaffRole.COORDINATOR,
            password=None,
            now=clock(),
        )
        token = issue_setup_link(session, staff, now=clock())
    url = f"/adgangskode/{token}"
    short = await post_form(client, url, {"password": "kort", "repeat": "kort"})
    assert short.status_code == 400 and "Brug mindst 12 tegn." in parse(short.text).text
    done = await post_form(client, url, {"password": "lang-nok-kode", "repeat": "lang-nok-kode"})
    assert done.headers["location"] == "/unge"
    assert (await client.get("/unge")).status_code == 200
    assert (await client.get(url)).status_code == 404  # used up
