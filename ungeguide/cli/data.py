"""Data protection and safekeeping: retention, erasure, backups, encryption keys."""

from __future__ import annotations

from pathlib import Path

import click

from domain import lifecycle
from storage import Database, SchemaOutOfDate
from storage.crypto import KEY_FILE, Keyring, keyring, new_key, use_keyring, write_key_file
from storage.errors import BackupError, CryptoError
from storage.models import YoungPerson
from storage.rotation import rotate_all
from ungeguide.app import planner
from ungeguide.cli.common import activate_keys, open_app, refuse_missing_database
from ungeguide.settings import Settings


@click.group()
def retention() -> None:
    """Deleting data that is no longer needed."""


@retention.command("run")
@click.pass_obj
def retention_run(settings: Settings) -> None:
    """Delete young people inactive for UNGEGUIDE_RETENTION_DAYS and prune old reminders now
    (the bot also does this every night)."""
    app = open_app(settings, create=False)
    try:
        report = planner(app).retain()
    finally:
        app.close()
    rows = ", ".join(f"{table} {count}" for table, count in sorted(report.rows.items()))
    click.echo(
        f"Deleted {report.people} young people ({rows or 'no rows'}); "
        f"pruned {report.reminders_pruned} old reminders."
    )


@click.group()
def people() -> None:
    """Young people (for administrators)."""


@people.command("erase")
@click.argument("person_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def people_erase(settings: Settings, person_id: int, yes: bool) -> None:
    """Delete everything stored about PERSON_ID (completes a /slet request after archiving).
    Only an audit line without content remains."""
    app = open_app(settings, create=False)
    try:
        with app.database.session() as session:
            if session.get(YoungPerson, person_id) is None:
                raise click.UsageError(f"There is no young person with id {person_id}.")
            if not yes:
                click.confirm(f"Delete everything about young person {person_id}?", abort=True)
            counts = lifecycle.erase(session, person_id, reason="request", now=app.clock())
    finally:
        app.close()
    click.echo("Deleted: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(settings: Settings, target: Path) -> None:
    """Write a consistent copy of the database to TARGET (safe while the bot runs): SQLite's
    online backup, or pg_dump's custom format for PostgreSQL."""
    try:
        from storage.backup import backup  # sqlite3 and the dump tools: not at every start

        report = backup(settings.database_url, target)
    except BackupError as error:
        click.echo(f"Backup failed: {error}", err=True)
        raise SystemExit(1) from None
    rows = sum(count for table, count in report.tables.items() if table != "alembic_version")
    click.echo(
        f"Backed up {rows} rows in {len(report.tables)} tables to {report.path} "
        f"({report.bytes} bytes)."
    )


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore_command(settings: Settings, source: Path, yes: bool) -> None:
    """Replace the database with the backup in SOURCE. Stop the bot first."""
    if not yes:
        click.confirm("This replaces everything in the database. Is the bot stopped?", abort=True)
    try:
        from storage.backup import restore

        restore(settings.database_url, source)
    except BackupError as error:
        click.echo(f"Restore failed: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Restored the database from {source}.")


@click.group()
def keys() -> None:
    """The encryption keys for data at rest."""


@keys.command("new")
def keys_new() -> None:
    """Print a new key (put it first in UNGEGUIDE_KEYS, then run `keys rotate`)."""
    click.echo(new_key())


@keys.command("rotate")
@click.pass_obj
def keys_rotate(settings: Settings) -> None:
    """Re-encrypt everything with the first key. With the key file (no UNGEGUIDE_KEYS), a new
    key is made first and the old one is retired afterwards."""
    refuse_missing_database(settings)
    activate_keys(settings)
    key_file = settings.data_dir / KEY_FILE
    old = list(keyring().keys)
    ring = keyring()
    if settings.keys is None:
        ring = Keyring([new_key(), *old])
        write_key_file(key_file, ring.keys)  # both, until every token is rewritten
    use_keyring(ring)
    database = Database(settings.database_url)
    try:
        database.require_current_schema()
        with database.session() as session:
            counts = rotate_all(session, ring)
    except (CryptoError, SchemaOutOfDate) as error:
        click.echo(f"Rotation failed, nothing changed: {error}", err=True)
        raise SystemExit(1) from None
    finally:
        database.dispose()
    if settings.keys is None:
        write_key_file(key_file, ring.keys[:1])
        retired = f"The old key is removed from {key_file}."
    else:
        retired = "You can now remove the older keys from UNGEGUIDE_KEYS."
    rows = ", ".join(f"{table} {count}" for table, count in counts.items())
    click.echo(f"Re-encrypted with the first key: {rows}. {retired}")


COMMANDS = [retention, people, backup_command, restore_command, keys]
