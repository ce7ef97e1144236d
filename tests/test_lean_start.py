"""The bot's start-up path loads no heavy library it does not need: matplotlib only when a chart
is drawn, openpyxl only for an XLSX download, zxcvbn only to set a staff password, scikit-learn
and SciPy only to train the NLU model (in a child process), Alembic only to migrate (the first
start), psycopg only for PostgreSQL, and of the command line only `run`'s own module. And until
it takes updates, neither the NLU's NumPy nor the dashboard (its pages, Jinja, segno): those load
in a thread right after (ungeguide/server.py). Checked in a fresh interpreter that builds
everything `ungeguide run` builds, short of serving, then loads what it loads after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from storage.crypto import new_key
from testing.fake_bot_api import TOKEN

HEAVY = ("matplotlib", "scipy", "sklearn", "openpyxl", "PIL", "zxcvbn")
# Only to migrate (the first start makes the database): a later start checks the schema's
# revision without Alembic (storage/revisions.py). psycopg and SQLAlchemy's PostgreSQL dialect:
# only for PostgreSQL (the migrations import the dialect, so only a restart goes without it).
NOT_ON_A_RESTART = ("alembic", "mako", "psycopg", "sqlalchemy.dialects.postgresql")
# The command line imports a command's module when it runs (ungeguide/cli/__init__.py).
OTHER_COMMANDS = tuple(
    f"ungeguide.cli.{name}"
    for name in ("content", "data", "doctor", "nlu", "schema", "staff", "web")
)

# What `ungeguide run` loads after it began taking updates (ungeguide/app.py bot_server).
AFTER_READY = ("numpy", "bot.nlu.embedded", "dashboard.app", "jinja2", "segno")

_START = """
import json, sys
import click
from ungeguide.cli import main
main.get_command(click.Context(main), "run")
from ungeguide.app import bot_server, loading_nlu
from ungeguide.cli.common import create_on_first_run, open_app
from ungeguide.settings import Settings

def loaded():
    return set(sys.modules) | {name.split(".")[0] for name in sys.modules}

unwanted, after_ready = set(json.loads(sys.argv[1])), set(json.loads(sys.argv[2]))
settings = Settings.from_env()
create_on_first_run(settings)
understander = loading_nlu(settings)
app = open_app(settings, understander=understander)
server = bot_server(app, understander)
at_ready = sorted(loaded() & (unwanted | after_ready))
server.loading.run()
assert server.loading.pending == [], server.loading.pending
intent = app.conversations.understander.understand("ka vi ikk ta det imorgen").intent
app.close()
print(json.dumps({"intent": intent, "at ready": at_ready, "heavy": sorted(loaded() & unwanted)}))
"""
EXPECTED = {"intent": "postpone", "at ready": [], "heavy": []}


def start(env: dict[str, str], unwanted: tuple[str, ...]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _START, json.dumps(unwanted), json.dumps(AFTER_READY)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_starting_the_bot_imports_no_chart_spreadsheet_or_training_library(tmp_path):
    env = {
        **os.environ,
        "UNGEGUIDE_DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9/bot",  # never called: nothing is started
    }
    for name in ("DATABASE_URL", "TELEGRAM_WEBHOOK_URL", "RASA_URL", "UNGEGUIDE_KEYS"):
        env.pop(name, None)
    for which, unwanted in (
        ("first start", HEAVY + OTHER_COMMANDS),
        ("next start", HEAVY + OTHER_COMMANDS + NOT_ON_A_RESTART),
    ):
        assert start(env, unwanted) == EXPECTED, which


def test_a_start_on_postgresql_loads_neither_alembic_nor_sqlite(tmp_path, postgres_migrated):
    env = {
        **os.environ,
        "UNGEGUIDE_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": postgres_migrated,
        "UNGEGUIDE_KEYS": new_key(),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9/bot",  # never called: nothing is started
    }
    for name in ("TELEGRAM_WEBHOOK_URL", "RASA_URL"):
        env.pop(name, None)
    assert start(env, (*HEAVY, "alembic", "mako", "sqlite3", "_sqlite3")) == EXPECTED
