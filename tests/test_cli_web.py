"""The dashboard's commands: demo data, on both databases (staff accounts: test_cli_staff.py)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from storage.models import YoungPerson
from ungeguide.cli import main


def _env(database, tmp_path):
    return {
        "DATABASE_URL": database.url,
        "UNGEGUIDE_DATA_DIR": str(tmp_path),
        "UNGEGUIDE_DASHBOARD_URL": "https://unge.kommune.invalid",
    }


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
