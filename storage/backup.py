"""Backup and restore of the app's database, on SQLite and on PostgreSQL.

SQLite is copied with SQLite's online backup API, which reads one consistent snapshot even while
the bot and the dashboard write (WAL lets the copy read past an open write transaction); copying
the file itself could catch a half-written page or miss commits still in the -wal file.
PostgreSQL is dumped with pg_dump's custom format, which pg_restore can load into an empty or an
existing database. pg_dump refuses a server newer than itself, so both tools are taken with the
server's major version: from the PATH, Debian's /usr/lib/postgresql/<major>/bin, or the pgserver
package's own binaries (the tests' PostgreSQL from PyPI), whichever matches. A backup is written
to `<target>.tmp` and renamed, so an interrupted backup never leaves a truncated file under the
real name (or over the previous good backup). A backup is readable by its owner only (0600).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from storage.db import normalize_url
from storage.errors import BackupError
from storage.files import create_private

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # pg_dump's custom format
# Debian and Ubuntu (also apt.postgresql.org) install each major version's tools here.
DEBIAN_PG_LIB = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    bytes: int
    # Rows per table in the backup, so the operator can see at once that it is not empty.
    tables: dict[str, int]


def backup(database_url: str, target: Path) -> BackupReport:
    """Back up the database at `database_url` into the file `target`; safe while the app runs."""
    url = _parse(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        _create_private(tmp)
        if url.get_backend_name() == "sqlite":
            source = _sqlite_path(url)
            if target.resolve() == source.resolve():
                raise BackupError("The backup file cannot be the database itself.")
            tables = _sqlite_backup(source, tmp)
        else:
            tables = _pg_backup(url, tmp)
        with tmp.open("rb+") as file:
            os.fsync(file.fileno())  # on disk before the rename makes it the backup
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupReport(path=target, bytes=target.stat().st_size, tables=tables)


def restore(database_url: str, source: Path) -> None:
    """Replace the contents of the database at `database_url` with the backup `source`.

    Stop the app (bot, scheduler and dashboard) first: a restore overwrites every table, and a
    running process would keep working on rows that are no longer there, or block the restore.
    The source is checked before the database is touched, so a wrong file changes nothing; the
    copy itself runs in one transaction on both databases, so a failed restore changes nothing
    either. On PostgreSQL, tables that are not in the backup are left as they are.
    """
    url = _parse(database_url)
    try:
        with source.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Cannot read the backup {source}: {error.strerror}") from None
    if url.get_backend_name() == "sqlite":
        if header.startswith(PG_DUMP_HEADER):
            raise BackupError(
                f"{source} is a PostgreSQL backup; it cannot be restored into an SQLite database."
            )
        if header != SQLITE_HEADER:
            raise BackupError(f"{source} is not an SQLite database.")
        _sqlite_restore(source, _sqlite_path(url))
    else:
        if header == SQLITE_HEADER:
            raise BackupError(
                f"{source} is an SQLite database; it cannot be restored into PostgreSQL."
            )
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump custom format).")
        _run(
            find_pg_tool("pg_restore", _pg_server_major(url)),
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"],
            url,
            source,
        )


def _create_private(path: Path) -> None:
    """Empty and 0600 before SQLite or pg_dump writes into it (both keep the mode)."""
    try:
        create_private(path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror}") from None


def _parse(database_url: str) -> URL:
    try:
        url = make_url(normalize_url(database_url))
    except sa.exc.ArgumentError:
        raise BackupError("The database URL cannot be read.") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {url.get_backend_name()}.")
    return url


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The SQLite URL names no database file.")
    return Path(url.database)


def _sqlite_backup(source: Path, tmp: Path) -> dict[str, int]:
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source}.")
    try:
        # mode=rw: never create an empty database where the real one was expected.
        with closing(sqlite3.connect(source.resolve().as_uri() + "?mode=rw", uri=True)) as live:
            live.execute("PRAGMA busy_timeout=30000")
            with closing(sqlite3.connect(tmp)) as copy:
                live.backup(copy)  # all pages in one step: one read snapshot, not restarted
                # The copy inherits WAL mode; make it one self-contained file.
                copy.execute("PRAGMA journal_mode=DELETE")
                return _sqlite_counts(copy)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup failed: {error}") from None


def _sqlite_restore(source: Path, database: Path) -> None:
    try:
        # Read-only, so checking a backup can never change it.
        with closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as backup:
            check = backup.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(f"{source} is a damaged SQLite database: {check[0][0]}")
            database.parent.mkdir(parents=True, exist_ok=True)
            _create_private(database)
            with closing(sqlite3.connect(database, timeout=30)) as live:
                backup.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite restore from {source} failed: {error}") from None


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts: dict[str, int] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'  # a name from sqlite_master, quoted
        counts[name] = connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]  # noqa: S608
    return counts


def _pg_backup(url: URL, tmp: Path) -> dict[str, int]:
    # Count in a repeatable-read transaction and hand its snapshot to pg_dump, so the counts
    # describe exactly the rows in the dump even while the app keeps writing.
    engine = sa.create_engine(url, poolclass=NullPool, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            # Before the snapshot: a missing pg_dump is said before any work is done.
            pg_dump = find_pg_tool("pg_dump", _server_major(connection))
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            tables = {
                name: connection.execute(
                    sa.select(sa.func.count()).select_from(sa.table(name))
                ).scalar_one()
                for name in sorted(sa.inspect(connection).get_table_names())
            }
            options = ["--format=custom", "--no-owner", "--no-privileges"]
            _run(pg_dump, [*options, f"--snapshot={snapshot}", f"--file={tmp}"], url)
            return tables
    except sa.exc.SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"Cannot read the PostgreSQL database: {reason}") from None
    finally:
        engine.dispose()


def _pg_server_major(url: URL) -> int:
    """The server's major version, asked over a short connection of its own."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return _server_major(connection)
    except sa.exc.SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"Cannot reach the PostgreSQL database: {reason}") from None
    finally:
        engine.dispose()


