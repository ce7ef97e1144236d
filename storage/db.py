"""The database handle: engine, sessions, and the schema's migration state."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import SchemaOutOfDate
from storage.files import create_private, tighten
from storage.revisions import Unusual, current_revision, head_revision

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def normalize_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


class Database:
    """One engine and its session factory. `session()` is the only way to talk to the data.

    An SQLite file is created readable by its owner only, and SQLite gives its -wal, -shm and
    -journal files the same mode. With `tighten_files` (the default), a database file or
    journal that others can read is made private when connecting; `ungeguide doctor`, which
    promises to change nothing, turns that off and reports the file instead.
    """

    def __init__(self, url: str, *, tighten_files: bool = True, **engine_options: Any) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            engine_options.setdefault("connect_args", {"timeout": 30})
        else:
            engine_options.setdefault("pool_pre_ping", True)
        # Statement parameters hold message texts and chat ids: keep them out of error messages.
        engine_options.setdefault("hide_parameters", True)
        self.engine: Engine = create_engine(self.url, **engine_options)
        path = sqlite_file(self.url)
        if path is not None:
            event.listen(self.engine, "do_connect", _PrivateFiles(path, tighten=tighten_files))
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def schema_status(self) -> SchemaStatus:
        """Where the schema is and where it should be. Read without Alembic (its import is
        the larger part of a start's schema check); Alembic answers anything unusual."""
        head = head_revision(MIGRATIONS / "versions")
        try:
            with self.engine.connect() as connection:
                current = current_revision(connection)
        except Unusual:
            head = None
        if head is None:
            return self._alembic_schema_status()
        return SchemaStatus(current=current, head=head)

    def _alembic_schema_status(self) -> SchemaStatus:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        if head is None:  # pragma: no cover - the package always ships migrations
            raise RuntimeError("no migrations found")
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return SchemaStatus(current=current, head=head)

    def require_current_schema(self) -> None:
        status = self.schema_status()
        if not status.up_to_date:
            raise SchemaOutOfDate(status.current, status.head)

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command  # only to migrate: a start does not need Alembic

        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        self._migrate(command.downgrade, revision)

    def _migrate(self, step: Callable[[Config, str], None], revision: str) -> None:
        with self.engine.connect() as connection:
            raw: Any = connection.connection.driver_connection
            if self.is_sqlite:
                # SQLite alters a table by copying and dropping it; with foreign keys on, the drop
                # would cascade into the child tables and delete their rows. The pragma only
                # works outside a transaction, hence on the raw connection before BEGIN.
                raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    config = self.alembic_config()
                    config.attributes["connection"] = connection
                    step(config, revision)
                    if self.is_sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
            finally:
                if self.is_sqlite:
                    raw.execute("PRAGMA foreign_keys=ON")

    def dispose(self) -> None:
        self.engine.dispose()

    def alembic_config(self) -> Config:
        """Alembic's configuration for this database (the migrations ship in the package)."""
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for another database, memory or a `file:` URI."""
    parsed = make_url(normalize_url(url))
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(name)


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class _PrivateFiles:
    """Before SQLite opens its file: create it 0600 if missing, else tighten it and any
    journal left by an earlier run (SQLite copies the database file's mode to new ones)."""

    def __init__(self, path: Path, *, tighten: bool) -> None:
        self.path = path
        self.tighten = tighten

    def __call__(self, *_args: Any) -> None:
        try:
            if not self.path.exists():
                create_private(self.path)
            elif self.tighten:
                for suffix in ("", *SQLITE_COMPANIONS):
                    tighten(self.path.with_name(self.path.name + suffix))
        except OSError as error:
            # SQLite then says itself what is wrong with the path (no folder, no access).
            logger.warning("cannot make %s private: %s", self.path, error.strerror)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see below).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the dashboard read while the bot writes; a killed process loses no commit.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Overwrite deleted and rewritten rows with zeros, so an erased person or a text
    # encrypted by a migration leaves no old copy in the file's free space (some builds,
    # Debian's among them, do this by default; others do not).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock at the start, so a transaction that reads state and then writes can
    # never act on a snapshot another writer has changed meanwhile (SQLite's counterpart of
    # SELECT ... FOR UPDATE). WAL keeps readers outside such transactions unblocked.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
