"""Encryption at rest: what a young person writes and their chat id are tokens in the
database, readable through the app, after a migration of old rows, and after key rotation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from bot.service import ConversationService
from domain.people import person_by_chat
from storage import Database
from storage.crypto import Keyring, new_key, read_key_file, use_keyring
from storage.errors import CryptoError
from storage.models import Alert, Meeting, QuestionnaireResponse
from storage.rotation import rotate_all
from tests.storage.test_erasure import populate
from ungeguide.cli import main

SECRETS = ("Min praktikplads", "jeg vil ikke leve mere", "Jeg skal til tandlæge")


def raw_dump(database: Database) -> str:
    """Every value of every table as stored, as one string."""
    with database.engine.connect() as connection:
        tables = [
            "young_person",
            "questionnaire_response",
            "meeting",
            "alert",
            "reminder",
            "conversation_state",
        ]
        rows = [
            repr(row)
            for table in tables
            for row in connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        ]
        return "\n".join(rows)


def readable(database: Database, chat_id: int) -> None:
    with database.session() as session:
        person = person_by_chat(session, chat_id)
        assert person is not None
        assert person.telegram_chat_id == chat_id
        response = session.scalars(
            select(QuestionnaireResponse).where(QuestionnaireResponse.young_person_id == person.id)
        ).one()
        assert response.talk_next_time == "Min praktikplads"
        meeting = session.scalars(select(Meeting).where(Meeting.young_person_id == person.id)).one()
        assert meeting.answer_reason == "Jeg skal til tandlæge"
        alerts = session.scalars(select(Alert).where(Alert.young_person_id == person.id)).all()
        assert any(a.details.get("text") == "jeg vil ikke leve mere" for a in alerts)


def test_free_text_and_chat_ids_are_tokens_at_rest(database, content, clock):
    service = ConversationService(database, content, clock=clock)
    populate(database, service, clock, 7770001)
    stored = raw_dump(database)
    for secret in (*SECRETS, "7770001"):
        assert secret not in stored
    readable(database, 7770001)


def test_rotation_keeps_everything_readable_and_retires_the_old_key(database, content, clock):
    service = ConversationService(database, content, clock=clock)
    populate(database, service, clock, 7770002)
    old = Keyring(list(read_keys()))
    fresh = new_key()
    both = Keyring([fresh, *old.keys])
    use_keyring(both)
    readable(database, 7770002)  # before rotating, the old tokens and hashes still work
    with database.session() as session:
        counts = rotate_all(session, both)
    assert counts["young_person"] == 1
    use_keyring(Keyring([fresh]))  # the old key is gone
    readable(database, 7770002)
    use_keyring(Keyring([new_key()]))  # a wrong key cannot read, and says so
    with pytest.raises(CryptoError, match="cannot be read"), database.session() as session:
        session.scalars(select(Alert)).all()


def read_keys() -> tuple[str, ...]:
    from storage.crypto import keyring

    return keyring().keys


def test_the_migration_encrypts_rows_written_before(empty_url):
    database = Database(empty_url)
    try:
        database.upgrade("0004")
        now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO young_person (id, pseudonym, birth_year, status, created_at, "
                    "telegram_chat_id) VALUES (1, 'Mille', 2008, 'active', :now, 4242)"
                ),
                {"now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO alert (young_person_id, kind, urgent, created_at, details) "
                    "VALUES (1, 'crisis', true, :now, :details)"
                ),
                {"now": now, "details": '{"text": "jeg kan ikke mere"}'},
            )
            connection.execute(
                text(
                    "INSERT INTO questionnaire_response (id, young_person_id, questionnaire_id, "
                    "questionnaire_version, status, started_at, talk_next_time) "
                    "VALUES ('r1', 1, 'who5', 1, 'completed', :now, 'Min søster')"
                ),
                {"now": now},
            )
        database.upgrade()
        stored = raw_dump(database)
        for secret in ("4242", "jeg kan ikke mere", "Min søster"):
            assert secret not in stored
        with database.session() as session:
            person = person_by_chat(session, 4242)
            assert person is not None
            assert person.pseudonym == "Mille"
            [alert] = session.scalars(select(Alert)).all()
            assert alert.details == {"text": "jeg kan ikke mere"}
            response = session.get(QuestionnaireResponse, "r1")
            assert response is not None
            assert response.talk_next_time == "Min søster"
        database.downgrade("0004")
        with database.engine.connect() as connection:
            chat = connection.execute(text("SELECT telegram_chat_id FROM young_person")).scalar()
            assert chat == 4242
    finally:
        database.dispose()


def test_first_run_creates_a_key_file_and_rotate_replaces_it(tmp_path, database, content, clock):
    env = {"DATABASE_URL": database.url, "UNGEGUIDE_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    keys_from_file = {**env, "UNGEGUIDE_KEYS": None}
    result = runner.invoke(main, ["db", "upgrade"], env=keys_from_file, catch_exceptions=False)
    assert "created the encryption key file" in result.output
    key_file = tmp_path / "secret.keys"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    [first] = read_key_file(key_file)
    use_keyring(Keyring([first]))
    service = ConversationService(database, content, clock=clock)
    populate(database, service, clock, 7770003)
    result = runner.invoke(main, ["keys", "rotate"], env=keys_from_file, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Re-encrypted with the first key" in result.output
    [second] = read_key_file(key_file)
    assert second != first
    use_keyring(Keyring([second]))
    readable(database, 7770003)
    bad = runner.invoke(main, ["keys", "rotate"], env={**env, "UNGEGUIDE_KEYS": "not-a-key"})
    assert bad.exit_code == 2
    assert "not a valid Fernet key" in bad.output
