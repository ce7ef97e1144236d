"""Staff accounts for the dashboard: add, list, close, open, change role, reset the password.

The same rules as the dashboard's /personale (`dashboard.accounts`): at least one active
administrator is always left, and closing an account, a new role or a reset ends its sessions.
Every change goes in the audit log, as done from the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utc_now
from dashboard import accounts
from dashboard.errors import AccountError
from storage.models import StaffRole, StaffUser
from ungeguide.cli.common import open_database
from ungeguide.settings import Settings

ROLES = click.Choice([role.value for role in StaffRole])
T = TypeVar("T")


def _in_session(settings: Settings, work: Callable[[Session], T], *, failed: str) -> T:
    """Run `work` in one transaction; an AccountError is a clear message and exit status 1."""
    database = open_database(settings, create=True)
    try:
        with database.session() as session:
            return work(session)
    except AccountError as error:
        click.echo(f"{failed}: {str(error).rstrip('.')}.", err=True)
        raise SystemExit(1) from None
    finally:
        database.dispose()


def _link(settings: Settings, token: str) -> str:
    days = accounts.SETUP_LINK_VALID.days
    return f"One-time link (valid {days} days): {settings.dashboard_base_url}/adgangskode/{token}"


@click.group()
def staff() -> None:
    """Staff accounts for the dashboard."""


@staff.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The name shown in the dashboard.")
@click.option(
    "--role",
    type=ROLES,
    required=True,
    help="admin sees everyone; coordinator their own young people; facilitator no personal data.",
)
@click.option("--link", is_flag=True, help="Print a one-time link to choose the password.")
@click.pass_obj
def staff_add(settings: Settings, email: str, name: str, role: str, link: bool) -> None:
    """Add a staff account, with a password typed now or a one-time link.

    A password needs at least 12 characters and must not be easy to guess (zxcvbn)."""
    password = None
    if not link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    now = utc_now()

    def add(session: Session) -> str | None:
        account = accounts.create_staff(
            session,
            email=email,
            display_name=name,
            role=StaffRole(role),
            password=password,
            now=now,
        )
        accounts.record(
            session, staff_id=None, action="add_staff", now=now, detail=account.display_name
        )
        return accounts.issue_setup_link(session, account, now=now) if link else None

    token = _in_session(settings, add, failed="No account added")
    click.echo(f"Added {role} {email.strip().lower()}.")
    if token is not None:
        click.echo(_link(settings, token))


@staff.command("list")
@click.pass_obj
def staff_list(settings: Settings) -> None:
    """List the accounts: e-mail, role, and whether each is open."""

    def rows(session: Session) -> list[tuple[str, str, str]]:
        found = session.scalars(select(StaffUser).order_by(StaffUser.email))
        return [(s.email, s.role, _state(s)) for s in found]

    for email, role, state in _in_session(settings, rows, failed="Cannot list"):
        click.echo(f"{email:<36} {role:<12} {state}")


def _state(staff: StaffUser) -> str:
    if staff.disabled_at is not None:
        return f"closed {staff.disabled_at:%Y-%m-%d}"
    return "open" if staff.password_hash else "waiting for a password"


@staff.command("disable")
@click.argument("email")
@click.pass_obj
def staff_disable(settings: Settings, email: str) -> None:
    """Close an account: it cannot log in, and its sessions end now."""

    def close(session: Session) -> bool:
        found = accounts.find_staff(session, email)
        return accounts.disable(session, found, actor=None, now=utc_now())

    changed = _in_session(settings, close, failed="Not closed")
    click.echo(f"Closed {email.strip().lower()}." if changed else "It was already closed.")


@staff.command("enable")
@click.argument("email")
@click.pass_obj
def staff_enable(settings: Settings, email: str) -> None:
    """Open a closed account again, with the password it had."""

    def reopen(session: Session) -> bool:
        found = accounts.find_staff(session, email)
        return accounts.enable(session, found, actor=None, now=utc_now())

    changed = _in_session(settings, reopen, failed="Not opened")
    click.echo(f"Opened {email.strip().lower()}." if changed else "It was already open.")


@staff.command("role")
@click.argument("email")
@click.argument("role", type=ROLES)
@click.pass_obj
def staff_role(settings: Settings, email: str, role: str) -> None:
    """Give an account a new role; its sessions end, so it applies from the next login."""

    def change(session: Session) -> bool:
        found = accounts.find_staff(session, email)
        return accounts.change_role(session, found, StaffRole(role), actor=None, now=utc_now())

    changed = _in_session(settings, change, failed="Role not changed")
    click.echo(f"{email.strip().lower()} is now {role}." if changed else f"It was already {role}.")


@staff.command("reset")
@click.argument("email")
@click.pass_obj
def staff_reset(settings: Settings, email: str) -> None:
    """Stop the account's password and sessions now, and print a one-time link for a new one."""

    def reset(session: Session) -> str:
        found = accounts.find_staff(session, email)
        return accounts.reset(session, found, actor=None, now=utc_now())

    token = _in_session(settings, reset, failed="Not reset")
    click.echo(f"The password of {email.strip().lower()} no longer works.")
    click.echo(_link(settings, token))


COMMANDS = [staff]
