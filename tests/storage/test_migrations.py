"""Migrations are the only way the schema is made, and they match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import StatementError

from storage import Base, Database, SchemaOutOfDate
from tests.auxil.postgres import scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_database(request.getfixturevalue("postgres_url")) as url:
        yield url


def test_upgrade_creates_a_schema_that_matches_the_models(empty_url):
    database = Database(empty_url)
    try:
        with pytest.raises(SchemaOutOfDate, match="Run: ungeguide db upgrade"):
            database.require_current_schema()
        database.upgrade()
        database.require_current_schema()
        with database.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        tables = set(inspect(database.engine).get_table_names())
        assert {table.name for table in Base.metadata.sorted_tables} <= tables
        database.upgrade()  # a second upgrade is a no-op
    finally:
        database.dispose()


def test_an_older_schema_is_refused_with_the_command_to_run(empty_url):
    database = Database(empty_url)
    try:
        database.upgrade()
        database.downgrade("base")
        with pytest.raises(SchemaOutOfDate) as caught:
            database.require_current_schema()
        assert "it is at empty" in str(caught.value)
        assert str(caught.value).endswith("Run: ungeguide db upgrade")
    finally:
        database.dispose()


def test_naive_datetimes_are_refused(database):
    from datetime import datetime

    from storage.people import create_young_person

    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        create_young_person(session, pseudonym="X", birth_year=2008, now=datetime(2026, 1, 1))  # noqa: DTZ001
