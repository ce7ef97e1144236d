"""The start's schema check reads the two revisions without Alembic, and answers exactly what
Alembic answers; anything unusual is left to Alembic."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text

from storage import Database
from storage.db import MIGRATIONS
from storage.revisions import head_revision

VERSIONS = MIGRATIONS / "versions"


def _alembic_head(database: Database) -> str | None:
    return ScriptDirectory.from_config(database.alembic_config()).get_current_head()


def test_the_head_read_from_the_files_is_alembics_head(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert head_revision(VERSIONS) == _alembic_head(database)
    finally:
        database.dispose()


def test_each_step_of_the_migrations_reads_as_alembic_reads_it(empty_url):
    database = Database(empty_url)
    try:
        revisions = [
            s.revision
            for s in ScriptDirectory.from_config(database.alembic_config()).walk_revisions()
        ][::-1]
        assert database.schema_status().current is None  # no version table yet
        for revision in [revisions[0], revisions[len(revisions) // 2], revisions[-1]]:
            database.upgrade(revision)
            status = database.schema_status()
            with database.engine.connect() as connection:
                assert (
                    status.current == MigrationContext.configure(connection).get_current_revision()
                )
            assert status.current == revision
            assert status.head == revisions[-1]
            assert status.up_to_date == (revision == revisions[-1])
        database.downgrade("base")  # the table stays, empty
        assert database.schema_status().current is None
    finally:
        database.dispose()


def _write(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / name).write_text(
        f"revision: str = '{revision}'\ndown_revision: str | None = {down}\n", encoding="utf-8"
    )


def test_a_merge_or_two_heads_or_an_unreadable_file_is_left_to_alembic(tmp_path):
    _write(tmp_path, "a.py", "a", "None")
    _write(tmp_path, "b.py", "b", "'a'")
    assert head_revision(tmp_path) == "b"
    _write(tmp_path, "c.py", "c", "'a'")  # two heads: b and c
    assert head_revision(tmp_path) is None
    _write(tmp_path, "d.py", "d", "('b', 'c')")  # a merge
    assert head_revision(tmp_path) is None
    for name in ("c.py", "d.py"):
        (tmp_path / name).unlink()
    (tmp_path / "e.py").write_text("revision = make_id()\n", encoding="utf-8")
    assert head_revision(tmp_path) is None


def test_two_rows_in_the_version_table_are_left_to_alembic(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        database.upgrade()
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO alembic_version VALUES ('elsewhere')"))
        with pytest.raises(CommandError, match="more than one head"):  # Alembic's own answer
            database.schema_status()
    finally:
        database.dispose()
