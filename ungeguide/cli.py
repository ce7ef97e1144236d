"""The `ungeguide` command line. The only place that reads the environment."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

import click
import uvicorn

from bot.channels.console import ConsoleChat
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.webhook import webhook_app
from bot.content import ContentError, load_content
from bot.content.diagram import mermaid
from bot.service import utc_now
from scheduler.runner import start_scheduler
from storage import Database, SchemaOutOfDate
from storage.people import demo_person
from ungeguide.app import App, build_app, reminders, telegram_channel
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


def _open(settings: Settings) -> App:
    """Build the app, creating the default SQLite database on first run; exit 2 on problems."""
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

        def due_reminders() -> None:
            planner.plan()
            asyncio.run(dispatcher.dispatch_once())

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
    """Start Ungeguide: the Telegram bot when TELEGRAM_BOT_TOKEN is set, else the local chat."""
    if not settings.telegram_bot_token:
        click.echo(
            "No TELEGRAM_BOT_TOKEN set: starting the local chat (`ungeguide chat`).", err=True
        )
        _chat(settings, fresh=False)
        return
    app = _open(settings)
    try:
        channel = telegram_channel(app)
        if settings.telegram_webhook_url:
            click.echo(f"Telegram: webhook on {settings.host}:{settings.port}.", err=True)
            secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
            web = webhook_app(
                channel,
                secret=secret,
                public_url=settings.telegram_webhook_url,
                background=lambda: start_scheduler(*reminders(app, channel)),
            )
            uvicorn.run(web, host=settings.host, port=settings.port, log_level="warning")
        else:
            click.echo("Telegram: polling for updates. Stop with Ctrl+C.", err=True)
            asyncio.run(_poll(app, channel))
    finally:
        app.close()


async def _poll(app: App, channel: TelegramChannel) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await channel.start()
    scheduler = start_scheduler(*reminders(app, channel))
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await channel.stop()


@main.group()
def db() -> None:
    """Database schema and migrations."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Create the schema, or bring it up to date."""
    if settings.uses_default_database:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
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