def _server_major(connection: sa.Connection) -> int:
    number = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one())
    return number // 10000  # 160004 is 16.4 (the scheme since PostgreSQL 10)


def tool_major(executable: Path) -> int | None:
    """The major version a pg_dump or pg_restore says it is (`--version`), or None."""
    try:
        done = subprocess.run(  # noqa: S603 - a PostgreSQL tool with a fixed argument
            [str(executable), "--version"], check=False, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else None


def _pgserver_bin() -> Path | None:
    """The bin folder of the pgserver package (PostgreSQL from PyPI) if it is installed."""
    spec = importlib.util.find_spec("pgserver")  # found without importing it
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def find_pg_tool(tool: str, major: int) -> Path:
    """pg_dump or pg_restore of the server's major version, or a one-line BackupError.

    pg_dump refuses a newer server, and a dump from a newer pg_dump is unreadable to an older
    pg_restore; the server's own major version always works, both ways. Looks on the PATH, then
    in Debian's /usr/lib/postgresql/<major>/bin, then in the pgserver package.
    """
    places: list[tuple[str, Path | None]] = []
    on_path = shutil.which(tool)
    places.append(("on the PATH", Path(on_path) if on_path else None))
    debian = DEBIAN_PG_LIB / str(major) / "bin"
    places.append((f"in {debian}", debian / tool))
    pgserver = _pgserver_bin()
    if pgserver is not None:
        places.append(("in the pgserver package", pgserver / tool))
    looked: list[str] = []
    for where, executable in places:
        if executable is None or not executable.is_file():
            looked.append(f"{where} (no {tool})")
            continue
        version = tool_major(executable)
        if version == major:
            return executable
        found = f"{executable} is {version}" if version else f"{executable} did not run"
        looked.append(f"{where} ({found})")
    raise BackupError(
        f"The server runs PostgreSQL {major} and needs {tool} {major}, which was not found: "
        f"looked {', '.join(looked)}. Install the PostgreSQL {major} client tools "
        f"(Debian and Ubuntu: postgresql-client-{major})."
    )


def _run(executable: Path, options: list[str], url: URL, source: Path | None = None) -> None:
    """Run pg_dump or pg_restore on the database; the password travels only in PGPASSWORD."""
    tool = executable.name
    conninfo, password = _libpq(url)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    command = [str(executable), *options, f"--dbname={conninfo}"]
    if source is not None:
        command.append(str(source))
    # A list, no shell; the command line holds no password (it is visible to `ps`).
    done = subprocess.run(  # noqa: S603 - a fixed tool with list arguments, no shell
        command, check=False, capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit status {done.returncode}"
        if password:
            message = message.replace(password, "***")
        raise BackupError(f"{tool} failed: {message}")


def _libpq(url: URL) -> tuple[str, str | None]:
    """A libpq connection string (key='value' pairs) for the URL, and the password apart."""
    params = {
        key: ",".join(value) if isinstance(value, tuple) else value
        for key, value in url.query.items()
    }
    password = params.pop("password", None) or url.password
    for key, value in (
        ("host", url.host),
        ("port", url.port),
        ("user", url.username),
        ("dbname", url.database),
    ):
        if value is not None and value != "":
            params[key] = str(value)
    conninfo = " ".join(
        "{}='{}'".format(key, value.replace("\\", "\\\\").replace("'", "\\'"))
        for key, value in params.items()
    )
    return conninfo, password
