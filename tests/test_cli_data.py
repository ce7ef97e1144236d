"""The data-protection commands: retention, erasure, backup and restore, on both databases."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from domain.people import create_young_person
from storage.models import YoungPerson
from ungeguide.cli import main


def person(session, name, created):
    return create_young_person(session, pseudonym=name, birth_year=2006, now=created).id


def test_retention_and_erase_commands(database, clock, tmp_path):
    database.upgrade()
    with database.session() as session:
        old = person(session, "Old", clock() - timedelta(days=800))
        kept = person(session, "Kept", clock())
    env = {"DATABASE_URL": database.url, "UNGEGUIDE_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    result = runner.invoke(main, ["retention", "run"], env=env, catch_exceptions=False)
    assert "Deleted 1 young people (person_status_change 1, young_person 1)" in result.output
    result = runner.invoke(main, ["people", "erase", str(old)], env=env)
    assert result.exit_code == 2
    assert f"no young person with id {old}" in result.output
    result = runner.invoke(main, ["people", "erase", str(kept), "--yes"], env=env)
    assert result.output.strip() == "Deleted: person_status_change 1, young_person 1"
    with database.session() as session:
        assert session.scalars(select(YoungPerson)).all() == []


def test_backup_and_restore_commands_round_trip(database, clock, tmp_path):
    database.upgrade()
    with database.session() as session:
        person(session, "Before", clock())
    env = {"DATABASE_URL": database.url, "UNGEGUIDE_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    target = tmp_path / "backups" / "ungeguide.backup"
    result = runner.invoke(main, ["backup", str(target)], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Backed up 2 rows" in result.output  # the young person and their status row
    with database.session() as session:
        person(session, "After", clock())
    database.dispose()
    result = runner.invoke(main, ["restore", str(target), "--yes"], env=env)
    assert result.exit_code == 0, result.output
    with database.session() as session:
        assert [p.pseudonym for p in session.scalars(select(YoungPerson))] == ["Before"]
    broken = tmp_path / "broken.backup"
    broken.write_text("not a backup", encoding="utf-8")
    result = runner.invoke(main, ["restore", str(broken), "--yes"], env=env)
    assert result.exit_code == 1
    assert "Restore failed" in result.output
