"""The audit log is complete (issue 16): each view of a young person's data, each change, each
alert taken and each refused page writes exactly one line, with who, which young person and
what; admins filter it by young person and staff member and download it; no line holds what a
young person wrote.

Every check goes over HTTP (httpx against the ASGI app) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from starlette.routing import Route

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.meetings import MeetingDetails, create_meeting
from domain.people import create_young_person
from storage.models import Agreement, AuditEvent, Meeting, MeetingKind, StaffUser
from tests.auxil.web import log_in, parse

WORDS = "Jeg orker ikke mere i dag"  # what the young person wrote, in a crisis
TOPIC = "Snak om min far"
AGENDA = "Hemmelig dagsorden om praktik"
GOAL = "Komme i praktik hos bageren"
REPLY = "Det er helt okay, vi finder en ny tid"
PSEUDONYM = "Mille"


def _person(database, clock, coordinator, name=PSEUDONYM):
    with database.session() as session:
        return create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id


def _meeting(database, clock, person_id, *, cannot_come=False):
    with database.session() as session:
        meeting = create_meeting(
            session,
            person_id,
            MeetingDetails(
                kind=MeetingKind.INDIVIDUAL,
                starts_at=clock() + timedelta(days=2),
                place="Rådhuset",
                agenda=AGENDA,
            ),
            now=clock(),
        )
        if cannot_come:
            meeting.answer = "cannot_come"
            meeting.answer_reason = "Jeg er syg"
        return meeting.id


def _alert(database, clock, person_id, kind=AlertKind.CRISIS, details=None):
    with database.session() as session:
        return raise_alert(
            session,
            person_id,
            kind,
            now=clock(),
            urgent=kind == AlertKind.CRISIS,
            details=details or {"text": WORDS, "source": "words"},
        ).id


def _last_id(database):
    with database.session() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def _since(database, after):
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.young_person_ref, e.detail)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
            )
        ]


async def _csrf(client):
    """The session's CSRF token, from a page that shows no young person (so logs nothing)."""
    return parse((await client.get("/unge/ny")).text).csrf()


class Log:
    """Runs one request and returns the audit lines it wrote."""

    def __init__(self, client, database):
        self.client = client
        self.database = database

    async def get(self, url, *, status=200):
        before = _last_id(self.database)
        response = await self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return _since(self.database, before)

    async def post(self, url, data=None, *, status=303):
        csrf = await _csrf(self.client)
        before = _last_id(self.database)
        response = await self.client.post(url, data={"csrf": csrf, **(data or {})})
        assert response.status_code == status, (url, response.status_code, response.text[-300:])
        return _since(self.database, before)


@pytest.fixture
def log(client, database):
    return Log(client, database)


