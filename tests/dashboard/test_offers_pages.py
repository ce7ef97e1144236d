"""The offers pages over HTTP on SQLite and PostgreSQL: an admin keeps the list (/tilbud), a
coordinator records, changes and removes a young person's offers (/unge/<id>/tilbud); every change
is audited, bad input is answered in Danish with what was typed kept, other roles and other
coordinators get a 404. (The report's counts of offers: tests/dashboard/test_keyfigures.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from domain.people import create_young_person
from storage.models import AuditEvent, Offer, PersonOffer
from tests.auxil.web import log_in, parse, post_form


def _person(database, clock, coordinator, name="Mille"):
    with database.session() as session:
        return create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id


def _actions(database):
    with database.session() as session:
        return [
            (event.action, event.young_person_ref, event.detail)
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if event.action not in ("login", "view_offers")
        ]


def _offer_id(database, name):
    with database.session() as session:
        return session.scalar(select(Offer.id).where(Offer.name == name))


async def test_an_admin_keeps_the_list(client, admin, database):
    await log_in(client, admin)
    page = parse((await client.get("/tilbud")).text)
    names = [row.text.strip() for row in page.all("th", scope="row")]
    assert names == ["Behandling", "FGU", "Mentor", "Praktik", "STU"]  # the defaults, by name
    added = await post_form(client, "/tilbud", {"action": "add", "name": "  Job  coach "})
    assert (added.status_code, added.headers["location"]) == (303, "/tilbud")
    shown = parse((await client.get("/tilbud")).text)
    assert shown.by_id("offer-list") is not None
    assert "Job coach er på listen." in shown.text
    coach = _offer_id(database, "Job coach")
    renamed = await post_form(
        client, "/tilbud", {"action": "rename", "offer": str(coach), "name": "Jobcoach"}
    )
    assert renamed.status_code == 303
    assert "Tilbuddet hedder nu Jobcoach." in parse((await client.get("/tilbud")).text).text
    mentor = _offer_id(database, "Mentor")
    await post_form(client, "/tilbud", {"action": "retire", "offer": str(mentor)})
    page = parse((await client.get("/tilbud")).text)
    assert "Mentor er taget ud af brug" in page.text
    assert "Tag Mentor i brug igen" in page.text
    await post_form(client, "/tilbud", {"action": "restore", "offer": str(mentor)})
    assert "Mentor kan gives igen." in parse((await client.get("/tilbud")).text).text
    assert [(a, d) for a, _p, d in _actions(database)] == [
        ("add_offer", str(coach)),
        ("rename_offer", str(coach)),
        ("retire_offer", str(mentor)),
        ("restore_offer", str(mentor)),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Skriv tilbuddets navn."),
        ("x" * 81, "Brug højst 80 tegn."),
        ("mentor", "Der er allerede et tilbud med det navn."),
    ],
)
async def test_a_bad_name_is_answered_and_kept(client, admin, database, name, message):
    await log_in(client, admin)
    answer = await post_form(client, "/tilbud", {"action": "add", "name": name})
    assert answer.status_code == 400
    page = parse(answer.text)
    assert page.by_id("name-error").text == message
    assert page.by_id("name").attrs["value"] == name.strip()
    assert page.by_id("name").attrs["aria-invalid"] == "true"
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 5
    fgu = _offer_id(database, "FGU")
    answer = await post_form(
        client, "/tilbud", {"action": "rename", "offer": str(fgu), "name": name}
    )
    assert answer.status_code == 400
    assert parse(answer.text).by_id(f"name-{fgu}-error").text == message


@pytest.mark.parametrize("role", ["coordinator", "facilitator"])
async def test_only_an_admin_has_the_list(request, client, admin, role):
    other = request.getfixturevalue(role)
    await log_in(client, admin)
    form = parse((await client.get("/tilbud")).text)
    await log_in(client, other)
    assert (await client.get("/tilbud")).status_code == 404
    posted = await client.post("/tilbud", data={"csrf": form.csrf(), "action": "add", "name": "X"})
    assert posted.status_code in (400, 404)  # the session's token changed at login: never added


async def test_a_coordinator_records_changes_and_removes_an_offer(
    client, coordinator, database, clock
):
    person = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    url = f"/unge/{person}/tilbud"
    page = parse((await client.get(url)).text)
    assert "Ingen tilbud noteret endnu." in page.text
    fgu = _offer_id(database, "FGU")
    given = await post_form(
        client, url, {"action": "give", "offer": str(fgu), "starts_on": "2026-09-01"}
    )
    assert (given.status_code, given.headers["location"]) == (303, url)
    page = parse((await client.get(url)).text)
    assert "FGU er noteret." in page.text
    assert "Fra 1. sep. 2026, løber stadig" in page.text
    with database.session() as session:
        [received] = session.scalars(select(PersonOffer)).all()
        assert (received.starts_on, received.ends_on) == (date(2026, 9, 1), None)
        assert received.created_by == coordinator.id
    changed = await post_form(
        client,
        url,
        {
            "action": "change",
            "received": str(received.id),
            "starts_on": "2026-09-01",
            "ends_on": "2026-11-20",
        },
    )
    assert changed.status_code == 303
    page = parse((await client.get(url)).text)
    assert "Dagene er gemt." in page.text
    assert "1. sep. 2026 til 20. nov. 2026" in page.text
    removed = await post_form(client, url, {"action": "remove", "received": str(received.id)})
    assert removed.status_code == 303
    assert "Tilbuddet er fjernet." in parse((await client.get(url)).text).text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(PersonOffer)) == 0
    assert [(a, p) for a, p, _d in _actions(database)] == [
        ("give_offer", person),
        ("change_offer_days", person),
        ("remove_person_offer", person),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"offer": "", "starts_on": "2026-09-01"}, "offer", "Vælg et tilbud på listen."),
        ({"offer": "999999", "starts_on": "2026-09-01"}, "offer", "Vælg et tilbud på listen."),
        ({"offer": "FGU", "starts_on": "i går"}, "starts_on", "Vælg en dato."),
        (
            {"offer": "FGU", "starts_on": "0001-01-01"},
            "starts_on",
            "Vælg en dato mellem år 2000 og 2099.",
        ),
        (
            {"offer": "FGU", "starts_on": "2026-09-01", "ends_on": "2026-08-31"},
            "ends_on",
            "Slutdagen kan ikke ligge før startdagen.",
        ),
    ],
)
async def test_a_bad_offer_is_answered_and_nothing_is_lost(
    client, coordinator, database, clock, fields, field, message
):
    person = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    url = f"/unge/{person}/tilbud"
    await client.get(url)  # the default offers on first use
    if fields["offer"] == "FGU":
        fields = {**fields, "offer": str(_offer_id(database, "FGU"))}
    answer = await post_form(client, url, {"action": "give", **fields})
    assert answer.status_code == 400
    page = parse(answer.text)
    assert page.by_id(f"{field}-error").text == message
    if field != "offer":
        assert page.by_id(field).attrs["value"] == fields[field]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(PersonOffer)) == 0


async def test_a_retired_offer_cannot_be_given(client, admin, coordinator, database, clock):
    person = _person(database, clock, coordinator)
    await log_in(client, admin)
    await client.get("/tilbud")
    stu = _offer_id(database, "STU")
    await post_form(client, "/tilbud", {"action": "retire", "offer": str(stu)})
    await log_in(client, coordinator)
    url = f"/unge/{person}/tilbud"
    page = parse((await client.get(url)).text)
    assert "STU" not in [option.text for option in page.all("option")]
    answer = await post_form(
        client, url, {"action": "give", "offer": str(stu), "starts_on": "2026-09-01"}
    )
    assert answer.status_code == 400


async def test_another_coordinator_gets_404_and_cannot_touch_an_offer(
    client, coordinator, other_coordinator, database, clock
):
    mine = _person(database, clock, coordinator)
    theirs = _person(database, clock, other_coordinator, name="Bo")
    await log_in(client, coordinator)
    await client.get(f"/unge/{mine}/tilbud")  # the default offers on first use
    fgu = _offer_id(database, "FGU")
    await post_form(
        client,
        f"/unge/{mine}/tilbud",
        {"action": "give", "offer": str(fgu), "starts_on": "2026-01-05"},
    )
    with database.session() as session:
        received = session.scalar(select(PersonOffer.id))
    assert received is not None
    await log_in(client, other_coordinator)
    assert (await client.get(f"/unge/{mine}/tilbud")).status_code == 404
    # Their own young person's page, naming an offer that belongs to someone else: a 404.
    answer = await post_form(
        client, f"/unge/{theirs}/tilbud", {"action": "remove", "received": str(received)}
    )
    assert answer.status_code == 404
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(PersonOffer)) == 1


async def test_the_report_links_an_admin_to_the_list(client, admin, coordinator):
    await log_in(client, admin)
    links = [a.attrs.get("href") for a in parse((await client.get("/rapport")).text).all("a")]
    assert "/tilbud" in links
    await log_in(client, coordinator)
    links = [a.attrs.get("href") for a in parse((await client.get("/rapport")).text).all("a")]
    assert "/tilbud" not in links


async def test_the_offers_pages_are_linked_where_they_are_needed(
    client, admin, coordinator, database, clock
):
    person = _person(database, clock, coordinator)
    await log_in(client, coordinator)
    page = parse((await client.get(f"/unge/{person}")).text)
    assert page.by_id("offers-link").attrs["href"] == f"/unge/{person}/tilbud"
    assert page.all("a", href="/tilbud") == []  # the list is the admins'
    await client.post("/logout", data={"csrf": page.csrf()})
    await log_in(client, admin)
    menu = parse((await client.get("/unge")).text)
    assert [a.text for a in menu.all("a", href="/tilbud")] == ["Tilbud"]
