"""The command line, through click's runner and as real processes."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from storage import Answer, Database, QuestionnaireResponse
from tests.auxil.chat_process import ChatProcess
from tests.conftest import DIALOGUES
from ungeguide.cli import main


def invoke(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_dialogues_check_ok_and_broken(tmp_path):
    result = invoke("dialogues", "check")
    assert result.exit_code == 0
    assert (
        "OK: 4 questionnaires (who5, livsomraader, bip_uddannelse, bip_beskaeftigelse)"
        in result.output
    )
    broken = tmp_path / "d"
    shutil.copytree(DIALOGUES, broken)
    who5 = broken / "who5.yml"
    who5.write_text(
        who5.read_text(encoding="utf-8").replace("value: 3", "value: tre"), encoding="utf-8"
    )
    result = invoke("dialogues", "check", str(broken))
    assert result.exit_code == 1
    assert "who5.yml:23: scale[2].value: Input should be a valid integer" in result.output


def test_diagrams_are_up_to_date():
    result = invoke("dialogues", "diagram", "--check")
    assert result.exit_code == 0, result.output


def test_db_upgrade_and_status(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    status = invoke("db", "status", DATABASE_URL=url)
    assert status.exit_code == 1
    assert "Run: ungeguide db upgrade" in status.output
    assert invoke("db", "upgrade", DATABASE_URL=url).exit_code == 0
    assert invoke("db", "status", DATABASE_URL=url).output.startswith("Up to date")


def test_the_app_refuses_an_out_of_date_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Database(url).schema_status()  # creates an empty database file with no schema
    result = invoke("chat", DATABASE_URL=url, UNGEGUIDE_DATA_DIR=str(tmp_path))
    assert result.exit_code == 2
    assert "The database schema is out of date" in result.output
    assert "Run: ungeguide db upgrade" in result.output


def test_run_without_a_token_starts_the_local_chat_and_creates_the_database(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["run"],
        input="ja\nnej tak\n",
        env={
            "UNGEGUIDE_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": "",
            "TELEGRAM_BOT_TOKEN": "",
        },
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "No TELEGRAM_BOT_TOKEN set" in result.output
    assert "First run: creating the database" in result.output
    assert "Er det okay for dig?" in result.output
    assert "Helt i orden. Skriv /tjek" in result.output
    assert (tmp_path / "data" / "ungeguide.db").exists()


def test_broken_dialogues_stop_the_start_with_file_and_line(tmp_path):
    broken = tmp_path / "d"
    shutil.copytree(DIALOGUES, broken)
    (broken / "onboarding.yml").write_text("version: [\n", encoding="utf-8")
    result = invoke(
        "chat",
        UNGEGUIDE_DATA_DIR=str(tmp_path),
        UNGEGUIDE_DIALOGUES_DIR=str(broken),
        DATABASE_URL="",
    )
    assert result.exit_code == 2
    assert "The dialogue files have problems:\nonboarding.yml:" in result.output


# --- as real processes, on both databases ---------------------------------------------------


def answers_in(database_url: str) -> list[tuple[object, ...]]:
    database = Database(database_url)
    try:
        with database.session() as session:
            rows = session.execute(select(Answer.item_id, Answer.value).order_by(Answer.id)).all()
        return [tuple(row) for row in rows]
    finally:
        database.dispose()


def start_who5(chat: ChatProcess) -> None:
    chat.wait_for("[2] Nej tak")
    chat.send("ja")
    chat.wait_for("[2] Senere")
    chat.send("Ja, lad os prøve")  # the button label
    chat.wait_for("Spørgsmål 1 af 5")


def test_piped_chat_runs_a_whole_who5(database_url, tmp_path):
    chat = ChatProcess(database_url=database_url, data_dir=tmp_path)
    start_who5(chat)
    for line in ("5", "4", "Lidt mere end halvdelen af tiden", "2", "1"):
        chat.send(line)
    chat.wait_for("Dine svar giver 60 ud af 100")
    chat.send("At komme i gang med at træne")
    chat.wait_for("Vi ses!")
    assert chat.close() == 0
    assert answers_in(database_url) == [
        ("glad", 5),
        ("rolig", 4),
        ("aktiv", 3),
        ("udhvilet", 2),
        ("interesse", 1),
    ]


def test_pause_then_resume_in_a_new_process_at_the_exact_item(database_url, tmp_path):
    chat = ChatProcess(database_url=database_url, data_dir=tmp_path)
    start_who5(chat)
    chat.send("4")
    chat.wait_for("Spørgsmål 2 af 5")
    chat.send("3")
    chat.wait_for("Spørgsmål 3 af 5")
    chat.send("pause")
    chat.wait_for("vi holder pause")
    assert chat.close() == 0

    again = ChatProcess(database_url=database_url, data_dir=tmp_path)
    seen = again.wait_for("Spørgsmål 3 af 5")
    assert any("Vi fortsætter ved spørgsmål 3 af 5" in line for line in seen)
    again.send("2")
    again.wait_for("Spørgsmål 4 af 5")
    assert again.close() == 0
    assert answers_in(database_url) == [("glad", 4), ("rolig", 3), ("aktiv", 2)]


@pytest.mark.parametrize("answers_before_kill", [1, 3, 5])
def test_sigkill_right_after_an_acknowledged_answer_keeps_it(
    database_url, tmp_path, answers_before_kill
):
    chat = ChatProcess(database_url=database_url, data_dir=tmp_path)
    start_who5(chat)
    values = [4, 3, 2, 1, 0]
    for number, value in enumerate(values[:answers_before_kill], start=1):
        chat.send(str(value))
        # The next question (or the result) on screen is the acknowledgement.
        chat.wait_for(f"Spørgsmål {number + 1} af 5" if number < 5 else "Dine svar giver 40")
    chat.kill()
    items = ["glad", "rolig", "aktiv", "udhvilet", "interesse"]
    expected = list(zip(items, values, strict=True))[:answers_before_kill]
    assert answers_in(database_url) == expected

    resumed = ChatProcess(database_url=database_url, data_dir=tmp_path)
    if answers_before_kill < 5:
        resumed.wait_for(f"Spørgsmål {answers_before_kill + 1} af 5")
    else:
        resumed.wait_for("Hej igen")
    assert resumed.close() == 0
    database = Database(database_url)
    with database.session() as session:
        response = session.scalars(select(QuestionnaireResponse)).one()
        assert response.status == ("completed" if answers_before_kill == 5 else "in_progress")
    database.dispose()


def test_due_reminders_appear_in_the_local_chat(database_url, tmp_path):
    from datetime import UTC, datetime, timedelta

    from storage.models import Meeting, PersonStatus, Reminder, YoungPerson

    first = ChatProcess(database_url=database_url, data_dir=tmp_path)
    first.wait_for("[2] Nej tak")
    first.send("ja")
    first.wait_for("[2] Senere")
    assert first.close() == 0
    database = Database(database_url)
    now = datetime.now(UTC)
    with database.session() as session:
        person = session.scalars(select(YoungPerson)).one()
        assert person.status == PersonStatus.ACTIVE
        meeting = Meeting(
            young_person_id=person.id,
            kind="individual",
            starts_at=now + timedelta(hours=1),
            place="Ungehuset",
            status="planned",
            created_at=now,
        )
        session.add(meeting)
        session.flush()
        session.add(
            Reminder(
                young_person_id=person.id,
                kind="meeting_soon",
                subject=f"meeting:{meeting.id}",
                due_at=now - timedelta(minutes=1),
                latest_at=now + timedelta(hours=1),
                status="pending",
                attempts=0,
                dedup_key="cli-test",
            )
        )
    database.dispose()
    chat = ChatProcess(database_url=database_url, data_dir=tmp_path)
    chat.wait_for("Om lidt har du møde")
    chat.wait_for("Jeg kan ikke komme")
    chat.send("Jeg kan ikke komme")
    chat.wait_for("Vil du skrive, hvorfor du ikke kan?")
    assert chat.close() == 0


def test_a_broken_setting_is_named_in_a_clear_error():
    result = CliRunner().invoke(main, ["db", "status"], env={"UNGEGUIDE_QUIET_HOURS": "om natten"})
    assert result.exit_code == 2
    assert "UNGEGUIDE_QUIET_HOURS must look like 21:00-08:00, not 'om natten'" in result.output
    result = CliRunner().invoke(main, ["db", "status"], env={"UNGEGUIDE_MESSAGES_PER_SECOND": "0"})
    assert "UNGEGUIDE_MESSAGES_PER_SECOND must be above 0" in result.output
