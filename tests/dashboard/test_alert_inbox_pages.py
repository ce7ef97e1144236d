"""The alert inbox in pages of 50, searched by nickname and kind (issue 20 point 4), with the role
rules unchanged: a search never finds an alert its viewer may not see.

The clock stands at 24 November 2026 13.00 UTC, 14.00 in Copenhagen.
"""

from __future__ import annotations

from datetime import timedelta

from dashboard.alert_inbox import PAGE
from domain.alerts.kinds import AlertKind
from domain.people import create_young_person
from storage.models import Alert, AlertStatus
from tests.auxil.web import log_in, parse, post_form


def _person(database, clock, staff, name):
    with database.session() as session:
        return create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=staff.id
        ).id


def _alerts(database, clock, person_id, count, *, kind=AlertKind.WHO5_LOW, status="open", by=None):
    """`count` alerts, the first one the newest."""
    with database.session() as session:
        found = []
        for n in range(count):
            alert = Alert(
                young_person_id=person_id,
                kind=kind,
                urgent=False,
                created_at=clock() - timedelta(minutes=n),
                details={"score": 40},
                status=status,
            )
            if status != AlertStatus.OPEN:
                alert.acknowledged_by = by
                alert.acknowledged_at = clock() - timedelta(minutes=n)
            session.add(alert)
            session.flush()
            found.append(alert.id)
        return found


def _shown(page):
    return [e.attrs["id"] for e in page.all("li") if e.attrs.get("id", "").startswith("alert-")]


def _heading(page, heading_id):
    return " ".join(page.by_id(heading_id).text.split())


async def test_fifty_a_page_in_order_with_every_total_and_a_way_to_every_page(
    client, database, clock, coordinator
):
    person_id = _person(database, clock, coordinator, "Noor")
    open_ids = _alerts(database, clock, person_id, PAGE + 10)
    taken_ids = _alerts(database, clock, person_id, 3, status="acknowledged", by=coordinator.id)
    await log_in(client, coordinator)

    first = parse((await client.get("/alarmer")).text)
    assert _shown(first) == [f"alert-{i}" for i in open_ids[:PAGE]]
    assert _heading(first, "open-heading") == "Åbne (60)"
    assert _heading(first, "taken-heading") == "Taget, ikke løst endnu (3)"
    assert first.by_id("inbox-count").text.startswith("Alarm 1-50 af 63.")
    assert "Står på side 2." in first.text  # the taken ones are on the next page
    assert first.all("a", href="/alarmer?side=2", rel="next")
    assert "Side 1 af 2" in first.text

    second = parse((await client.get("/alarmer?side=2")).text)
    assert _shown(second) == [f"alert-{i}" for i in open_ids[PAGE:] + taken_ids]
    assert second.all("a", href="/alarmer", rel="prev")
    assert not second.all("a", rel="next")
    # Whatever is typed as a page, the answer is a page that exists.
    for typed, expected in [("99999999999999999999", second), ("x", first), ("-1", first)]:
        page = parse((await client.get("/alarmer", params={"side": typed})).text)
        assert _shown(page) == _shown(expected), typed


async def test_search_by_part_of_a_nickname_and_by_kind(client, database, clock, coordinator):
    noor = _person(database, clock, coordinator, "Noor")
    mads = _person(database, clock, coordinator, "Mads_K")
    [noor_low] = _alerts(database, clock, noor, 1)
    [noor_cannot] = _alerts(database, clock, noor, 1, kind=AlertKind.CANNOT_COME)
    [mads_low] = _alerts(database, clock, mads, 1)
    await log_in(client, coordinator)

    async def shown(**params):
        response = await client.get("/alarmer", params=params)
        assert response.status_code == 200
        return set(_shown(parse(response.text)))

    assert await shown(q="noo") == {f"alert-{noor_low}", f"alert-{noor_cannot}"}
    assert await shown(q="  NOOR ") == {f"alert-{noor_low}", f"alert-{noor_cannot}"}
    assert await shown(slags="cannot_come") == {f"alert-{noor_cannot}"}
    assert await shown(q="noor", slags="who5_low") == {f"alert-{noor_low}"}
    # A typed % or _ is a character of the nickname, not a pattern.
    assert await shown(q="%") == set()
    assert await shown(q="s_k") == {f"alert-{mads_low}"}
    assert await shown(q="s_") == {f"alert-{mads_low}"}
    # An unknown kind is no filter.
    assert len(await shown(slags="nonsense")) == 3
    empty = parse((await client.get("/alarmer", params={"q": "Zara"})).text)
    assert empty.by_id("inbox-count").text.startswith("Ingen alarmer passer til søgningen.")
    # The search is kept in the page's links and in its form.
    page = parse((await client.get("/alarmer", params={"q": "noor", "slags": "cannot_come"})).text)
    assert page.all("a", href="/alarmer?q=noor&slags=cannot_come&vis=alle")
    assert page.all("input", name="liste", value="q=noor&slags=cannot_come")


