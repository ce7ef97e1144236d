"""`ungeguide doctor`: a sound configuration passes; each kind of broken setting is named, with
how to fix it, and makes the command exit 1."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

from storage import Database
from storage.crypto import KEY_FILE, new_key, write_key_file
from storage.models import StaffRole, StaffUser
from testing.fake_bot_api import TOKEN, FakeBotApi
from ungeguide.cli import main


@pytest.fixture
def fake_api():
    server = FakeBotApi().start()
    yield server
    server.stop()


@pytest.fixture
def sound(tmp_path: Path, fake_api: FakeBotApi, smtp_server) -> dict[str, str | None]:
    """A configuration that works: a migrated database, a key file, the bot, SMTP."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    write_key_file(data / KEY_FILE, [new_key()])
    database_file = data / "ungeguide.db"
    database_file.touch(mode=0o600)
    database = Database(f"sqlite:///{database_file}")
    database.upgrade()
    with database.session() as session:
        session.add(
            StaffUser(
                email="admin@kommune.dk",
                display_name="Admin",
                role=StaffRole.ADMIN,
                created_at=datetime.now(UTC),
            )
        )
    database.dispose()
    return {
        "UNGEGUIDE_DATA_DIR": str(data),
        "UNGEGUIDE_KEYS": None,
        "DATABASE_URL": None,
        "RASA_URL": None,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake_api.base_url,
        "TELEGRAM_BOT_USERNAME": "UngeguideBot",
        "TELEGRAM_WEBHOOK_URL": None,
        "UNGEGUIDE_SMTP_HOST": "127.0.0.1",
        "UNGEGUIDE_SMTP_PORT": str(smtp_server.port),
        "UNGEGUIDE_SMTP_TLS": "none",
    }


def doctor(env: dict[str, str | None], **changes: str | None):
    result = CliRunner().invoke(main, ["doctor"], env={**env, **changes})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_a_sound_configuration_passes(sound):
    result = doctor(sound)
    assert result.exit_code == 0, result.output
    assert "ok   Database: reachable, schema current" in result.output
    assert "ok   Telegram: the token works: @UngeguideBot" in result.output
    assert "ok   E-mail (SMTP): 127.0.0.1:" in result.output
    assert "Keep a copy of the keys apart from the database backups" in result.output
    assert result.output.rstrip().endswith("No errors.")


BROKEN: dict[str, tuple[dict[str, str | None], str]] = {
    "database unreachable": (
        {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
        "FAIL Database: cannot be reached",
    ),
    "keys not valid": ({"UNGEGUIDE_KEYS": "not-a-key"}, "FAIL Encryption keys: UNGEGUIDE_KEYS"),
    "token not valid": (
        {"TELEGRAM_BOT_TOKEN": "123:wrong"},
        "FAIL Telegram: the token is not valid",
    ),
    "another bot's username": (
        {"TELEGRAM_BOT_USERNAME": "SomeOtherBot"},
        "FAIL Telegram: TELEGRAM_BOT_USERNAME is SomeOtherBot",
    ),
    "webhook without https": (
        {"TELEGRAM_WEBHOOK_URL": "http://ug.kommune.dk"},
        "FAIL Webhook: http://ug.kommune.dk is not HTTPS",
    ),
    "smtp not answering": ({"UNGEGUIDE_SMTP_PORT": "1"}, "FAIL E-mail (SMTP): 127.0.0.1:1"),
    "no smtp with a bot": (
        {"UNGEGUIDE_SMTP_HOST": None},
        "FAIL E-mail (SMTP): UNGEGUIDE_SMTP_HOST",
    ),
    "rasa not answering": ({"RASA_URL": "http://127.0.0.1:1"}, "FAIL Rasa: http://127.0.0.1:1"),
    "quiet hours unreadable": (
        {"UNGEGUIDE_QUIET_HOURS": "late"},
        "FAIL Settings: UNGEGUIDE_QUIET_HOURS must look like 21:00-08:00",
    ),
    "staff hours backwards": (
        {"UNGEGUIDE_STAFF_HOURS": "16:00-08:00"},
        "FAIL Settings: UNGEGUIDE_STAFF_HOURS must start before it ends",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_setting_is_named_with_its_fix(sound, case):
    changes, expected = BROKEN[case]
    result = doctor(sound, **changes)
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "->" in result.output.split(expected, 1)[1].splitlines()[1]  # the fix follows


def test_an_old_schema_and_a_missing_key_file(sound, tmp_path):
    data = Path(sound["UNGEGUIDE_DATA_DIR"] or "")
    (data / KEY_FILE).unlink()
    database = Database(f"sqlite:///{data / 'ungeguide.db'}")
    database.downgrade("0007")
    database.dispose()
    result = doctor(sound)
    assert result.exit_code == 1
    assert "FAIL Encryption keys: no key file" in result.output
    assert "FAIL Database: schema at 0007, needs 00" in result.output
    assert not (data / KEY_FILE).exists()  # the doctor creates nothing


def test_nobody_to_tell_about_an_urgent_alert(sound):
    data = Path(sound["UNGEGUIDE_DATA_DIR"] or "")
    database = Database(f"sqlite:///{data / 'ungeguide.db'}")
    with database.session() as session:
        session.execute(delete(StaffUser))
    database.dispose()
    result = doctor(sound)
    assert result.exit_code == 1
    assert "FAIL Alerts: nobody is on the duty list and no administrator" in result.output
    assert "ungeguide staff add" in result.output


def test_files_others_can_read(sound):
    data = Path(sound["UNGEGUIDE_DATA_DIR"] or "")
    os.chmod(data / KEY_FILE, 0o644)
    result = doctor(sound)
    assert result.exit_code == 1
    assert f"FAIL Files: {data / KEY_FILE} can be read by others" in result.output
    assert f"chmod 600 {data / KEY_FILE}" in result.output


def test_a_failing_webhook_is_reported(sound, fake_api):
    fake_api.webhook_info = {"last_error_message": "Wrong response from the webhook: 502"}
    result = doctor(sound, TELEGRAM_WEBHOOK_URL="https://ug.kommune.dk")
    assert result.exit_code == 1
    assert "FAIL Webhook: Telegram's last delivery failed: Wrong response" in result.output


def test_a_webhook_without_a_shared_secret_is_a_warning(sound, fake_api):
    result = doctor(sound, TELEGRAM_WEBHOOK_URL="https://ug.kommune.dk")
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert "note Webhook: no TELEGRAM_WEBHOOK_SECRET" in result.output
    result = doctor(
        sound, TELEGRAM_WEBHOOK_URL="https://ug.kommune.dk", TELEGRAM_WEBHOOK_SECRET="s3cret"
    )
    assert "ok   Webhook: https://ug.kommune.dk, no delivery errors" in result.output
