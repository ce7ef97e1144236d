"""Join, consent and WHO-5 through the real python-telegram-bot over HTTP to a fake Bot API."""

from __future__ import annotations

from sqlalchemy import select

from storage import Answer, PersonStatus, YoungPerson
from tests.bot.channels.conftest import make_channel

CHAT = 5550001


async def join_and_accept(fake_api, code: str, chat: int = CHAT):
    fake_api.user_sends(chat, f"/start {code}")
    info = await fake_api.wait_for_text(chat, "Er det okay for dig?")
    fake_api.user_presses(chat, info, "Ja, det er okay")
    offer = await fake_api.wait_for_text(chat, "Vil du prøve dit første tjek nu?")
    fake_api.user_presses(chat, offer, "Ja, lad os prøve")  # one yes: the questions follow
    await fake_api.wait_for_text(chat, "ingen rigtige eller forkerte svar")
    return await fake_api.wait_for_text(chat, "Spørgsmål 1 af 5")


def answers(database):
    with database.session() as session:
        return [
            tuple(r)
            for r in session.execute(select(Answer.item_id, Answer.value).order_by(Answer.id))
        ]


async def test_commands_are_registered_in_danish(channel, fake_api):
    commands = [c["command"] for c in fake_api.commands]
    assert commands == [
        "tjek",
        "moeder",
        "aftaler",
        "ide",
        "pause",
        "start_igen",
        "mine_data",
        "slet",
        "hjaelp",
    ]
    assert fake_api.commands[0]["description"].startswith("Svar på et par spørgsmål")


async def test_join_accept_and_who5_by_buttons_with_edits_and_callback_answers(
    channel, fake_api, database, invite
):
    person_id, code = invite()
    question = await join_and_accept(fake_api, code)
    for number, label in enumerate(
        ["Hele tiden", "Det meste af tiden", "Lidt af tiden", "Hele tiden"], start=2
    ):
        fake_api.user_presses(CHAT, question, label)
        question = await fake_api.wait_for_text(CHAT, f"Spørgsmål {number} af 5")
    fake_api.user_presses(CHAT, question, "På intet tidspunkt")
    # Two answers at 0-1: the gentle care message first, then the score plainly, and no
    # cheerful "first time" line.
    care = await fake_api.wait_for_text(CHAT, "Din kontaktperson ser dine svar")
    score = await fake_api.wait_for_text(CHAT, "Dine svar giver 60 ud af 100")
    await fake_api.wait_for_text(CHAT, "tale med din kontaktperson om næste gang")
    await fake_api.wait_idle()
    said = fake_api.messages(CHAT)
    assert said.index(care) < said.index(score)
    assert not any("Når du har svaret et par gange" in (m.text or "") for m in said)

    assert answers(database) == [
        ("glad", 5),
        ("rolig", 4),
        ("aktiv", 1),
        ("udhvilet", 5),
        ("interesse", 0),
    ]
    # Every press was answered, and each answered question now shows the choice, without buttons.
    assert len(fake_api.callback_answers) == 7  # consent, the first check-in, 5 answers
    first_question = next(
        m for m in fake_api.messages(CHAT) if "Spørgsmål 1 af 5" in (m.text or "")
    )
    assert first_question.text.endswith("✔️ Hele tiden")
    assert first_question.buttons == []
    with database.session() as session:
        assert session.get(YoungPerson, person_id).telegram_chat_id == CHAT


async def test_who5_by_typing_and_the_chart_image_the_second_time(
    channel, fake_api, database, invite, clock
):
    _, code = invite()
    await join_and_accept(fake_api, code)
    for typed in ["5", "4", "3", "2"]:
        fake_api.user_sends(CHAT, typed)
    fake_api.user_sends(CHAT, "\u200f2\u200b")  # right-to-left mark and zero-width space
    await fake_api.wait_for_text(CHAT, "Dine svar giver 64 ud af 100")
    first = await fake_api.wait_for_text(CHAT, "Når du har svaret et par gange")
    assert first.photo is None  # one measurement: a kind text instead of a chart
    fake_api.user_sends(CHAT, "spring over")
    await fake_api.wait_for_text(CHAT, "Vi ses!")
    clock.advance(days=30)
    since = len(fake_api.messages(CHAT))
    fake_api.user_sends(CHAT, "/tjek who5")
    await fake_api.wait_for_text(CHAT, "5 korte spørgsmål", since=since)
    fake_api.user_sends(CHAT, "ja")
    for typed in ["altid", "altid", "4", "4", "det meste af tiden"]:
        fake_api.user_sends(CHAT, typed)
    await fake_api.wait_for_text(CHAT, "Det er 24 mere end sidst", since=since)
    chart = await fake_api.wait_for_text(CHAT, "Sådan har du haft det", since=since)
    assert chart.photo is not None
    assert chart.photo.startswith(b"\x89PNG")
    assert len(chart.photo) > 10_000
    assert [v for _, v in answers(database)] == [5, 4, 3, 2, 2, 5, 5, 4, 4, 4]


