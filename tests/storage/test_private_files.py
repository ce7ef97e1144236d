"""Every file that holds young people's data or the keys is readable by its owner only (0600):
the SQLite database and its -wal and -shm files, backups on both databases, and the key file.
Files that others can read are made private on the next start, with a log line that names
the file and nothing in it. The umask is set wide open (0o000) so nothing passes by luck."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from domain.people import create_young_person
from storage import Database
from storage.backup import backup, restore
from storage.crypto import KEY_FILE, load_keys, write_key_file

SECRET_NAME = "Mille Hemmelig"


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """A umask that lets every created file be read by anyone, unless the code says 0600."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_path(database: Database) -> Path:
    return Path(make_url(database.url).database or "")


def companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")]


def write_someone(database: Database) -> None:
    with database.session() as session:
        create_young_person(session, pseudonym=SECRET_NAME, birth_year=2008, now=datetime.now(UTC))


def test_a_fresh_sqlite_database_its_journals_backup_and_keys_are_0600(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    keys, created = load_keys(None, data)
    assert created == data / KEY_FILE
    write_key_file(data / KEY_FILE, [*keys, *keys])  # as `ungeguide keys rotate` does
    database = Database(f"sqlite:///{data / 'ungeguide.db'}")
    try:
        database.upgrade()
        write_someone(database)
        with database.engine.connect():  # while a connection is open, the WAL and SHM exist
            path = sqlite_path(database)
            assert [p.name for p in companions(path) if p.exists()] == [
                "ungeguide.db-wal",
                "ungeguide.db-shm",
            ]
            backup(database.url, tmp_path / "backups" / "monday.db")
            files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
            assert {p.name for p in files} == {
                KEY_FILE,
                "ungeguide.db",
                "ungeguide.db-wal",
                "ungeguide.db-shm",
                "monday.db",
            }
            assert {p.name: oct(mode(p)) for p in files} == {p.name: "0o600" for p in files}
    finally:
        database.dispose()


def test_a_backup_is_0600_on_both_databases_even_over_an_open_one(database, tmp_path):
    write_someone(database)
    target = tmp_path / "backup.dump"
    target.write_bytes(b"an older backup")
    target.chmod(0o644)
    stale = tmp_path / "backup.dump.tmp"  # left by an interrupted backup
    stale.write_bytes(b"")
    stale.chmod(0o666)
    report = backup(database.url, target)
    assert report.tables["young_person"] == 1
    assert oct(mode(target)) == "0o600"
    assert not stale.exists()


def test_restoring_into_a_new_sqlite_file_makes_it_0600(tmp_path):
    source = Database(f"sqlite:///{tmp_path / 'live.db'}")
    try:
        source.upgrade()
        write_someone(source)
        backup(source.url, tmp_path / "copy.db")
    finally:
        source.dispose()
    restored = tmp_path / "elsewhere" / "restored.db"
    restore(f"sqlite:///{restored}", tmp_path / "copy.db")
    assert oct(mode(restored)) == "0o600"


def test_files_others_can_read_are_made_private_with_a_line_that_names_only_the_file(
    tmp_path, caplog
):
    data = tmp_path / "data"
    data.mkdir()
    load_keys(None, data)
    first = Database(f"sqlite:///{data / 'ungeguide.db'}")
    try:
        first.upgrade()
        write_someone(first)
        with first.engine.connect():
            path = sqlite_path(first)
            opened = [data / KEY_FILE, path, *(p for p in companions(path) if p.exists())]
            assert len(opened) == 4
            for file in opened:
                file.chmod(0o644)
            caplog.set_level(logging.WARNING)
            load_keys(None, data)
            second = Database(first.url)
            try:
                with second.engine.connect():
                    pass
            finally:
                second.dispose()
            assert {p.name: oct(mode(p)) for p in opened} == {p.name: "0o600" for p in opened}
    finally:
        first.dispose()
    warned = [record.getMessage() for record in caplog.records]
    assert warned == [
        f"{file} could be read by others; it is now readable by its owner only" for file in opened
    ]
    assert all(SECRET_NAME not in line for line in caplog.text.splitlines())


def test_a_database_opened_without_tightening_changes_no_mode(tmp_path):
    """What `ungeguide doctor` uses: it reports such a file and promises to change nothing."""
    path = tmp_path / "ungeguide.db"
    database = Database(f"sqlite:///{path}")
    try:
        database.upgrade()
    finally:
        database.dispose()
    path.chmod(0o644)
    looking = Database(f"sqlite:///{path}", tighten_files=False)
    try:
        looking.schema_status()
    finally:
        looking.dispose()
    assert oct(mode(path)) == "0o644"
