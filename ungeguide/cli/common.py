"""What every command shares: the encryption keys and one way to open the database."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from bot.nlu import Understands
from core.content import ContentError
from storage import Database, SchemaOutOfDate
from storage.errors import CryptoError
from ungeguide.app import App, build_app, configure_keys, configure_review_words
from ungeguide.settings import Settings


def activate_keys(settings: Settings) -> None:
    """Activate the encryption keys, saying so when a new key file was made, and the ideas'
    review words (every command that touches data goes through here); exit 2 if unusable."""
    try:
        created = configure_keys(settings)
    except CryptoError as error:
        click.echo(f"UNGEGUIDE_KEYS: {error}", err=True)
        raise SystemExit(2) from None
    try:
        configure_review_words(settings)
    except (OSError, ValueError) as error:
        click.echo(f"UNGEGUIDE_NLU_DIR: the review word list: {error}", err=True)
        raise SystemExit(2) from None
    if created is not None:
        click.echo(
            f"First run: created the encryption key file {created}. Keep a copy somewhere safe: "
            "without it the stored texts cannot be read.",
            err=True,
        )


def missing_sqlite_file(settings: Settings) -> Path | None:
    """The SQLite file the settings point at, if it does not exist yet (else None)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def create_on_first_run(settings: Settings) -> None:
    """Create the default SQLite database the very first time (only that one)."""
    if settings.uses_default_database and not settings.default_database_file.exists():
        click.echo(f"First run: creating the database {settings.default_database_file}", err=True)
        prepare_default_file(settings)
        database = Database(settings.database_url)
        try:
            database.upgrade()
        finally:
            database.dispose()


def prepare_default_file(settings: Settings) -> None:
    """The data folder and an empty default SQLite file, readable by the owner only (SQLite
    makes its journal files with the same permissions)."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.default_database_file.touch(mode=0o600)


def refuse_missing_database(settings: Settings) -> None:
    """A command that only reads or changes existing data never creates a database file."""
    missing = missing_sqlite_file(settings)
    if missing is not None:
        click.echo(
            f"There is no database yet at {missing}. Create it with: ungeguide db upgrade",
            err=True,
        )
        raise SystemExit(2)


def open_database(settings: Settings, *, create: bool) -> Database:
    """The configured database with a current schema; exit 2 if it cannot be used. With
    `create`, the default SQLite database is made on first run; without, a missing file is
    refused rather than created."""
    if not create:
        refuse_missing_database(settings)  # before the keys: nothing is made for a refusal
    activate_keys(settings)
    if create:
        create_on_first_run(settings)
    database = Database(settings.database_url)
    try:
        database.require_current_schema()
    except SchemaOutOfDate as error:
        database.dispose()
        click.echo(str(error), err=True)
        raise SystemExit(2) from None
    return database


def open_app(
    settings: Settings, *, create: bool = True, understander: Understands | None = None
) -> App:
    """Build the whole app (content, NLU, database); exit 2 on problems. With `understander`,
    the app uses it instead of building the NLU now."""
    if not create:
        refuse_missing_database(settings)  # before the keys: nothing is made for a refusal
    activate_keys(settings)
    if create:
        create_on_first_run(settings)
    try:
        return build_app(settings, understander=understander)
    except ContentError as error:
        click.echo("The dialogue files have problems:\n" + str(error), err=True)
        raise SystemExit(2) from None
    except SchemaOutOfDate as error:
        click.echo(str(error), err=True)
        raise SystemExit(2) from None
