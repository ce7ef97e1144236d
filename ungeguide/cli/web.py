"""The dashboard's commands: serve it, fill a demo database, add staff accounts."""

from __future__ import annotations

import click
import uvicorn

from core.clock import utc_now
from core.content import ContentError, load_content
from dashboard.accounts import create_staff, issue_setup_link
from dashboard.errors import AccountError
from storage.models import StaffRole
from ungeguide.app import web_dashboard
from ungeguide.cli.common import open_database
from ungeguide.demo import fill_demo
from ungeguide.errors import DemoError
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
        uvicorn.run(
            web_dashboard(settings, database, content),
            host=settings.host,
            port=settings.port,
            log_level="warning",
        )
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


@click.group()
def staff() -> None:
    """Staff accounts for the dashboard."""


@staff.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The name shown in the dashboard.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in StaffRole]),
    required=True,
    help="admin sees everyone; coordinator their own young people; facilitator no personal data.",
)
@click.option("--link", is_flag=True, help="Print a one-time link to choose the password.")
@click.pass_obj
def staff_add(settings: Settings, email: str, name: str, role: str, link: bool) -> None:
    """Add a staff account, with a password typed now or a one-time link."""
    password = None
    if not link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    database = open_database(settings, create=True)
    now = utc_now()
    try:
        with database.session() as session:
            account = create_staff(
                session,
                email=email,
                display_name=name,
                role=StaffRole(role),
                password=password,
                now=now,
            )
            token = issue_setup_link(session, account, now=now) if link else None
    except AccountError as error:
        click.echo(f"No account added: {error}.", err=True)
        raise SystemExit(1) from None
    finally:
        database.dispose()
    click.echo(f"Added {role} {email.strip().lower()}.")
    if token is not None:
        click.echo(
            f"One-time link (valid 3 days): {settings.dashboard_base_url}/adgangskode/{token}"
        )


COMMANDS = [dashboard_command, demo_command, staff]