async def test_restart_mid_questionnaire_continues_and_old_buttons_are_stale(
    service, fake_api, database, invite
):
    first = make_channel(service, fake_api)
    await first.start()
    _, code = invite()
    question = await join_and_accept(fake_api, code)
    old_data = question.button("Hele tiden")["callback_data"]
    fake_api.user_presses(CHAT, question, "Det meste af tiden")
    second_question = await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
    await fake_api.wait_idle()
    await first.stop()

    restarted = make_channel(service, fake_api)
    await restarted.start()
    try:
        fake_api.user_presses_data(CHAT, question, old_data)  # the first question's old keyboard
        await fake_api.wait_for(lambda: len(fake_api.callback_answers) == 4, what="stale answer")
        assert fake_api.callback_answers[-1]["text"] == "Den knap virker ikke længere."
        fake_api.user_presses(CHAT, second_question, "Lidt af tiden")
        await fake_api.wait_for_text(CHAT, "Spørgsmål 3 af 5")
        await fake_api.wait_idle()
    finally:
        await restarted.stop()
    assert answers(database) == [("glad", 4), ("rolig", 1)]


async def test_faults_cause_delay_not_loss_or_duplication(channel, fake_api, database, invite):
    from testing.fake_bot_api import Fault

    _, code = invite()
    fake_api.inject("sendMessage", Fault(status=429, retry_after=1))
    fake_api.inject("sendMessage", Fault(status=500), count=2)
    fake_api.inject("sendMessage", Fault(status=502))
    fake_api.inject("answerCallbackQuery", Fault(status=503))
    fake_api.inject("getUpdates", Fault(status=500))
    fake_api.inject("editMessageText", Fault(status=200, delay=1.0))  # slow, within the timeout
    question = await join_and_accept(fake_api, code)
    fake_api.user_presses(CHAT, question, "Hele tiden")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
    await fake_api.wait_idle()
    texts = fake_api.texts(CHAT)
    assert len(texts) == len(set(texts))  # nothing sent twice
    assert sum("Er det okay for dig?" in t for t in texts) == 1
    assert answers(database) == [("glad", 5)]
    assert len(fake_api.callback_answers) == 3


async def test_a_timeout_after_delivery_is_retried_by_the_documented_rule(
    channel, fake_api, database, invite
):
    from testing.fake_bot_api import Fault

    _, code = invite()
    fake_api.user_sends(CHAT, f"/start {code}")
    await fake_api.wait_for_text(CHAT, "Er det okay for dig?")
    await fake_api.wait_idle()
    # The next send reaches Telegram, but its answer comes after the client's 2 s timeout.
    fake_api.inject("sendMessage", Fault(status=200, delay=3, after_delivery=True))
    fake_api.user_sends(CHAT, "nej tak")

    def declined() -> int:
        return sum("Så gemmer vi ingen svar fra dig" in t for t in fake_api.texts(CHAT))

    await fake_api.wait_for(lambda: declined() == 2, what="the resend after the timeout")
    await fake_api.wait_idle(settle=1.0)
    assert declined() == 2  # at-least-once: the message may arrive twice, nothing is stored twice


async def test_a_blocked_bot_marks_the_young_person_unreachable_and_unblock_reactivates(
    channel, fake_api, database, invite
):
    person_id, code = invite()
    await join_and_accept(fake_api, code)
    fake_api.blocked.add(CHAT)
    fake_api.user_sends(CHAT, "4")
    await fake_api.wait_idle()

    def status():
        with database.session() as session:
            return session.get(YoungPerson, person_id).status

    assert status() == PersonStatus.UNREACHABLE
    assert answers(database) == [("glad", 4)]  # the answer was stored before the send failed
    fake_api.blocked.discard(CHAT)
    fake_api.block_changes(CHAT, blocked=False)
    await fake_api.wait_for(lambda: status() == PersonStatus.ACTIVE, what="reactivation")
    fake_api.block_changes(CHAT, blocked=True)
    await fake_api.wait_for(lambda: status() == PersonStatus.UNREACHABLE, what="block")


