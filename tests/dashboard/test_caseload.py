"""The caseload at a glance, over HTTP on SQLite and PostgreSQL: the people list's filters and
next check-in, the week view, dates with their year in every table, answers with their words,
and the audit lines of each view. Known numbers from tests/auxil/caseload.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import AuditEvent
from tests.auxil.caseload import Caseload, seed_caseload
from tests.auxil.web import log_in, parse


@pytest.fixture
def caseload(database, coordinator, other_coordinator) -> Caseload:
    return seed_caseload(database, sara=coordinator, jonas=other_coordinator)


def _names(html: str) -> list[str]:
    table = parse(html)
    return [
        link.text
        for link in table.all("a")
        if link.attrs.get("href", "").startswith("/unge/")
        and link.attrs["href"].rsplit("/", 1)[-1].isdigit()
    ]


def _audit(database) -> list[tuple[int, str, int | None, str]]:
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.young_person_ref, e.detail)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Asta", "Bo", "Cille", "Dan"]),
        ("?status=active", ["Asta", "Cille"]),
        ("?status=paused", ["Bo"]),
        ("?status=invited", ["Dan"]),
        ("?alarmer=1", ["Asta"]),
        ("?stille=1", ["Cille"]),
        ("?forfaldne=1", ["Bo"]),
        ("?status=active&stille=1", ["Cille"]),
        ("?status=paused&stille=1", []),
        ("?alarmer=1&forfaldne=1", []),
        ("?status=nonsense", ["Asta", "Bo", "Cille", "Dan"]),  # unknown: no filter
        ("?q=c&stille=1", ["Cille"]),
    ],
)
async def test_the_people_filters_on_a_seeded_caseload(
    client, coordinator, caseload, query, expected
):
    await log_in(client, coordinator)
    response = await client.get(f"/unge{query}")
    assert response.status_code == 200
    document = parse(response.text)
    table = document.by_id("people")
    shown = [name for name in ["Asta", "Bo", "Cille", "Dan", "Eva"] if name in table.text]
    assert shown == expected
    assert f"Viser {len(expected)} af 4." in document.by_id("people-count").text
    if not expected:
        assert "Ingen unge fundet." in table.text


async def test_the_filters_stay_checked_and_in_the_sort_links(client, coordinator, caseload):
    await log_in(client, coordinator)
    document = parse((await client.get("/unge?status=active&stille=1")).text)
    assert document.all("input", name="stille")[0].attrs.get("checked") == ""
    assert "checked" not in document.all("input", name="alarmer")[0].attrs
    selected = [o for o in document.all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in selected] == ["active"]
    sort_links = [a.attrs["href"] for a in document.all("a") if "sort=" in a.attrs.get("href", "")]
    assert sort_links and all("status=active" in h and "stille=1" in h for h in sort_links)


def _cells(html: str) -> dict[str, dict[str, str]]:
    """Each row of the people table: its cells by column name (the data-label a phone shows)."""
    rows: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for element in parse(html).elements:
        if element.tag == "tr" and "data-name" in element.attrs:
            current = {}
            rows[element.attrs["data-name"]] = current
        elif element.tag in ("td", "th") and "data-label" in element.attrs:
            current[element.attrs["data-label"]] = " ".join(element.text.split())
    return rows


async def test_the_list_shows_the_next_check_in_and_dates_with_their_year(
    client, coordinator, caseload
):
    await log_in(client, coordinator)
    rows = _cells((await client.get("/unge")).text)
    # Asta: the invitation on 10 December at 16.00 Copenhagen time; the earlier nudge is no
    # new check-in. Bo is paused: his planned invitation will not be sent, so none is shown.
    assert rows["asta"]["Næste tjek-ind"] == "10. dec. 2026 kl. 16.00"
    assert rows["asta"]["Seneste tjek-ind"] == "10. nov. 2026"
    assert rows["asta"]["Næste møde"] == "25. nov. 2026 kl. 10.00"
    assert rows["asta"]["Åbne alarmer"] == "1"
    assert rows["bo"]["Næste tjek-ind"] == "–"
    assert rows["bo"]["Aftaler over frist"] == "1"
    assert rows["cille"]["Aftaler over frist"] == "0"  # her late agreement was done
    assert rows["cille"]["Seneste tjek-ind"] == "1. okt. 2026"
    assert rows["cille"]["Næste møde"] == "1. dec. 2026 kl. 14.00"
    assert rows["dan"]["Seneste tjek-ind"] == "–"
    assert set(rows) == {"asta", "bo", "cille", "dan"}


async def test_the_person_page_tables_have_years_and_answers_their_words(
    client, coordinator, caseload
):
    await log_in(client, coordinator)
    document = parse((await client.get(f"/unge/{caseload.asta}")).text)
    text = document.text
    assert "10. nov. 2026 64" in text  # the WHO-5 numbers table
    meetings = " ".join(document.by_id("meetings").text.split())
    assert "25. nov. 2026 kl. 10.00" in meetings
    # The WHO-5 answer 4 is "Det meste af tiden"; livsområder 4 is "Godt", the rating 3 "Både og".
    assert "glad og i godt humør: 4 – Det meste af tiden" in text
    assert "4 – Godt" in text and "3 – Både og" in text
    assert document.by_id("history-link").attrs["href"] == f"/unge/{caseload.asta}/historik"
    bo = parse((await client.get(f"/unge/{caseload.bo}")).text)
    assert "20. nov. 2026" in " ".join(bo.by_id("agreements").text.split())


async def test_the_week_view_shows_my_meetings_day_by_day(client, database, coordinator, caseload):
    await log_in(client, coordinator)
    response = await client.get("/uge")
    assert response.status_code == 200
    document = parse(response.text)
    assert "Møder i uge 48, 2026" in document.text
    assert "23. nov. 2026 – 29. nov. 2026" in document.text
    wednesday = " ".join(document.by_id("day-2026-11-25").text.split())
    assert wednesday.startswith("onsdag den 25. november 2026")
    assert "10.00 Asta: Individuelt møde, Jobcentret" in wednesday
    thursday = " ".join(document.by_id("day-2026-11-26").text.split())
    assert "Cille" in thursday and "Aflyst" in thursday
    assert "Eva" not in document.text and "Hemmeligt sted" not in document.text
    assert "Møder i ugen: 2." in document.by_id("week-count").text
    links = {a.text: a.attrs["href"] for a in document.all("a")}
    assert links["Forrige uge"] == "/uge?uge=2026-W47"
    assert links["Næste uge"] == "/uge?uge=2026-W49"
    assert "Denne uge" not in links

    later = parse((await client.get("/uge?uge=2026-W49")).text)
    tuesday = " ".join(later.by_id("day-2026-12-01").text.split())
    assert "14.00 Cille: Individuelt møde, Biblioteket" in tuesday
    assert {a.text: a.attrs["href"] for a in later.all("a")}["Denne uge"] == "/uge"
    assert _audit(database)[-2:] == [
        (coordinator.id, "view_week", None, "2026-W48"),
        (coordinator.id, "view_week", None, "2026-W49"),
    ]


async def test_a_week_across_new_year_and_a_week_that_cannot_be_read(client, coordinator, caseload):
    await log_in(client, coordinator)
    first = parse((await client.get("/uge?uge=2026-W53")).text)
    assert "Møder i uge 53, 2026" in first.text
    assert "28. dec. 2026 – 3. jan. 2027" in first.text
    assert {a.text: a.attrs["href"] for a in first.all("a")}["Næste uge"] == "/uge?uge=2027-W01"
    for bad in ("2026-W54", "uge 48", "2026-W4x", "9999999999-W01"):
        response = await client.get(f"/uge?uge={bad}")
        assert response.status_code == 400, bad
        document = parse(response.text)
        assert "Vi kunne ikke læse den uge, så her er denne uge." in document.text
        assert "Møder i uge 48, 2026" in document.text


async def test_the_week_is_for_coordinators_and_admins(client, admin, facilitator, caseload):
    await log_in(client, admin)
    document = parse((await client.get("/uge")).text)
    assert "Asta" in document.text and "Eva" in document.text  # an admin sees everyone's
    client.cookies.clear()
    await log_in(client, facilitator)
    assert (await client.get("/uge")).status_code == 404


async def test_the_audit_log_shows_the_new_lines_in_words_with_years(
    client, database, coordinator, admin, caseload
):
    await log_in(client, coordinator)
    await client.get("/uge")
    await client.get(f"/unge/{caseload.asta}/historik")
    await client.get(f"/unge/{caseload.asta}/historik.csv")
    client.cookies.clear()
    await log_in(client, admin)
    table = parse((await client.get("/revision")).text).by_id("audit")
    text = " ".join(table.text.split())
    assert "Så ugens møder (2026-W48)" in text
    assert "Så en ungs hele forløb" in text
    assert "Hentede en ungs hele forløb (csv)" in text
    assert "24. nov. 2026 kl. 14.00" in text
