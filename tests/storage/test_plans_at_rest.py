"""A meeting's place and participants and an agreement's goal, action and responsible are
tokens at rest: a raw SELECT (what a database administrator sees) and, on SQLite, the bytes of
the database file and its WAL hold none of them; rows written before migration 0010 are
encrypted by it and decrypted again by its downgrade."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage import Database
from storage.crypto import keyring
from storage.models import Agreement, Meeting, MeetingKind

PLACE = "Ungdomshuset på Vestergade"
PARTICIPANTS = "Mor og Søren fra jobcentret"
GOAL = "Komme i gang med en uddannelse"
ACTION = "Ringe til produktionsskolen"
RESPONSIBLE = "Mille selv med hjælp fra Kim"
SECRETS = (PLACE, PARTICIPANTS, GOAL, ACTION, RESPONSIBLE)


def raw_rows(database: Database) -> str:
    """The meeting and agreement tables as a database administrator reads them."""
    with database.engine.connect() as connection:
        rows = [
            repr(tuple(row))
            for table in ("meeting", "agreement", "reminder")
            for row in connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        ]
    return "\n".join(rows)


def sqlite_bytes(database: Database) -> bytes:
    """The database file and whatever journal files exist next to it, as bytes on disk."""
    path = Path(make_url(database.url).database or "")
    files = [path, *(path.with_name(path.name + end) for end in ("-wal", "-journal"))]
    return b"".join(file.read_bytes() for file in files if file.exists())


def leaked(stored: str | bytes) -> list[str]:
    if isinstance(stored, bytes):
        return [secret for secret in SECRETS if secret.encode() in stored]
    return [secret for secret in SECRETS if secret in stored]


def test_plans_are_tokens_in_the_database_and_its_files(database, person_id, clock):
    with database.session() as session:
        meeting = MeetingDetails(
            kind=MeetingKind.NETWORK,
            starts_at=at_local(date(2026, 12, 1), time(10)),
            place=PLACE,
            participants=PARTICIPANTS,
        )
        create_meeting(session, person_id, meeting, now=clock())
        agreement = AgreementDetails(
            goal=GOAL, action=ACTION, responsible=RESPONSIBLE, deadline=date(2026, 12, 15)
        )
        create_agreement(session, person_id, agreement, now=clock())
    assert leaked(raw_rows(database)) == []
    if database.is_sqlite:
        with database.engine.connect():  # an open connection keeps the WAL with the commits
            assert leaked(sqlite_bytes(database)) == []
    with database.session() as session:
        stored_meeting = session.scalars(select(Meeting)).one()
        stored_agreement = session.scalars(select(Agreement)).one()
        assert (stored_meeting.place, stored_meeting.participants) == (PLACE, PARTICIPANTS)
        assert (
            stored_agreement.goal,
            stored_agreement.action,
            stored_agreement.responsible,
        ) == (GOAL, ACTION, RESPONSIBLE)


def write_plaintext_plans(database: Database) -> None:
    """Rows as version 0009 stored them: plaintext place, participants, goal and so on."""
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
                "INSERT INTO meeting (id, young_person_id, kind, starts_at, place, participants, "
                "agenda, status, created_at) VALUES (1, 1, 'network', :now, :place, "
                ":participants, :agenda, 'planned', :now)"
            ),
            {
                "now": now,
                "place": PLACE,
                "participants": PARTICIPANTS,
                "agenda": keyring().encrypt(""),  # encrypted since 0005
            },
        )
        connection.execute(
            text(
                "INSERT INTO agreement (id, young_person_id, goal, action, responsible, "
                "deadline, status, created_at) VALUES (1, 1, :goal, :action, :responsible, "
                ":deadline, 'open', :now)"
            ),
            {
                "now": now,
                "goal": GOAL,
                "action": ACTION,
                "responsible": RESPONSIBLE,
                "deadline": date(2026, 12, 15),
            },
        )


def test_the_migration_encrypts_plans_written_before_and_its_downgrade_decrypts(empty_url):
    database = Database(empty_url)
    try:
        database.upgrade("0009")
        write_plaintext_plans(database)
        assert len(leaked(raw_rows(database))) == len(SECRETS)  # the test sees plaintext
        database.upgrade()
        assert leaked(raw_rows(database)) == []
        with database.session() as session:
            meeting = session.get(Meeting, 1)
            agreement = session.get(Agreement, 1)
            assert meeting is not None
            assert agreement is not None
            assert (meeting.place, meeting.participants) == (PLACE, PARTICIPANTS)
            assert (agreement.goal, agreement.action, agreement.responsible) == (
                GOAL,
                ACTION,
                RESPONSIBLE,
            )
        database.downgrade("0009")
        with database.engine.connect() as connection:
            place, participants = connection.execute(
                text("SELECT place, participants FROM meeting")
            ).one()
            responsible = connection.execute(text("SELECT responsible FROM agreement")).scalar()
        assert (place, participants, responsible) == (PLACE, PARTICIPANTS, RESPONSIBLE)
    finally:
        database.dispose()


def test_the_migrated_sqlite_file_keeps_no_plaintext_in_freed_space(tmp_path):
    """The rows the migration rewrote leave no old copy in the file's free pages."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        database.upgrade("0009")
        write_plaintext_plans(database)
        database.upgrade()
    finally:
        database.dispose()  # the last connection checkpoints the WAL into the file
    assert leaked(sqlite_bytes(database)) == []


def test_sqlite_overwrites_what_it_deletes_whatever_its_build_default(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'any.db'}")
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        database.dispose()