async def test_expired_and_unknown_invites_get_clear_answers(channel, fake_api, invite, clock):
    _, code = invite()
    clock.advance(days=15)
    fake_api.user_sends(1, f"/start {code}")
    await fake_api.wait_for_text(1, "Det link er udløbet")
    fake_api.user_sends(2, "/start ukendt-kode")
    await fake_api.wait_for_text(2, "Det link kender jeg ikke")
    fake_api.user_sends(3, "hej")
    await fake_api.wait_for_text(3, "det link, du har fået af din kontaktperson")


def test_ungeguide_run_answers_in_telegram_serves_the_dashboard_and_stops_on_sigterm(
    fake_api, database_url, invite, tmp_path
):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from testing.fake_bot_api import TOKEN
    from tests.auxil.chat_process import REPO

    _, code = invite()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake_api.base_url,
        "UNGEGUIDE_PORT": str(port),
    }
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "ungeguide", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fake_api.user_sends(CHAT, f"/start {code}")
        deadline = time.monotonic() + 30
        while not any("Er det okay for dig?" in t for t in fake_api.texts(CHAT)):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no answer from `ungeguide run`"
            time.sleep(0.05)
        assert [c["command"] for c in fake_api.commands][-1] == "hjaelp"
        # The dashboard answers on the same port as the bot.
        login = httpx.get(f"http://127.0.0.1:{port}/login", timeout=10)
        assert login.status_code == 200
        assert "Log ind" in login.text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal it caught.
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert "Traceback" not in stderr
    assert "Telegram: polling for updates" in stderr
    assert str(CHAT) not in stderr
    assert code not in stderr


async def test_no_text_chat_id_or_code_in_any_log_line(channel, fake_api, invite, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    _, code = invite("Zenia Quist")
    question = await join_and_accept(fake_api, code)
    fake_api.user_presses(CHAT, question, "Det meste af tiden")
    fake_api.user_sends(CHAT, "Mit hemmelige svar om min bror")
    fake_api.user_sends(CHAT, "3")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 3 af 5")
    await fake_api.wait_idle()
    assert caplog.records
    for secret in (str(CHAT), code, "hemmelige", "Zenia", "Det meste af tiden", "TEST-token"):
        assert secret not in caplog.text


async def test_a_cry_for_help_mid_questionnaire_gets_support_at_once_and_an_urgent_alert(
    channel, fake_api, database, invite, caplog
):
    import logging

    from storage.models import Alert

    caplog.set_level(logging.DEBUG)
    _, code = invite()
    await join_and_accept(fake_api, code)
    fake_api.user_sends(CHAT, "4")
    fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
    support = await fake_api.wait_for_text(CHAT, "Livslinien: 70 201 201")
    assert "112" in support.text
    assert "116 111" in support.text
    await fake_api.wait_for_text(CHAT, "Dit tjek holder pause")
    fake_api.user_sends(CHAT, "3")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 3 af 5")
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert (alert.kind, alert.urgent) == ("crisis", True)
    assert [v for _, v in answers(database)] == [4, 3]
    await fake_api.wait_idle()
    assert "leve mere" not in caplog.text


async def test_my_data_arrives_as_a_json_file(channel, fake_api, invite):
    import json

    _, code = invite("Mira")
    question = await join_and_accept(fake_api, code)
    fake_api.user_presses(CHAT, question, "Det meste af tiden")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
    fake_api.user_sends(CHAT, "/mine_data")
    await fake_api.wait_for_text(CHAT, "Det har vi gemt om dig:")
    sent = await fake_api.wait_for_text(CHAT, "Alt, hvad Ungeguide har gemt om dig")
    assert sent.document is not None
    export = json.loads(sent.document)
    assert export["tables"]["young_person"][0]["pseudonym"] == "Mira"
    assert [a["value"] for a in export["tables"]["answer"]] == [4]
