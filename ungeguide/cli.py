"""The `ungeguide` command line. The only place that reads the environment."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sys
from collections.abc import Iterable
from pathlib import Path

import click
import uvicorn

from bot.channels.console import ConsoleChat
from bot.channels.telegram.webhook import webhook_app
from bot.content import ContentError, load_content
from bot.content.diagram import mermaid
from bot.nlu import Understander
from bot.nlu.build import build_understander
from bot.nlu.data import Example, TrainingDataError, load_examples
from bot.nlu.evaluate import HELD_OUT, Report, effective_intent, evaluate, format_reports
from bot.nlu.parse import InterpreterUnavailable
from bot.nlu.safety import LexiconError
from bot.service import utc_now
from scheduler.runner import start_scheduler
from storage import Database, SchemaOutOfDate
from storage.backup import BackupError, backup, restore
from storage.crypto import (
    KEY_FILE,
    CryptoError,
    Keyring,
    keyring,
    new_key,
    use_keyring,
    write_key_file,
)
from storage.erasure import erase_person
from storage.models import YoungPerson
from storage.people import demo_person
from storage.rotation import rotate_all
from ungeguide.app import (
    App,
    build_app,
    configure_keys,
    notifier,
    planner,
    reminders,
    telegram_channel,
    web_dashboard,
)
from ungeguide.cli_web import dashboard_command, demo_command, staff
from ungeguide.settings import Settings, SettingsError

DIAGRAMS = "diagrams"


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (never message texts).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Ungeguide: a Danish check-in bot and dashboard for municipal youth efforts."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        ctx.obj = Settings.from_env()
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _keys(settings: Settings) -> None:
    """Activate the encryption keys, saying so when a new key file was made; exit 2 if unusable."""
    try:
        created = configure_keys(settings)
    except CryptoError as error:
        click.echo(f"UNGEGUIDE_KEYS: {error}", err=True)
        raise SystemExit(2) from None
    if created is not None:
        click.echo(
            f"First run: created the encryption key file {created}. Keep a copy somewhere safe: "
            "without it the stored texts cannot be read.",
            err=True,
        )


def _open(settings: Settings) -> App:
    """Build the app, creating the default SQLite database on first run; exit 2 on problems."""
    _keys(settings)
    if settings.uses_default_database and not settings.default_database_file.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        click.echo(f"First run: creating the database {settings.default_database_file}", err=True)
        database = Database(settings.database_url)
        database.upgrade()
        database.dispose()
    try:
        return build_app(settings)
    except ContentError as error:
        click.echo("The dialogue files have problems:\n" + str(error), err=True)
        raise SystemExit(2) from None
    except SchemaOutOfDate as error:
        click.echo(str(error), err=True)
        raise SystemExit(2) from None


@main.command()
@click.option("--fresh", is_flag=True, help="Start over with a new demo young person.")
@click.pass_obj
def chat(settings: Settings, fresh: bool) -> None:
    """Chat with the bot in this terminal as a demo young person (also reads piped input)."""
    _chat(settings, fresh=fresh)


def _chat(settings: Settings, *, fresh: bool) -> None:
    app = _open(settings)
    try:
        with app.database.session() as session:
            person_id = demo_person(session, fresh=fresh, now=utc_now()).id
        interactive = sys.stdin.isatty()
        console = ConsoleChat(
            lambda event: app.conversations.handle(person_id, event),
            output=sys.stdout,
            echo_input=not interactive,
        )
        if interactive:
            click.echo(
                "Lokal chat med Ungeguide. Skriv en besked, eller tryk Ctrl+D for at stoppe."
            )
        dispatcher, planner = reminders(app, console, only_person=person_id)
        care = notifier(app)

        def due_reminders() -> None:
            planner.plan()
            asyncio.run(dispatcher.dispatch_once())
            asyncio.run(care.run_once())  # held alerts open, escalation; e-mails if SMTP is set

        console.start()
        try:
            console.run(_lines(interactive), between=due_reminders)
        except KeyboardInterrupt:
            click.echo("")
    finally:
        app.close()


def _lines(interactive: bool) -> Iterable[str]:
    if not interactive:
        return sys.stdin
    return iter(_prompt, None)  # stops at the None sentinel (end of input)


def _prompt() -> str | None:
    try:
        return input("Du: ")
    except EOFError:
        return None


@main.command()
@click.pass_obj
def run(settings: Settings) -> None:
    """Start Ungeguide: the Telegram bot and the dashboard on one port when TELEGRAM_BOT_TOKEN
    is set, else the local chat."""
    if not settings.telegram_bot_token:
        click.echo(
            "No TELEGRAM_BOT_TOKEN set: starting the local chat (`ungeguide chat`). "
            "The dashboard alone: `ungeguide dashboard`.",
            err=True,
        )
        _chat(settings, fresh=False)
        return
    app = _open(settings)
    try:
        channel = telegram_channel(app)
        secret = None
        if settings.telegram_webhook_url:
            click.echo("Telegram: webhook.", err=True)
            secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
        else:
            click.echo("Telegram: polling for updates. Stop with Ctrl+C.", err=True)
        web = webhook_app(
            channel,
            secret=secret,
            public_url=settings.telegram_webhook_url,
            background=lambda: start_scheduler(*reminders(app, channel), notifier(app)),
            dashboard=web_dashboard(settings, app.database, app.content, clock=app.clock),
        )
        click.echo(f"Dashboard: {settings.dashboard_base_url}", err=True)
        uvicorn.run(web, host=settings.host, port=settings.port, log_level="warning")
    finally:
        app.close()


@main.group()
def db() -> None:
    """Database schema and migrations."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Create the schema, or bring it up to date."""
    if settings.uses_default_database:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    _keys(settings)  # a migration may encrypt rows written before encryption at rest
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
    """Say whether the schema is up to date; exit 1 if not."""
    database = Database(settings.database_url)
    try:
        status = database.schema_status()
    finally:
        database.dispose()
    if status.up_to_date:
        click.echo(f"Up to date ({status.current}).")
        return
    at = status.current or "empty"
    click.echo(f"Out of date: at {at}, needs {status.head}. Run: ungeguide db upgrade")
    raise SystemExit(1)


