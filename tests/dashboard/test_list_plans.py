"""The admin's people list and alert inbox read a page of 50 from an index in their order, so
PostgreSQL stops after 50 rows instead of sorting the municipality (issue 20 point 4).

With sorting switched off for the planner, a statement whose ORDER BY an index can give is
planned as an index scan; one that no index fits is still planned with a Sort (at a prohibitive
cost). So the plan shows whether the page's order and the migration's index still agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from dashboard.alert_inbox import InboxQuery, inbox_page
from dashboard.people_list import Listing, people_page
from dashboard.web import Viewer, visible_people
from domain.people import create_young_person
from storage import Database
from storage.models import Alert, Base, StaffRole

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
ADMIN = Viewer(id=1, role=StaffRole.ADMIN, display_name="Ida Admin")


@pytest.fixture
def postgres(postgres_migrated: str) -> Iterator[Database]:
    database = Database(postgres_migrated)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with database.session() as session:
        for n in range(3):
            person = create_young_person(
                session, pseudonym=f"Ung {n}", birth_year=2008, now=NOW, coordinator_id=None
            )
            session.add(
                Alert(
                    young_person_id=person.id,
                    kind="who5_low",
                    urgent=n == 0,
                    created_at=NOW - timedelta(hours=n),
                    details={},
                )
            )
    yield database
    database.dispose()


@contextmanager
def statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    found: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        found.append((args[2], args[3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def plan_without_sorting(database: Database, sql: str, parameters: Any) -> str:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        rows = connection.exec_driver_sql("EXPLAIN " + sql, parameters)
        return "\n".join(row[0] for row in rows)


def sorts(plan: str) -> list[str]:
    """The plan's Sort nodes (of every row; an Incremental Sort of ties is not one)."""
    return [line for line in plan.splitlines() if re.match(r"\s*(->)?\s*Sort  \(cost=", line)]


def test_the_people_list_by_name_reads_the_name_index_in_order(postgres):
    for descending in (False, True):
        with postgres.session() as session, statements(postgres) as found:
            page = people_page(
                session, visible_people(ADMIN), Listing(descending=descending), now=NOW
            )
        assert [row.pseudonym for row in page.rows] == sorted(
            ["Ung 0", "Ung 1", "Ung 2"], reverse=descending
        )
        sql, parameters = next(s for s in found if "ORDER BY lower(young_person.pseudonym)" in s[0])
        plan = plan_without_sorting(postgres, sql, parameters)
        assert "ix_young_person_name" in plan, plan
        assert not sorts(plan), plan


def test_the_inbox_reads_the_open_alerts_from_their_index_in_order(postgres):
    with postgres.session() as session, statements(postgres) as found:
        page = inbox_page(session, ADMIN, InboxQuery(), now=NOW)
    assert [card.pseudonym for card in page.sections[0].cards] == ["Ung 0", "Ung 1", "Ung 2"]
    sql, parameters = next(s for s in found if "ORDER BY alert.urgent DESC" in s[0])
    plan = plan_without_sorting(postgres, sql, parameters)
    assert "ix_alert_inbox" in plan, plan
    assert not sorts(plan), plan
