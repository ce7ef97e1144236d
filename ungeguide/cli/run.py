"""Starting Ungeguide: the bot and the dashboard, or the local chat."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable

import click

from bot.channels.console import ConsoleChat
from core.clock import utc_now
from domain.people import demo_person
from ungeguide.app import bot_server, loading_nlu, notifier, reminders
from ungeguide.cli.common import open_app
from ungeguide.server import serve
from ungeguide.settings import Settings


@click.command()
@click.option("--fresh", is_flag=True, help="Start over with a new demo young person.")
@click.pass_obj
def chat(settings: Settings, fresh: bool) -> None:
    """Chat with the bot in this terminal as a demo young person (also reads piped input)."""
    _chat(settings, fresh=fresh)


def _chat(settings: Settings, *, fresh: bool) -> None:
    app = open_app(settings)
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
            planner.mix_ideas()  # ideas leave the pool for the board, as in `ungeguide run`
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


@click.command()
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
    # The NLU and the dashboard load right after the bot starts taking updates (bot_server).
    understander = loading_nlu(settings)
    app = open_app(settings, understander=understander)
    try:
        server = bot_server(app, understander)
        if settings.telegram_webhook_url:
            click.echo("Telegram: webhook.", err=True)
        else:
            click.echo("Telegram: polling for updates. Stop with Ctrl+C.", err=True)
        click.echo(f"Dashboard: {settings.dashboard_base_url}", err=True)
        serve(server.asgi, settings, started=server.loading.start)
    finally:
        app.close()


COMMANDS = [run, chat]