@main.group()
def dialogues() -> None:
    """The YAML content in dialogues/."""


@dialogues.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.pass_obj
def dialogues_check(settings: Settings, directory: Path | None) -> None:
    """Validate the dialogue files; print each problem as file:line: what is wrong."""
    folder = directory or settings.dialogues_dir
    try:
        content = load_content(folder)
    except ContentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    names = ", ".join(content.questionnaires)
    click.echo(f"OK: {len(content.questionnaires)} questionnaires ({names}), texts and onboarding.")


@dialogues.command("diagram")
@click.option("--check", is_flag=True, help="Fail if a checked-in diagram is out of date.")
@click.pass_obj
def dialogues_diagram(settings: Settings, check: bool) -> None:
    """Write dialogues/diagrams/<id>.mmd, a Mermaid flow diagram per questionnaire."""
    try:
        content = load_content(settings.dialogues_dir)
    except ContentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    folder = settings.dialogues_dir / DIAGRAMS
    stale = []
    for questionnaire in content.questionnaires.values():
        path = folder / f"{questionnaire.id}.mmd"
        text = mermaid(questionnaire, content)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not check:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        click.echo(f"Out of date: {', '.join(stale)}. Run: ungeguide dialogues diagram", err=True)
        raise SystemExit(1)
    click.echo(f"{len(stale)} diagram(s) written." if not check else "Diagrams are up to date.")


# --- free-text understanding ----------------------------------------------------------------


@main.group()
def nlu() -> None:
    """The Danish free-text understanding (nlu_data/)."""


