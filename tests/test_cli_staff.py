"""`ungeguide staff`: accounts from the command line, on both databases, with the same rules and
audit lines as the dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard import staff_sessions
from storage.models import AuditEvent, StaffSession, StaffUser
from ungeguide.cli import main

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _env(database, tmp_path):
    return {
        "DATABASE_URL": database.url,
        "UNGEGUIDE_DATA_DIR": str(tmp_path),
        "UNGEGUIDE_DASHBOARD_URL": "https://unge.kommune.invalid",
    }


def _run(database, tmp_path, *args, input=None):
    return CliRunner().invoke(main, ["staff", *args], input=input, env=_env(database, tmp_path))


def _add(database, tmp_path, email, role):
    result = _run(database, tmp_path, "add", email, "--name", email.split("@")[0], "--role", role,
                  "--link")  # fmt: skip
    assert result.exit_code == 0, result.output


def _account(database, email):
    with database.session() as session:
        staff = session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
        sessions = session.scalar(
            select(func.count()).where(StaffSession.staff_user_id == staff.id)
        )
        return staff, sessions


def _log_in_session(database, email, settings=None):
    """A live dashboard session for `email`, as a login would leave it."""
    settings = settings or staff_sessions.SessionSettings(secret="s")
    with database.session() as session:
        staff = session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
        return staff_sessions.start(session, staff.id, settings, now=NOW)


def _actions(database):
    with database.session() as session:
        return [
            (event.staff_user_id, event.action, event.detail)
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_staff_add_with_a_password_stores_an_argon2id_hash(database, tmp_path):
    result = _run(
        database,
        tmp_path,
        *("add", "Sara@Kommune.invalid", "--name", "Sara Holm", "--role", "coordinator"),
        input="min-lange-kode\nmin-lange-kode\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added coordinator sara@kommune.invalid." in result.output
    staff, _sessions = _account(database, "sara@kommune.invalid")
    assert staff.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(staff.password_hash, "min-lange-kode")
    assert _actions(database) == [(None, "add_staff", "Sara Holm")]
    again = _run(
        database,
        tmp_path,
        "add",
        "sara@kommune.invalid",
        "--name",
        "S",
        "--role",
        "admin",
        "--link",
    )
    assert again.exit_code == 1
    assert "already an account" in again.output


def test_staff_add_with_a_link_prints_a_one_time_link(database, tmp_path):
    result = _run(
        database, tmp_path, "add", "ali@kommune.invalid", "--name", "Ali", "--role", "facilitator",
        "--link",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    link = re.search(r"https://unge\.kommune\.invalid/adgangskode/(\S+)", result.output)
    assert link is not None
    staff, _sessions = _account(database, "ali@kommune.invalid")
    assert staff.password_hash is None
    assert staff.setup_token_hash is not None
    assert link.group(1) not in staff.setup_token_hash


def test_staff_add_refuses_short_and_common_passwords_and_a_bad_role(database, tmp_path):
    add = ("add", "a@b.invalid", "--name", "A", "--role", "admin")
    short = _run(database, tmp_path, *add, input="kort-kode\nkort-kode\n")
    assert short.exit_code == 1
    assert "No account added: Use at least 12 characters." in short.output
    common = _run(database, tmp_path, *add, input="password1234\npassword1234\n")
    assert common.exit_code == 1
    assert "too easy to guess" in common.output
    role = _run(database, tmp_path, "add", "a@b.invalid", "--name", "A", "--role", "boss")
    assert role.exit_code == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_disable_ends_sessions_and_enable_opens_again(database, tmp_path):
    _add(database, tmp_path, "boss@kommune.invalid", "admin")
    _add(database, tmp_path, "sara@kommune.invalid", "coordinator")
    _log_in_session(database, "sara@kommune.invalid")
    closed = _run(database, tmp_path, "disable", "Sara@kommune.invalid")
    assert closed.exit_code == 0, closed.output
    assert closed.output == "Closed sara@kommune.invalid.\n"
    staff, sessions = _account(database, "sara@kommune.invalid")
    assert staff.disabled_at is not None
    assert sessions == 0
    listing = _run(database, tmp_path, "list")
    assert re.search(
        r"sara@kommune\.invalid\s+coordinator\s+closed \d{4}-\d\d-\d\d", listing.output
    )
    assert re.search(r"boss@kommune\.invalid\s+admin\s+waiting for a password", listing.output)
    assert _run(database, tmp_path, "disable", "sara@kommune.invalid").output == (
        "It was already closed.\n"
    )
    opened = _run(database, tmp_path, "enable", "sara@kommune.invalid")
    assert opened.output == "Opened sara@kommune.invalid.\n"
    assert _account(database, "sara@kommune.invalid")[0].disabled_at is None
    unknown = _run(database, tmp_path, "disable", "nobody@kommune.invalid")
    assert unknown.exit_code == 1
    assert "Not closed: there is no account for nobody@kommune.invalid." in unknown.output
    assert [action for _who, action, _detail in _actions(database)][-2:] == [
        "disable_staff",
        "enable_staff",
    ]


def test_the_last_admin_cannot_be_closed_or_demoted(database, tmp_path):
    _add(database, tmp_path, "boss@kommune.invalid", "admin")
    for args in (
        ("disable", "boss@kommune.invalid"),
        ("role", "boss@kommune.invalid", "coordinator"),
    ):
        refused = _run(database, tmp_path, *args)
        assert refused.exit_code == 1
        assert "There must be at least one active administrator." in refused.output
    staff, _sessions = _account(database, "boss@kommune.invalid")
    assert (staff.role, staff.disabled_at) == ("admin", None)
    _add(database, tmp_path, "other@kommune.invalid", "admin")
    assert _run(database, tmp_path, "role", "boss@kommune.invalid", "coordinator").exit_code == 0
    assert _account(database, "boss@kommune.invalid")[0].role == "coordinator"
    refused = _run(database, tmp_path, "disable", "other@kommune.invalid")
    assert refused.exit_code == 1


def test_role_change_and_reset_end_sessions_and_reset_stops_the_password(database, tmp_path):
    _add(database, tmp_path, "boss@kommune.invalid", "admin")
    result = _run(
        database,
        tmp_path,
        *("add", "sara@kommune.invalid", "--name", "Sara", "--role", "coordinator"),
        input="min-lange-kode\nmin-lange-kode\n",
    )
    assert result.exit_code == 0
    _log_in_session(database, "sara@kommune.invalid")
    role = _run(database, tmp_path, "role", "sara@kommune.invalid", "facilitator")
    assert role.output == "sara@kommune.invalid is now facilitator.\n"
    assert _account(database, "sara@kommune.invalid")[1] == 0
    _log_in_session(database, "sara@kommune.invalid")
    reset = _run(database, tmp_path, "reset", "sara@kommune.invalid")
    assert reset.exit_code == 0, reset.output
    assert "The password of sara@kommune.invalid no longer works." in reset.output
    assert re.search(r"https://unge\.kommune\.invalid/adgangskode/\S+", reset.output)
    staff, sessions = _account(database, "sara@kommune.invalid")
    assert (staff.password_hash, sessions) == (None, 0)
    assert staff.setup_token_hash is not None
    assert [action for _who, action, _detail in _actions(database)][-2:] == [
        "change_role",
        "reset_staff",
    ]
    assert _actions(database)[-2] == (None, "change_role", "Sara: Facilitator")
