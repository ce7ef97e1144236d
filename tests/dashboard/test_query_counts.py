"""The number of SQL statements per page does not grow with the data (issue 9: scale)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from domain.people import create_young_person
from storage import Database
from storage.models import Alert, Answer, QuestionnaireResponse, ResponseStatus
from tests.auxil.web import log_in


@contextmanager
def counted(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _add_people(database, clock, coordinator, count, *, months):
    with database.session() as session:
        for n in range(count):
            person = create_young_person(
                session,
                pseudonym=f"U{n}",
                birth_year=2008,
                now=clock() - timedelta(days=31 * months),
                coordinator_id=coordinator.id,
            )
            for month in range(months):
                moment = clock() - timedelta(days=31 * (months - month))
                session.add(
                    QuestionnaireResponse(
                        id=f"{person.id:08d}{month:024d}",
                        young_person_id=person.id,
                        questionnaire_id="who5",
                        questionnaire_version=1,
                        status=ResponseStatus.COMPLETED,
                        started_at=moment,
                        completed_at=moment,
                        score=40 + month % 40,
                        answers=[Answer(item_id="glad", value=3, answered_at=moment)],
                    )
                )
            session.add(
                Alert(
                    young_person_id=person.id,
                    kind="who5_low",
                    created_at=clock(),
                    details={"score": 40},
                )
            )


async def _statements(client, database, urls):
    counts = {}
    for url in urls:
        with counted(database) as statements:
            response = await client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


async def test_pages_run_the_same_number_of_queries_for_3_or_30_people(
    client, database, clock, coordinator
):
    urls = ["/unge", "/unge/1", "/alarmer", "/alarmer/1", "/rapport", "/personale"]
    _add_people(database, clock, coordinator, 3, months=2)
    await log_in(client, coordinator)
    small = await _statements(client, database, urls)
    _add_people(database, clock, coordinator, 27, months=12)
    large = await _statements(client, database, urls)
    assert large == small


async def test_the_menus_alert_count_is_one_query(client, database, clock, coordinator):
    _add_people(database, clock, coordinator, 3, months=1)
    await log_in(client, coordinator)
    with counted(database) as statements:
        page = await client.get("/rapport")
    assert "Alarmer" in page.text
    counts = [s for s in statements if "alert" in s.lower() and "count(" in s.lower()]
    assert len(counts) == 1, counts


async def test_the_paged_people_list_and_inbox_run_the_same_queries_for_10_or_100_rows(
    client, database, clock, coordinator
):
    """Issue 20 point 4: with pages, the rows past the first page cost no query (each young
    person here has an open alert, so the inbox grows as the list does)."""
    urls = [
        "/unge",
        "/unge?side=2",
        "/unge?sort=who5&dir=desc",
        "/unge?q=U&alarmer=1&stille=1&forfaldne=1&status=active",
        "/alarmer",
        "/alarmer?side=2",
        "/alarmer?vis=alle&q=U&slags=who5_low",
    ]
    _add_people(database, clock, coordinator, 10, months=2)
    await log_in(client, coordinator)
    small = await _statements(client, database, urls)
    _add_people(database, clock, coordinator, 90, months=2)
    large = await _statements(client, database, urls)
    assert large == small
