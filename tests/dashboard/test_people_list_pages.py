"""The people list in pages of 50 (issue 20 point 4): search, filters and every sort are done by
the database and the page links keep them; the order is the one the whole list had before.

The clock stands at 24 November 2026 13.00 UTC, 14.00 in Copenhagen.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from dashboard.people_data import PersonRow, people_rows, search_and_sort
from dashboard.people_list import PAGE, Listing, people_page
from dashboard.web import Viewer, visible_people
from storage.models import Alert, Meeting, QuestionnaireResponse, StaffRole, YoungPerson
from tests.auxil.web import log_in, parse


def _people(database, clock, staff, count, *, name="Ung"):
    """`count` young people, some with a WHO-5, a meeting planned or an open alert."""
    now = clock()
    with database.session() as session:
        session.execute(
            insert(YoungPerson),
            [
                {
                    "pseudonym": f"{name} {n:03d}",
                    "birth_year": 2008,
                    "status": "active" if n % 4 else "paused",
                    "created_at": now - timedelta(days=100 + n),
                    "coordinator_id": staff.id,
                }
                for n in range(count)
            ],
        )
        ids = sorted(session.scalars(select(YoungPerson.id)))
        for n, person_id in enumerate(ids[-count:]):
            if n % 3 == 0:
                for month in range(2):
                    moment = now - timedelta(days=40 * month + n % 7)
                    session.add(
                        QuestionnaireResponse(
                            id=f"{person_id:08d}{month:024d}",
                            young_person_id=person_id,
                            questionnaire_id="who5",
                            questionnaire_version=1,
                            status="completed",
                            started_at=moment,
                            completed_at=moment,
                            score=(n * 7 + month * 13) % 100,
                        )
                    )
            if n % 5 == 0:
                session.add(
                    Meeting(
                        young_person_id=person_id,
                        kind="individual",
                        starts_at=now + timedelta(days=1 + n % 9),
                        place="Ungecentret",
                        created_at=now,
                    )
                )
            if n % 7 == 0:
                session.add(
                    Alert(
                        young_person_id=person_id,
                        kind="who5_low",
                        urgent=n % 14 == 0,
                        created_at=now,
                        details={},
                    )
                )


def _names(html):
    return [
        link.text
        for link in parse(html).all("a")
        if link.attrs.get("href", "").startswith("/unge/")
        and link.attrs["href"].rsplit("/", 1)[-1].isdigit()
    ]


async def test_pages_of_fifty_with_links_that_keep_the_search_and_filters(
    client, database, clock, coordinator
):
    _people(database, clock, coordinator, PAGE + 20)
    await log_in(client, coordinator)
    response = await client.get("/unge")
    first = parse(response.text)
    assert _names(response.text) == [f"Ung {n:03d}" for n in range(PAGE)]
    assert first.by_id("people-count").text.startswith("Viser 1-50 af 70; 70 i alt.")
    assert first.all("a", href="/unge?q=&sort=name&side=2", rel="next")
    second = await client.get("/unge?q=&sort=name&side=2")
    assert _names(second.text) == [f"Ung {n:03d}" for n in range(PAGE, PAGE + 20)]
    assert parse(second.text).all("a", href="/unge?q=&sort=name", rel="prev")
    # A page past the end is the last one; anything else is the first.
    assert _names((await client.get("/unge?side=9999999999999999999999")).text) == _names(
        second.text
    )
    assert _names((await client.get("/unge?side=%C2%B2")).text)[0] == "Ung 000"

    # Search and filters: the links keep them.
    searched = await client.get("/unge?q=ung+0&status=active&alarmer=1&sort=name&dir=desc")
    names = _names(searched.text)
    assert names == sorted(
        (f"Ung {n:03d}" for n in range(PAGE + 20) if n < 100 and n % 4 and n % 7 == 0),
        reverse=True,
    )
    assert not parse(searched.text).all("nav", **{"class": "pager"})  # one page: no pager
    typed = await client.get("/unge?q=%25")
    assert _names(typed.text) == []  # a typed % is a character, not a pattern


async def test_every_sort_gives_the_order_the_whole_list_had(client, database, clock, coordinator):
    """The SQL order is people_data.SORTS's (the list before it had pages), both ways."""
    _people(database, clock, coordinator, 120)
    now = clock()
    viewer = Viewer(id=coordinator.id, role=StaffRole.COORDINATOR, display_name="Sara")
    with database.session() as session:
        rows = people_rows(session, visible_people(viewer), now=now)
        for sort in ["name", "status", "checkin", "who5", "meeting", "alerts", "next"]:
            for descending in (False, True):
                expected = search_and_sort(rows, query="", sort=sort, descending=descending)
                found: list[PersonRow] = []
                for number in range(1, 4):
                    listing = Listing(sort=sort, descending=descending, page=str(number))
                    found.extend(
                        people_page(session, visible_people(viewer), listing, now=now).rows
                    )
                assert [_key(r, sort) for r in found] == [_key(r, sort) for r in expected], (
                    sort,
                    descending,
                )
                assert sorted(r.id for r in found) == sorted(r.id for r in expected)


def _key(row, sort):
    """What the sort promises: the column's value in order (ties may be in any id order)."""
    value = {
        "name": row.pseudonym.casefold(),
        "status": (row.status, row.pseudonym.casefold()),
        "checkin": row.last_checkin,
        "who5": row.who5,
        "meeting": row.next_meeting,
        "alerts": (row.urgent, row.open_alerts),
        "next": row.next_checkin,
    }[sort]
    return (None, row.pseudonym.casefold()) if value is None else value