async def test_each_view_and_change_of_a_young_persons_data_writes_one_line(
    log, client, database, clock, coordinator, content
):
    me = coordinator.id
    person = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    unge = f"/unge/{person}"

    assert await log.get("/unge") == [(me, "view_list", None, "")]
    assert await log.get(unge) == [(me, "view_person", person, "")]
    assert await log.get("/unge/ny") == []  # an empty form shows nobody

    # Meetings: the form, a refused save, a save, the edit form, an answer, a cancel.
    assert await log.get(f"{unge}/moeder/ny") == [(me, "view_meeting_form", person, "")]
    bad = await log.post(f"{unge}/moeder/ny", {"kind": "individual", "day": ""}, status=400)
    assert bad == [(me, "view_meeting_form", person, "")]
    meeting = {
        "kind": "individual",
        "day": "2026-12-01",
        "at": "14:00",
        "place": "Rådhuset",
        "agenda": AGENDA,
    }
    [saved] = await log.post(f"{unge}/moeder/ny", meeting)
    with database.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    assert saved == (me, "plan_meeting", person, str(meeting_id))
    edit = f"{unge}/moeder/{meeting_id}"
    assert await log.get(edit) == [(me, "view_meeting_form", person, str(meeting_id))]
    assert await log.post(edit, meeting) == [(me, "plan_meeting", person, str(meeting_id))]
    answered = await log.post(f"{edit}/svar", {"reply": REPLY})
    assert answered == [(me, "reply_meeting", person, str(meeting_id))]
    assert await log.post(f"{edit}/aflys") == [(me, "cancel_meeting", person, str(meeting_id))]

    # Agreements.
    agreement = {"goal": GOAL, "action": "Ringe", "responsible": "Mille", "deadline": "2026-12-10"}
    assert await log.get(f"{unge}/aftaler/ny") == [(me, "view_agreement_form", person, "")]
    [saved] = await log.post(f"{unge}/aftaler/ny", agreement)
    with database.session() as session:
        agreement_id = session.scalars(select(Agreement.id)).one()
    assert saved == (me, "plan_agreement", person, str(agreement_id))
    edit = f"{unge}/aftaler/{agreement_id}"
    assert await log.get(edit) == [(me, "view_agreement_form", person, str(agreement_id))]
    assert await log.post(f"{edit}/aflys") == [(me, "cancel_agreement", person, str(agreement_id))]

    # The coordinator's rating.
    rating = f"{unge}/vurdering?skema=livsomraader"
    assert await log.get(rating) == [(me, "view_rating_form", person, "livsomraader")]
    items = [item.id for item in content.questionnaires["livsomraader"].items]
    assert await log.post(rating, {items[0]: "3"}, status=400) == [
        (me, "view_rating_form", person, "livsomraader")
    ]
    answers = dict.fromkeys(items, "3")
    assert await log.post(rating, answers) == [(me, "rate", person, "livsomraader")]

    # Invitations: a new young person, and a new code for this one.
    [invited] = await log.post(
        "/unge/ny", {"pseudonym": "Bo", "birth_year": "2008", "bip": "bip_uddannelse"}, status=303
    )
    assert invited[:2] == (me, "invite") and invited[2] not in (None, person)
    assert await log.post(f"{unge}/invitation", status=303) == [(me, "reissue_invite", person, "")]


async def test_alerts_viewed_taken_and_resolved_write_one_line_each(
    log, client, database, clock, coordinator, admin
):
    person = _person(database, clock, coordinator)
    crisis = _alert(database, clock, person)
    topic = _alert(database, clock, person, AlertKind.TALK_TOPIC, {"text": TOPIC})
    me = coordinator.id
    await log_in(client, coordinator)
    assert await log.get("/alarmer") == [(me, "view_alerts", None, "")]
    # The coordinator reads the words: one line, the stronger of "viewed" and "read the words".
    assert await log.get(f"/alarmer/{crisis}") == [(me, "view_crisis_words", person, str(crisis))]
    assert await log.get(f"/alarmer/{topic}") == [(me, "view_alert", person, str(topic))]
    taken = await log.post(f"/alarmer/{crisis}/tag", {"tilbage": "side"})
    assert taken == [(me, "acknowledge_alert", person, str(crisis))]
    assert await log.post(f"/alarmer/{crisis}/tag") == []  # taken already: nothing changed
    resolved = await log.post(f"/alarmer/{crisis}/loes", {"note": "Ringet op."})
    assert resolved == [(me, "resolve_alert", person, str(crisis))]

    client.cookies.clear()
    await log_in(client, admin)
    assert await log.get(f"/alarmer/{crisis}") == [(admin.id, "view_alert", person, str(crisis))]


def _url(path, **ids):
    for name, value in ids.items():
        path = path.replace("{" + name + ":int}", str(value))
    return path


def _person_routes(web):
    """Every route about one young person, with each of its methods (HEAD is GET's twin)."""
    for route in web.routes:
        if isinstance(route, Route) and "{person_id:int}" in route.path:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path


