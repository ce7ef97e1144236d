"""The database schema and its migrations."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from storage import Database
from ungeguide.cli.common import activate_keys, missing_sqlite_file, prepare_default_file
from ungeguide.settings import Settings


@click.group()
def db() -> None:
    """Database schema and migrations."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Create the schema, or bring it up to date."""
    if settings.uses_default_database:
        prepare_default_file(settings)
    activate_keys(settings)  # a migration may encrypt rows written before encryption at rest
    database = Database(settings.database_url)
    try:
        database.upgrade()
        status = database.schema_status()
    finally:
        database.dispose()
    click.echo(f"The database schema is up to date ({status.current}).")


@db.command("status")
@click.pass_obj
def db_status(settings: Settings) -> None:
    """Say whether the schema is up to date; exit 1 if not. Creates nothing."""
    missing = missing_sqlite_file(settings)
    if missing is not None:
        click.echo(f"There is no database yet at {missing}. Run: ungeguide db upgrade")
        raise SystemExit(1)
    database = Database(settings.database_url)
    try:
        status = database.schema_status()
    except SQLAlchemyError as error:
        click.echo(f"Cannot reach the database: {type(error).__name__}", err=True)
        raise SystemExit(2) from None
    finally:
        database.dispose()
    if status.up_to_date:
        click.echo(f"Up to date ({status.current}).")
        return
    at = status.current or "empty"
    click.echo(f"Out of date: at {at}, needs {status.head}. Run: ungeguide db upgrade")
    raise SystemExit(1)


COMMANDS = [db]
