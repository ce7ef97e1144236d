from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.service import ConversationService
from core.content import Content, load_content
from domain.people import create_young_person
from storage import Base, Database
from storage.crypto import Keyring, new_key, use_keyring
from tests.auxil.postgres import postgres_server, scratch_database
from tests.auxil.smtp import SmtpServer

REPO = Path(__file__).resolve().parent.parent
DIALOGUES = REPO / "dialogues"


# One key for the test process and the processes it starts (they inherit UNGEGUIDE_KEYS), so
# rows written by a test are readable by a bot process and the other way round.
TEST_KEY = new_key()
use_keyring(Keyring([TEST_KEY]))
os.environ["UNGEGUIDE_KEYS"] = TEST_KEY


@pytest.fixture(autouse=True)
def test_keyring() -> Iterator[Keyring]:
    """Every test starts with the same key (a test may swap in others, e.g. to rotate)."""
    keyring = Keyring([TEST_KEY])
    use_keyring(keyring)
    yield keyring
    use_keyring(Keyring([TEST_KEY]))


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(DIALOGUES)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database (never skipped: see auxil)."""
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_migrated(postgres_url: str) -> Iterator[str]:
    """One migrated PostgreSQL database for the session; tests empty it before use."""
    with scratch_database(postgres_url) as url:
        database = Database(url)
        database.upgrade()
        database.dispose()
        yield url


def _empty(database: Database) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        database = Database(url)
        database.upgrade()
        database.dispose()
        return url
    postgres: str = request.getfixturevalue("postgres_migrated")
    database = Database(postgres)
    _empty(database)
    database.dispose()
    return postgres


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))


@pytest.fixture
def service(database: Database, content: Content, clock: Clock) -> ConversationService:
    return ConversationService(database, content, clock=clock)


@pytest.fixture
def person_id(database: Database, clock: Clock) -> int:
    with database.session() as session:
        return create_young_person(session, pseudonym="Mille", birth_year=2008, now=clock()).id


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()