async def test_a_coordinator_probing_another_coordinators_young_person_gets_404_and_a_line(
    web, log, client, database, clock, coordinator, other_coordinator
):
    theirs = _person(database, clock, coordinator)
    meeting = _meeting(database, clock, theirs, cannot_come=True)
    missing = theirs + 1000  # no such young person
    await log_in(client, other_coordinator)
    prober = other_coordinator.id
    probed = list(_person_routes(web))
    assert len(probed) >= 12  # the person page, invitation, meetings, agreements, rating
    for person in (theirs, missing):
        for method, path in probed:
            url = _url(path, person_id=person, meeting_id=meeting, agreement_id=1)
            if method == "GET":
                lines = await log.get(url, status=404)
            else:
                lines = await log.post(url, {"reply": REPLY, "place": "x"}, status=404)
            assert lines == [(prober, "refused", person, f"{method} {url}")], url


async def test_a_missing_and_a_hidden_young_person_look_the_same(
    client, database, clock, coordinator, other_coordinator
):
    theirs = _person(database, clock, coordinator)
    await log_in(client, other_coordinator)
    hidden = await client.get(f"/unge/{theirs}")
    missing = await client.get(f"/unge/{theirs + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text
    assert PSEUDONYM not in hidden.text


async def test_refusals_are_logged_for_alerts_rows_of_someone_else_and_other_roles(
    log, client, database, clock, coordinator, other_coordinator, facilitator
):
    theirs = _person(database, clock, coordinator)
    mine = _person(database, clock, other_coordinator, name="Ali")
    alert = _alert(database, clock, theirs)
    meeting = _meeting(database, clock, theirs)
    await log_in(client, other_coordinator)
    prober = other_coordinator.id
    for url in (f"/alarmer/{alert}", f"/alarmer/{alert + 50}"):
        # The line names the alert asked for, never the young person it is about.
        assert await log.get(url, status=404) == [(prober, "refused", None, f"GET {url}")]
    take = f"/alarmer/{alert}/tag"
    assert await log.post(take, status=404) == [(prober, "refused", None, f"POST {take}")]
    # Their meeting under my own young person's number: refused, with my young person's number.
    edit = f"/unge/{mine}/moeder/{meeting}"
    assert await log.get(edit, status=404) == [(prober, "refused", mine, f"GET {edit}")]
    cancel = f"{edit}/aflys"
    assert await log.post(cancel, status=404) == [(prober, "refused", mine, f"POST {cancel}")]

    client.cookies.clear()
    await log_in(client, facilitator)
    for url, person in (("/unge", None), (f"/unge/{theirs}", theirs), ("/revision", None)):
        lines = await log.get(url, status=404)
        assert lines == [(facilitator.id, "refused", person, f"GET {url}")]


async def test_a_refusal_is_logged_even_as_the_page_rolls_back(
    client, database, clock, coordinator, other_coordinator
):
    """The 404 rolls back the page's transaction; the refusal's line has its own."""
    theirs = _person(database, clock, coordinator)
    await log_in(client, other_coordinator)
    for _ in range(3):
        assert (await client.get(f"/unge/{theirs}")).status_code == 404
    with database.session() as session:
        refused = session.scalar(
            select(func.count()).where(
                AuditEvent.action == "refused", AuditEvent.young_person_ref == theirs
            )
        )
    assert refused == 3


def _rows(page):
    table = [e for e in page.elements if e.tag == "tr"]
    return [" ".join(row.text.split()) for row in table[1:]]


async def test_admins_filter_the_log_by_young_person_and_staff_member(
    client, database, clock, coordinator, other_coordinator, admin
):
    mille = _person(database, clock, coordinator)
    ali = _person(database, clock, other_coordinator, name="Ali")
    await log_in(client, coordinator)
    await client.get(f"/unge/{mille}")
    client.cookies.clear()
    await log_in(client, other_coordinator)
    await client.get(f"/unge/{ali}")
    await client.get(f"/unge/{mille}")  # refused
    client.cookies.clear()
    await log_in(client, admin)

    by_person = parse((await client.get(f"/revision?ung={mille}")).text)
    rows = _rows(by_person)
    assert len(rows) == 2
    assert (
        "Jonas Berg" in rows[0]
        and "Fik afvist en side" in rows[0]
        and "Sara Holm" in rows[1]
        and "Så en ung" in rows[1]
    )
    assert by_person.by_id("ung").attrs["value"] == str(mille)
    assert by_person.by_id("audit-count").text.split()[:3] == ["Antal", "linjer:", "2."]

    by_staff = parse((await client.get(f"/revision?personale={other_coordinator.id}")).text)
    rows = _rows(by_staff)
    assert all("Jonas Berg" in row for row in rows)
    assert [row for row in rows if "Loggede ind" in row]  # the login helper's lines are there too
    chosen = [e for e in by_staff.all("option") if "selected" in e.attrs]
    assert [e.text for e in chosen] == ["Jonas Berg"]

    both = _rows(parse((await client.get(f"/revision?ung={ali}&personale={coordinator.id}")).text))
    assert both == ["Ingen linjer passer."]
    assert [e.attrs["href"] for e in by_person.all("a", id="export-csv")] == [
        f"/revision.csv?ung={mille}"
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("ung=abc", "ung", "Skriv den unges nummer med tal, for eksempel 12."),
        ("ung=%C2%B2", "ung", "Skriv den unges nummer med tal, for eksempel 12."),
        ("ung=99999999999999999999", "ung", "Skriv den unges nummer med tal, for eksempel 12."),
        ("personale=424242", "personale", "Vælg en medarbejder på listen."),
        ("personale=x", "personale", "Vælg en medarbejder på listen."),
    ],
)
async def test_a_filter_that_means_nothing_gets_a_clear_answer(
    client, admin, query, field, message
):
    await log_in(client, admin)
    for url in (f"/revision?{query}", f"/revision.csv?{query}"):
        response = await client.get(url)
        assert response.status_code == 400
        page = parse(response.text)
        assert page.by_id(f"{field}-error").text == message
        assert page.by_id(field).attrs.get("aria-invalid") == "true"