@nlu.command("evaluate")
@click.option(
    "--test",
    "test_file",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Labelled examples in Rasa 3.x NLU YAML.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--raw", is_flag=True, help="The interpreter alone, without the safety net.")
@click.option("--errors", is_flag=True, help="Also list every misclassified text.")
@click.pass_obj
def nlu_evaluate(
    settings: Settings, test_file: Path, as_json: bool, raw: bool, errors: bool
) -> None:
    """Per-intent precision, recall and F1, macro-F1, confusions and latency.

    Uses the Rasa server when RASA_URL is set, else the embedded interpreter.
    """
    examples = _examples(test_file)
    understander = _understander(settings, rasa=bool(settings.rasa_url))
    report = _evaluate(understander, examples, raw=raw)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(format_reports([report]))
    if errors:
        click.echo("\nMisclassified: text -> expected / predicted")
        for text, expected, predicted in report.errors:
            click.echo(f"  {text!r}: {expected} / {predicted}")


@nlu.command("compare")
@click.option(
    "--test",
    "test_file",
    default=HELD_OUT,
    show_default=True,
    type=click.Path(exists=True, path_type=Path),
    help="Labelled examples in Rasa 3.x NLU YAML.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per interpreter.")
@click.option("--raw", is_flag=True, help="The interpreters alone, without the safety net.")
@click.pass_obj
def nlu_compare(settings: Settings, test_file: Path, as_json: bool, raw: bool) -> None:
    """The embedded and the Rasa interpreter side by side (needs RASA_URL)."""
    if not settings.rasa_url:
        raise click.UsageError(
            "RASA_URL is not set. Start a Rasa server (make rasa-serve) and set "
            "RASA_URL=http://127.0.0.1:5005."
        )
    examples = _examples(test_file)
    reports = [
        _evaluate(_understander(settings, rasa=rasa), examples, raw=raw) for rasa in (False, True)
    ]
    if as_json:
        click.echo(
            json.dumps({r.interpreter: r.as_json() for r in reports}, ensure_ascii=False, indent=2)
        )
        return
    click.echo(format_reports(reports))


@nlu.command("parse")
@click.argument("text")
@click.pass_obj
def nlu_parse(settings: Settings, text: str) -> None:
    """What the bot makes of one TEXT: intent, ranking, entities, safety net."""
    understander = _understander(settings, rasa=bool(settings.rasa_url))
    try:
        understanding = understander.understand(text)
    except InterpreterUnavailable as error:
        click.echo(f"{error}. Is the server running at RASA_URL?", err=True)
        raise SystemExit(2) from None
    finally:
        understander.close()
    parse = understanding.parse
    acts_on = effective_intent(understanding)
    click.echo(f"intent: {parse.intent} ({parse.confidence:.2f}) -> acts on {acts_on}")
    click.echo("ranking: " + ", ".join(f"{s.name} {s.confidence:.2f}" for s in parse.ranking))
    for entity in parse.entities:
        click.echo(f"entity: {entity.entity}={entity.value!r} [{entity.start}:{entity.end}]")
    crisis = understanding.crisis
    click.echo(
        f"safety net: {'HIT (' + crisis.source + ': ' + crisis.detail + ')' if crisis else 'no'}"
    )


def _examples(path: Path) -> list[Example]:
    try:
        return load_examples(path)
    except TrainingDataError as error:
        raise click.UsageError(str(error)) from None


def _understander(settings: Settings, *, rasa: bool) -> Understander:
    try:
        return build_understander(
            settings.nlu_dir,
            rasa_url=settings.rasa_url if rasa else None,
            cache_dir=settings.data_dir / "cache",
            fallback=False,
        )
    except (TrainingDataError, LexiconError) as error:
        click.echo(f"The NLU data has problems: {error}", err=True)
        raise SystemExit(2) from None


def _evaluate(understander: Understander, examples: list[Example], *, raw: bool) -> Report:
    try:
        return evaluate(understander, examples, raw=raw)
    except InterpreterUnavailable as error:
        click.echo(f"{error}. Is the server running at RASA_URL?", err=True)
        raise SystemExit(2) from None
    finally:
        understander.close()


# --- data protection ------------------------------------------------------------------------


@main.group()
def retention() -> None:
    """Deleting data that is no longer needed."""


@retention.command("run")
@click.pass_obj
def retention_run(settings: Settings) -> None:
    """Delete young people inactive for UNGEGUIDE_RETENTION_DAYS and prune old reminders now
    (the bot also does this every night)."""
    app = _open(settings)
    try:
        report = planner(app).retain()
    finally:
        app.close()
    rows = ", ".join(f"{table} {count}" for table, count in sorted(report.rows.items()))
    click.echo(
        f"Deleted {report.people} young people ({rows or 'no rows'}); "
        f"pruned {report.reminders_pruned} old reminders."
    )


@main.group()
def people() -> None:
    """Young people (for administrators)."""


@people.command("erase")
@click.argument("person_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def people_erase(settings: Settings, person_id: int, yes: bool) -> None:
    """Delete everything stored about PERSON_ID (completes a /slet request after archiving).
    Only an audit line without content remains."""
    app = _open(settings)
    try:
        with app.database.session() as session:
            if session.get(YoungPerson, person_id) is None:
                raise click.UsageError(f"There is no young person with id {person_id}.")
            if not yes:
                click.confirm(f"Delete everything about young person {person_id}?", abort=True)
            counts = erase_person(session, person_id, reason="request", now=app.clock())
    finally:
        app.close()
    click.echo("Deleted: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(settings: Settings, target: Path) -> None:
    """Write a consistent copy of the database to TARGET (safe while the bot runs): SQLite's
    online backup, or pg_dump's custom format for PostgreSQL."""
    try:
        report = backup(settings.database_url, target)
    except BackupError as error:
        click.echo(f"Backup failed: {error}", err=True)
        raise SystemExit(1) from None
    rows = sum(count for table, count in report.tables.items() if table != "alembic_version")
    click.echo(
        f"Backed up {rows} rows in {len(report.tables)} tables to {report.path} "
        f"({report.bytes} bytes)."
    )


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore_command(settings: Settings, source: Path, yes: bool) -> None:
    """Replace the database with the backup in SOURCE. Stop the bot first."""
    if not yes:
        click.confirm("This replaces everything in the database. Is the bot stopped?", abort=True)
    try:
        restore(settings.database_url, source)
    except BackupError as error:
        click.echo(f"Restore failed: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Restored the database from {source}.")


@main.group()
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
    _keys(settings)
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


main.add_command(dashboard_command)
main.add_command(demo_command)
main.add_command(staff)
