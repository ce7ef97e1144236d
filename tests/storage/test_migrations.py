"""Migrations are the only way the schema is made, and they match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import StatementError

from storage import Base, Database, SchemaOutOfDate


# The people list's name index is on an expression and on PostgreSQL only (storage/models/
# people.py): alembic compares it there, and says on SQLite that it cannot.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index 'ix_young_person_name'"
)
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

    from domain.people import create_young_person

    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        create_young_person(session, pseudonym="X", birth_year=2008, now=datetime(2026, 1, 1))  # noqa: DTZ001


def test_upgrading_keeps_the_data_of_every_table(empty_url):
    from datetime import UTC, datetime

    from sqlalchemy import text

    database = Database(empty_url)
    try:
        database.upgrade("0002")
        now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO young_person (id, pseudonym, birth_year, status, created_at) "
                    "VALUES (1, 'Mille', 2008, 'active', :now)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO questionnaire_response (id, young_person_id, questionnaire_id, "
                    "questionnaire_version, status, started_at) "
                    "VALUES ('r1', 1, 'who5', 1, 'in_progress', :now)"
                ),
                {"now": now},
            )
            for item, value in (("glad", 4), ("rolig", 2)):
                connection.execute(
                    text(
                        "INSERT INTO answer (response_id, item_id, value, answered_at) "
                        "VALUES ('r1', :item, :value, :now)"
                    ),
                    {"item": item, "value": value, "now": now},
                )
        database.upgrade()
        with database.engine.connect() as connection:
            answers = connection.execute(
                text("SELECT item_id, value FROM answer ORDER BY item_id")
            ).all()
            responses = connection.execute(text("SELECT count(*) FROM questionnaire_response"))
            assert responses.scalar() == 1
        assert [tuple(row) for row in answers] == [("glad", 4), ("rolig", 2)]
        if database.is_sqlite:  # foreign keys are enforced again after the migration
            with database.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()