async def test_a_search_finds_only_what_the_viewer_may_see(
    client, database, clock, coordinator, other_coordinator
):
    [theirs] = _alerts(database, clock, _person(database, clock, other_coordinator, "Noor"), 1)
    [mine] = _alerts(database, clock, _person(database, clock, coordinator, "Noor B"), 1)
    await log_in(client, coordinator)
    page = parse((await client.get("/alarmer", params={"q": "noor"})).text)
    assert _shown(page) == [f"alert-{mine}"]
    assert f"alert-{theirs}" not in (await client.get("/alarmer?vis=alle&q=noor")).text


async def test_resolved_ones_are_paged_too_after_the_unresolved(
    client, database, clock, coordinator
):
    person_id = _person(database, clock, coordinator, "Noor")
    _alerts(database, clock, person_id, 2)
    resolved = _alerts(database, clock, person_id, PAGE, status="resolved", by=coordinator.id)
    with database.session() as session:
        for n, alert_id in enumerate(resolved):
            session.get(Alert, alert_id).resolved_at = clock() - timedelta(hours=n)
    await log_in(client, coordinator)
    assert "resolved-heading" not in (await client.get("/alarmer")).text
    second = parse((await client.get("/alarmer?vis=alle&side=2")).text)
    assert _heading(second, "resolved-heading") == "Løst (50)"
    assert _shown(second) == [f"alert-{i}" for i in resolved[PAGE - 2 :]]


async def test_taking_an_alert_on_page_two_comes_back_to_page_two(
    client, database, clock, coordinator
):
    person_id = _person(database, clock, coordinator, "Noor")
    ids = _alerts(database, clock, person_id, PAGE + 5)
    await log_in(client, coordinator)
    page = "/alarmer?q=noor&side=2"
    alert_id = ids[-1]
    taken = await post_form(
        client,
        f"/alarmer/{alert_id}/tag",
        {"tilbage": "inbox", "liste": "q=noor&side=2"},
        page=page,
    )
    assert taken.headers["location"] == f"/alarmer?q=noor&side=2#alert-{alert_id}"
    # The way back is always a page of the inbox, whatever is posted as the list.
    for posted in ["https://evil.example/", "//evil.example", "side=2&x=\r\nSet-Cookie:a"]:
        again = await post_form(
            client, f"/alarmer/{ids[0]}/tag", {"tilbage": "inbox", "liste": posted}, page=page
        )
        assert again.headers["location"].startswith("/alarmer"), posted
        assert again.headers["location"] in {
            f"/alarmer#alert-{ids[0]}",
            f"/alarmer?side=2#alert-{ids[0]}",
        }


async def test_a_missing_note_on_page_two_shows_the_error_there(
    client, database, clock, coordinator
):
    person_id = _person(database, clock, coordinator, "Noor")
    ids = _alerts(database, clock, person_id, PAGE + 5)
    await log_in(client, coordinator)
    alert_id = ids[-1]
    empty = await post_form(
        client,
        f"/alarmer/{alert_id}/loes",
        {"note": " ", "liste": "side=2"},
        page="/alarmer?side=2",
    )
    assert empty.status_code == 400
    page = parse(empty.text)
    assert page.by_id(f"note-{alert_id}-error").text.startswith("Skriv en kort note")
    assert "Side 2 af 2" in page.text
