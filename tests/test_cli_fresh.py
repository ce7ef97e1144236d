"""Every command on a fresh machine: an empty data folder and no keys. No traceback; a command
that only reads or changes existing data creates no database (and no key file); a command
that creates the key file says to keep a copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ungeguide.cli import main

KEEP_A_COPY = "Keep a copy somewhere safe"

# (arguments, expected exit code, whether it may create the database and key file)
COMMANDS = [
    (["db", "status"], 1, False),
    (["db", "upgrade"], 0, True),
    (["keys", "new"], 0, False),
    (["keys", "rotate"], 2, False),
    (["retention", "run"], 2, False),
    (["people", "erase", "1", "--yes"], 2, False),
    (["backup", "{tmp}/copy.db"], 1, False),
    (["restore", "{tmp}/not-a-backup.txt", "--yes"], 1, False),
    (["dialogues", "check"], 0, False),
    (["dialogues", "diagram", "--check"], 0, False),
    (["nlu", "parse", "hej"], 0, False),
    (["nlu", "compare"], 2, False),
    (["doctor"], 1, False),
    (["demo"], 0, True),
    (["staff", "add", "a@kommune.dk", "--name", "A", "--role", "admin", "--link"], 0, True),
    (["chat"], 0, True),
    (["run"], 0, True),
]


@pytest.mark.parametrize(("args", "code", "creates"), COMMANDS, ids=lambda v: str(v))
def test_a_command_on_an_empty_data_folder(tmp_path: Path, args, code, creates):
    data = tmp_path / "data"
    (tmp_path / "not-a-backup.txt").write_text("hello", encoding="utf-8")
    env = {
        "UNGEGUIDE_DATA_DIR": str(data),
        "UNGEGUIDE_KEYS": None,  # unset: a fresh machine
        "DATABASE_URL": None,
        "TELEGRAM_BOT_TOKEN": None,
        "RASA_URL": None,
    }
    argv = [arg.format(tmp=tmp_path) for arg in args]
    result = CliRunner().invoke(main, argv, env=env, input="")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    database, key_file = data / "ungeguide.db", data / "secret.keys"
    if creates:
        assert database.exists()
        assert key_file.exists()
        assert KEEP_A_COPY in result.output
    else:
        assert not database.exists()
        assert not key_file.exists()