def _csv(response):
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="adgangslog_')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


async def test_the_export_holds_the_filtered_log_and_is_logged_itself(
    log, client, database, clock, coordinator, other_coordinator, admin
):
    mille = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    await client.get(f"/unge/{mille}")
    await client.get(f"/unge/{mille}/moeder/ny")
    client.cookies.clear()
    await log_in(client, other_coordinator)
    await client.get(f"/unge/{mille}")
    client.cookies.clear()
    await log_in(client, admin)

    before = _last_id(database)
    response = await client.get(f"/revision.csv?ung={mille}&personale={coordinator.id}")
    assert response.status_code == 200
    header, *rows = _csv(response)
    assert header == ["Hvornår", "Medarbejder nr.", "Hvem", "Hvad", "Detaljer", "Ung nr."]
    assert [row[1:] for row in rows] == [
        [str(coordinator.id), "Sara Holm", "Åbnede formularen til et møde", "", str(mille)],
        [str(coordinator.id), "Sara Holm", "Så en ung", "", str(mille)],
    ]
    assert rows[0][0] == "2026-11-24T14:00:00+01:00"  # Copenhagen time, with its offset
    assert _since(database, before) == [
        (admin.id, "export_audit", mille, f"ung={mille}&personale={coordinator.id}")
    ]

    everything = _csv(await client.get("/revision.csv"))
    # Every line so far, the first export's among them; this export is not in its own file.
    with database.session() as session:
        total = session.scalar(select(func.count()).select_from(AuditEvent))
    assert len(everything) - 1 == total - 1
    assert everything[1][3] == "Hentede adgangsloggen"
    assert await log.get("/revision.csv") == [(admin.id, "export_audit", None, "alt")]
    assert await log.get("/revision.xlsx", status=404) == [
        (admin.id, "refused", None, "GET /revision.xlsx")
    ]


