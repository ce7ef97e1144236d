"""Backup and restore on real SQLite and PostgreSQL: a restore brings back exactly the backup."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from contextlib import closing
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from storage import (
    Answer,
    Base,
    ConversationStateRow,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from storage.backup import BackupError, backup, restore
from storage.people import create_young_person


def add_response(database, person_id, clock, values=(5, 4, 1)):
    """A completed WHO-5-like response with answers, as the conversation service stores it."""
    response_id = uuid.uuid4().hex
    with database.session() as session:
        session.add(
            QuestionnaireResponse(
                id=response_id,
                young_person_id=person_id,
                questionnaire_id="who5",
                questionnaire_version=1,
                status=ResponseStatus.COMPLETED,
                started_at=clock(),
                completed_at=clock() + timedelta(minutes=3),
                score=sum(values) * 4,
                talk_next_time="Min praktikplads",
            )
        )
        for item_id, value in zip(("glad", "rolig", "aktiv"), values, strict=True):
            session.add(
                Answer(response_id=response_id, item_id=item_id, value=value, answered_at=clock())
            )
        session.add(
            ConversationStateRow(
                young_person_id=person_id,
                flow="idle",
                step="idle",
                data={"last": response_id},
                updated_at=clock(),
            )
        )
    return response_id


def contents(database):
    """Every row of every table, in primary-key order."""
    with database.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def test_restore_brings_back_the_rows_as_they_were_at_backup(
    database_url, database, person_id, clock, tmp_path
):
    database.upgrade()
    response_id = add_response(database, person_id, clock)
    before = contents(database)
    target = tmp_path / "backups" / "ungeguide.backup"

    report = backup(database_url, target)

    assert report.path == target
    assert report.bytes == target.stat().st_size > 0
    assert not target.with_name(target.name + ".tmp").exists()
    assert {name: len(rows) for name, rows in before.items()} == {
        name: count for name, count in report.tables.items() if name != "alembic_version"
    }
    assert (report.tables["young_person"], report.tables["answer"]) == (1, 3)
    assert report.tables["alembic_version"] == 1

    clock.advance(days=1)
    with database.session() as session:
        session.get(YoungPerson, person_id).pseudonym = "Ændret"
        session.delete(session.get(QuestionnaireResponse, response_id))  # cascades to answers
        create_young_person(session, pseudonym="Ny", birth_year=2009, now=clock())
    assert contents(database) != before
    database.dispose()  # no pooled connection may hold the database during the restore

    restore(database_url, target)

    assert contents(database) == before
    database.require_current_schema()
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        assert (person.pseudonym, person.created_at) == ("Mille", clock() - timedelta(days=1))
        response = session.get(QuestionnaireResponse, response_id)
        assert (response.score, response.talk_next_time) == (40, "Min praktikplads")
        assert [answer.value for answer in response.answers] == [5, 4, 1]
        # Sequences come back with the data: a new row does not reuse a restored id.
        newcomer = create_young_person(session, pseudonym="Ny", birth_year=2009, now=clock())
        assert newcomer.id > person_id


def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(
    database_url, database, person_id, clock, tmp_path
):
    add_response(database, person_id, clock)
    before = contents(database)
    database.dispose()
    other_kind = tmp_path / "other-kind.backup"
    if database.is_sqlite:
        other_kind.write_bytes(b"PGDMP" + bytes(100))
        cases = [
            ("damaged.backup", b"SQLite format 3\x00" + b"\xff" * 2000, "SQLite restore .* failed"),
            (
                "other-kind.backup",
                None,
                "is a PostgreSQL backup; it cannot be restored into an SQLite",
            ),
        ]
    else:
        with closing(sqlite3.connect(other_kind)) as connection:
            connection.execute("CREATE TABLE t (x)")
        cases = [
            ("damaged.backup", b"PGDMP" + bytes(100), "pg_restore failed: .+"),
            ("other-kind.backup", None, "is an SQLite database; it cannot be restored into Postg"),
        ]
    cases += [
        ("notes.txt", b"not a database\n", "is not an? (SQLite database|PostgreSQL backup)"),
        ("empty.backup", b"", "is not an? (SQLite database|PostgreSQL backup)"),
        ("missing.backup", None, "Cannot read the backup .*missing.backup"),
    ]
    for name, data, message in cases:
        if data is not None:
            (tmp_path / name).write_bytes(data)
        with pytest.raises(BackupError, match=message):
            restore(database_url, tmp_path / name)
    assert contents(database) == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_backup_reads_past_an_open_write_transaction(
    database_url, database, clock, tmp_path
):
    with database.session() as session:
        create_young_person(session, pseudonym="Gemt", birth_year=2008, now=clock())
    with database.engine.connect() as writer:
        assert writer.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        writer.rollback()
        with writer.begin():  # BEGIN IMMEDIATE: the write lock is held until the block ends
            writer.execute(
                sa.insert(YoungPerson).values(
                    pseudonym="Ugemt", birth_year=2008, status="invited", created_at=clock()
                )
            )
            report = backup(database_url, tmp_path / "live.backup")
    assert report.tables["young_person"] == 1  # the committed row, not the open transaction's
    with closing(sqlite3.connect(tmp_path / "live.backup")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        assert copy.execute("SELECT pseudonym FROM young_person").fetchall() == [("Gemt",)]
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(YoungPerson)) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_restore_refuses_a_postgresql_database(database_url, tmp_path):
    report = backup(database_url, tmp_path / "sqlite.backup")
    with pytest.raises(BackupError, match="SQLite database; it cannot be restored into Postgre"):
        restore("postgresql://postgres@127.0.0.1:1/none", report.path)
    with pytest.raises(BackupError, match="support SQLite and PostgreSQL"):
        restore("mysql://root@localhost/ungeguide", report.path)


def test_postgresql_password_goes_only_to_the_environment(postgres_migrated, tmp_path, monkeypatch):
    url = (
        make_url(postgres_migrated).set(password="s3cret-pw").render_as_string(hide_password=False)
    )
    calls = []
    real_run = subprocess.run

    def spy(command, **options):
        calls.append((command, options["env"]))
        return real_run(command, **options)

    monkeypatch.setattr(subprocess, "run", spy)
    backup(url, tmp_path / "pg.backup")  # trust authentication ignores the password
    [(command, env)] = calls
    assert not any("s3cret-pw" in argument for argument in command)
    assert env["PGPASSWORD"] == "s3cret-pw"
    assert command[1:4] == ["--format=custom", "--no-owner", "--no-privileges"]
    assert "dbname=" in command[-1]
    assert "+psycopg" not in " ".join(command)


def test_postgresql_errors_are_backup_errors_without_the_password(tmp_path, monkeypatch):
    unreachable = "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/ungeguide"
    with pytest.raises(BackupError) as caught:
        backup(unreachable, tmp_path / "pg.backup")
    assert "s3cret-pw" not in str(caught.value)
    assert not (tmp_path / "pg.backup").exists()
    assert not (tmp_path / "pg.backup.tmp").exists()

    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "pg.backup").write_bytes(b"PGDMP" + b"\x00" * 100)
    with pytest.raises(BackupError, match="pg_restore was not found"):
        restore(unreachable, tmp_path / "pg.backup")
