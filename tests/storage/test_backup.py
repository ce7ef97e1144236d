"""Backup and restore on real SQLite and PostgreSQL: a restore brings back exactly the backup."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from domain.people import create_young_person
from storage import (
    Answer,
    Base,
    ConversationStateRow,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from storage import backup as backup_module
from storage.backup import backup, find_pg_tool, restore, tool_major
from storage.errors import BackupError
from ungeguide.cli import main


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


def server_major(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()


def test_postgresql_password_goes_only_to_the_environment(postgres_migrated, tmp_path, monkeypatch):
    url = (
        make_url(postgres_migrated).set(password="s3cret-pw").render_as_string(hide_password=False)
    )
    calls = []
    real_run = subprocess.run

    def spy(command, **options):
        if command[1:] != ["--version"]:  # asking pg_dump its version is not the dump
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
    # The pg_dump of the server's own major version, wherever it was found.
    assert tool_major(Path(command[0])) == server_major(postgres_migrated)


def test_postgresql_errors_are_backup_errors_without_the_password(tmp_path):
    unreachable = "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/ungeguide"
    with pytest.raises(BackupError) as caught:
        backup(unreachable, tmp_path / "pg.backup")
    assert "s3cret-pw" not in str(caught.value)
    assert not (tmp_path / "pg.backup").exists()
    assert not (tmp_path / "pg.backup.tmp").exists()

    (tmp_path / "pg.backup").write_bytes(b"PGDMP" + b"\x00" * 100)
    with pytest.raises(BackupError, match="Cannot reach the PostgreSQL database") as caught:
        restore(unreachable, tmp_path / "pg.backup")
    assert "s3cret-pw" not in str(caught.value)


def fake_tool(folder, name, major):
    """An executable that answers `--version` as PostgreSQL's tools do."""
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text(
        f"#!/bin/sh\necho '{name} (PostgreSQL) {major}.3 (Debian {major}.3-1)'\n", encoding="utf-8"
    )
    tool.chmod(0o755)
    return tool


@pytest.fixture
def tool_places(tmp_path, monkeypatch):
    """Empty places to look: the PATH, Debian's /usr/lib/postgresql and pgserver's bin."""
    places = {name: tmp_path / name for name in ("path", "debian", "pgserver")}
    for folder in places.values():
        folder.mkdir()
    monkeypatch.setenv("PATH", str(places["path"]))
    monkeypatch.setattr(backup_module, "DEBIAN_PG_LIB", places["debian"])
    monkeypatch.setattr(backup_module, "_pgserver_bin", lambda: places["pgserver"])
    return places


def test_the_pg_tools_of_the_servers_major_version_are_used(tool_places):
    on_path = fake_tool(tool_places["path"], "pg_dump", 15)
    debian = fake_tool(tool_places["debian"] / "16" / "bin", "pg_dump", 16)
    pgserver = fake_tool(tool_places["pgserver"], "pg_dump", 17)
    restorer = fake_tool(tool_places["pgserver"], "pg_restore", 17)

    assert find_pg_tool("pg_dump", 15) == on_path
    assert find_pg_tool("pg_dump", 16) == debian
    assert find_pg_tool("pg_dump", 17) == pgserver
    assert find_pg_tool("pg_restore", 17) == restorer
    assert tool_major(on_path) == 15


def test_no_pg_tool_of_the_servers_version_is_one_line_naming_version_and_places(tool_places):
    fake_tool(tool_places["path"], "pg_dump", 15)
    broken = tool_places["pgserver"] / "pg_dump"
    broken.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)

    with pytest.raises(BackupError) as caught:
        find_pg_tool("pg_dump", 16)

    assert str(caught.value) == (
        "The server runs PostgreSQL 16 and needs pg_dump 16, which was not found: looked on the "
        f"PATH ({tool_places['path']}/pg_dump is 15), in {tool_places['debian']}/16/bin (no "
        f"pg_dump), in the pgserver package ({broken} did not run). Install the PostgreSQL 16 "
        "client tools (Debian and Ubuntu: postgresql-client-16)."
    )


def test_backup_and_restore_commands_say_which_pg_tool_they_need(
    postgres_migrated, tool_places, tmp_path
):
    major = server_major(postgres_migrated)
    fake_tool(tool_places["path"], "pg_dump", major - 1)  # older than the server
    fake_tool(tool_places["path"], "pg_restore", major - 1)
    env = {"DATABASE_URL": postgres_migrated, "UNGEGUIDE_DATA_DIR": str(tmp_path)}
    runner = CliRunner()

    result = runner.invoke(main, ["backup", str(tmp_path / "pg.backup")], env=env)

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Backup failed: The server runs PostgreSQL {major} and needs pg_dump {major}, which was "
        f"not found: looked on the PATH ({tool_places['path']}/pg_dump is {major - 1}), in "
        f"{tool_places['debian']}/{major}/bin (no pg_dump), in the pgserver package (no pg_dump)."
        f" Install the PostgreSQL {major} client tools (Debian and Ubuntu: "
        f"postgresql-client-{major})."
    ]
    assert not (tmp_path / "pg.backup").exists()
    assert not (tmp_path / "pg.backup.tmp").exists()

    (tmp_path / "old.backup").write_bytes(b"PGDMP" + bytes(100))
    result = runner.invoke(main, ["restore", str(tmp_path / "old.backup"), "--yes"], env=env)

    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(
        f"Restore failed: The server runs PostgreSQL {major} and needs pg_restore {major}, "
        f"which was not found: looked on the PATH ({tool_places['path']}/pg_restore is "
    )
    assert "Traceback" not in result.output