async def test_only_admins_reach_the_log_and_its_export(
    client, database, clock, coordinator, facilitator
):
    for staff in (coordinator, facilitator):
        await log_in(client, staff)
        assert (await client.get("/revision")).status_code == 404
        assert (await client.get("/revision.csv")).status_code == 404
        assert (await client.get(f"/revision.csv?personale={staff.id}")).status_code == 404
        client.cookies.clear()
    assert (await client.get("/revision.csv")).headers["location"] == "/login?next=/revision.csv"
    with database.session() as session:
        exports = session.scalar(select(func.count()).where(AuditEvent.action == "export_audit"))
    assert exports == 0


async def test_paging_keeps_the_filters(client, database, clock, coordinator, admin):
    mille = _person(database, clock, coordinator)
    with database.session() as session:
        for minute in range(205):
            session.add(
                AuditEvent(
                    at=clock() - timedelta(minutes=minute),
                    staff_user_id=coordinator.id,
                    action="view_person",
                    young_person_ref=mille,
                )
            )
    await log_in(client, admin)
    first = parse((await client.get(f"/revision?ung={mille}")).text)
    assert len(_rows(first)) == 200
    [older] = [e for e in first.all("a") if e.text == "Ældre"]
    assert older.attrs["href"] == f"?ung={mille}&side=2"
    second = parse((await client.get(f"/revision?ung={mille}&side=2")).text)
    assert len(_rows(second)) == 5
    [newer] = [e for e in second.all("a") if e.text == "Nyere"]
    assert newer.attrs["href"] == f"?ung={mille}&side=1"
    past_the_end = parse((await client.get(f"/revision?ung={mille}&side=99999")).text)
    assert len(_rows(past_the_end)) == 5


async def test_no_line_holds_what_a_young_person_wrote_or_their_name(
    log, client, database, clock, coordinator, admin, content
):
    person = _person(database, clock, coordinator)
    meeting = _meeting(database, clock, person, cannot_come=True)
    crisis = _alert(database, clock, person)
    topic = _alert(database, clock, person, AlertKind.TALK_TOPIC, {"text": TOPIC})
    await log_in(client, coordinator)
    unge = f"/unge/{person}"
    for url in (unge, f"{unge}/moeder/{meeting}", f"/alarmer/{crisis}", f"/alarmer/{topic}"):
        await log.get(url)
    await log.post(f"{unge}/moeder/{meeting}/svar", {"reply": REPLY})
    await log.post(
        f"{unge}/aftaler/ny",
        {"goal": GOAL, "action": "Ringe", "responsible": PSEUDONYM, "deadline": "2026-12-10"},
    )
    await log.post(f"/alarmer/{crisis}/loes", {"note": "Talte med Mille om det."})
    client.cookies.clear()
    await log_in(client, admin)
    exported = (await client.get("/revision.csv")).content.decode("utf-8")
    page = (await client.get("/revision")).text
    with database.session() as session:
        stored = " ".join(
            f"{e.action} {e.detail} {e.young_person_ref}"
            for e in session.scalars(select(AuditEvent))
        )
        names = set(session.scalars(select(StaffUser.display_name)))
    assert "view_crisis_words" in stored and "plan_agreement" in stored
    for secret in (WORDS, TOPIC, AGENDA, GOAL, REPLY, PSEUDONYM, "Talte med", "Jeg er syg"):
        assert secret not in stored, secret
        assert secret not in exported, secret
        assert secret not in parse(page).text, secret
    assert names  # staff names are in the export: they are the "who", typed by admins


async def test_a_staff_name_cannot_become_a_spreadsheet_formula(
    client, database, clock, coordinator, admin
):
    person = _person(database, clock, coordinator)
    with database.session() as session:
        session.get(StaffUser, coordinator.id).display_name = '=HYPERLINK("http://x","y")'
    await log_in(client, coordinator)
    await client.get(f"/unge/{person}")
    client.cookies.clear()
    await log_in(client, admin)
    rows = _csv(await client.get(f"/revision.csv?ung={person}"))
    assert rows[1][2] == '\'=HYPERLINK("http://x","y")'
