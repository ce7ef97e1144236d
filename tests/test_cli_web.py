"""The dashboard's commands: staff accounts and demo data, on both databases."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import func, select

from storage.models import StaffUser, YoungPerson
from ungeguide.cli import main


def _env(database, tmp_path):
    return {
        "DATABASE_URL": database.url,
        "UNGEGUIDE_DATA_DIR": str(tmp_path),
        "UNGEGUIDE_DASHBOARD_URL": "https://unge.kommune.invalid",
    }


def test_staff_add_with_a_password_stores_an_argon2id_hash(database, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["staff", "add", "Sara@Kommune.invalid", "--name", "Sara Holm", "--role", "coordinator"],
        input="min-lange-kode\nmin-lange-kode\n",
        env=_env(database, tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "Added coordinator sara@kommune.invalid." in result.output
    with database.session() as session:
        staff = session.scalars(select(StaffUser)).one()
    assert staff.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(staff.password_hash, "min-lange-kode")
    again = runner.invoke(
        main,
        ["staff", "add", "sara@kommune.invalid", "--name", "S", "--role", "admin", "--link"],
        env=_env(database, tmp_path),
    )
    assert again.exit_code == 1
    assert "already an account" in again.output


def test_staff_add_with_a_link_prints_a_one_time_link(database, tmp_path):
    result = CliRunner().invoke(
        main,
        ["staff", "add", "ali@kommune.invalid", "--name", "Ali", "--role", "facilitator", "--link"],
        env=_env(database, tmp_path),
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"https://unge\.kommune\.invalid/adgangskode/(\S+)", result.output)
    assert link is not None
    with database.session() as session:
        staff = session.scalars(select(StaffUser)).one()
        assert staff.password_hash is None
        assert staff.setup_token_hash is not None
        assert link.group(1) not in staff.setup_token_hash


def test_staff_add_refuses_a_short_password_and_a_bad_role(database, tmp_path):
    runner = CliRunner()
    short = runner.invoke(
        main,
        ["staff", "add", "a@b.invalid", "--name", "A", "--role", "admin"],
        input="kort\nkort\n",
        env=_env(database, tmp_path),
    )
    assert short.exit_code == 1
    assert "Use at least 10 characters" in short.output
    role = runner.invoke(
        main,
        ["staff", "add", "a@b.invalid", "--name", "A", "--role", "boss"],
        env=_env(database, tmp_path),
    )
    assert role.exit_code == 2
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_demo_fills_an_empty_database_once(database, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["demo"], env=_env(database, tmp_path))
    assert result.exit_code == 0, result.output
    assert "coordinator" in result.output
    with database.session() as session:
        people = session.scalar(select(func.count()).select_from(YoungPerson))
    assert people == 20
    again = runner.invoke(main, ["demo"], env=_env(database, tmp_path))
    assert again.exit_code == 1
    assert "No demo data added" in again.output
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 20
