"""The dashboard's commands: serve it, and fill a demo database (staff accounts: cli/staff.py)."""

from __future__ import annotations

import click

from core.clock import utc_now
from core.content import ContentError, load_content
from ungeguide.app import web_dashboard
from ungeguide.cli.common import open_database
from ungeguide.demo import fill_demo
from ungeguide.errors import DemoError
from ungeguide.health import health_for, with_health
from ungeguide.server import serve
from ungeguide.settings import Settings


@click.command("dashboard")
@click.pass_obj
def dashboard_command(settings: Settings) -> None:
    """Serve the coordinators' dashboard alone (no bot)."""
    database = open_database(settings, create=True)
    try:
        content = load_content(settings.dialogues_dir)
    except ContentError as error:
        click.echo("The dialogue files have problems:\n" + str(error), err=True)
        raise SystemExit(2) from None
    click.echo(f"Dashboard: {settings.dashboard_base_url}", err=True)
    try:
        health = health_for(settings, database, clock=utc_now)
        serve(with_health(web_dashboard(settings, database, content), health), settings)
    finally:
        database.dispose()


@click.command("demo")
@click.pass_obj
def demo_command(settings: Settings) -> None:
    """Fill an empty database with realistic demo data, and print the demo logins."""
    database = open_database(settings, create=True)
    try:
        with database.session() as session:
            logins = fill_demo(session, load_content(settings.dialogues_dir), now=utc_now())
    except DemoError as error:
        click.echo(f"No demo data added: {error}", err=True)
        raise SystemExit(1) from None
    finally:
        database.dispose()
    click.echo("Demo data added. Log in with:")
    for login in logins:
        click.echo(f"  {login.role:<12} {login.email:<28} {login.password}")
    click.echo("Start the dashboard with: ungeguide dashboard")


COMMANDS = [dashboard_command, demo_command]
