"""Several `ungeguide run` processes in webhook mode behind one spreading proxy, on one
PostgreSQL, CI size: every answer stored once and in order, every update handled, every
reminder delivered exactly once, also across a SIGKILL and restart of one process.
The full run: `make bench-multiprocess` (3 processes x 50 people, figures in RESULTS.md)."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from benchmarks.faults_kill_people import FIRST_CHAT, QUESTIONNAIRE, KillBotApi, Tally, invite
from benchmarks.faults_postgres import free_port, start_bot
from benchmarks.multiprocess import run
from benchmarks.multiprocess_cluster import Cluster
from benchmarks.multiprocess_report import MultiReport, check_answers
from benchmarks.multiprocess_telegram import TimedPerson, WebhookTelegram
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from core.content import load_content
from storage import Answer, Database, ProcessedUpdate, QuestionnaireResponse
from storage.models import Base
from testing.fake_bot_api import Sent
from ungeguide.settings import REPO_ROOT

DIALOGUES = REPO_ROOT / "dialogues"

PROCESSES = 2
PEOPLE = 10


@pytest.fixture
def postgres(postgres_migrated: str) -> str:
    database = Database(postgres_migrated)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    database.dispose()
    return postgres_migrated


async def test_two_processes_with_a_sigkill_lose_and_double_nothing(
    postgres: str, tmp_path: Path
) -> None:
    report = await run(
        postgres,
        processes=PROCESSES,
        people=PEOPLE,
        kills=1,
        workdir=tmp_path,
        seed=2,
        spread=4.0,
    )
    figures = str(report)
    print()  # noqa: T201 - these tests print their figures
    print(figures)  # noqa: T201
    assert (report.kills, report.restarts) == (1, 1), figures
    assert report.completed == PEOPLE, figures
    assert (report.lost, report.duplicated, report.wrong, report.out_of_order) == (0, 0, 0, 0)
    assert report.answers_stored == report.answers_expected == PEOPLE * 5, figures
    assert (report.updates_dropped, report.order_problems, report.stuck) == (0, 0, 0), figures
    assert report.undelivered == 0, figures
    assert len(report.spread) >= PROCESSES, figures  # each process served (the new one may not)
    assert report.reminders == PEOPLE * 2, figures
    # A reminder claimed by the killed process is sent again after 5 minutes, not in this run.
    assert (
        report.reminders_once
        + report.claimed_by_dead_delivered
        + (report.claimed_by_dead_undelivered)
        == report.reminders
    ), figures
    assert (report.reminders_twice, report.reminders_missing, report.stray_messages) == (0, 0, 0)
    assert report.webhook_calls == PROCESSES + 1, figures
    assert report.webhook_same, figures
    assert report.tracebacks == 0, figures


async def test_a_second_poller_is_cut_off_warns_once_and_the_first_serves_on(
    postgres: str, tmp_path: Path
) -> None:
    """Two `ungeguide run` processes both polling: Telegram (here the fake, as Telegram does)
    answers 409 Conflict to the long poll a newer getUpdates cuts off. That process says why,
    once, and pauses; it does not exit (it may be the one that was serving). Every young
    person is served, each answer stored once."""
    content = load_content(DIALOGUES)
    questionnaire = content.questionnaires[QUESTIONNAIRE]
    database = Database(postgres)
    invited = invite(database, 3)
    intended = [{item.id: 4 for item in questionnaire.items} for _ in invited]
    api = KillBotApi()
    api.start()
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    bots: list[subprocess.Popen[str]] = []
    try:
        for path in logs:
            with path.open("w") as log:
                bots.append(
                    start_bot(
                        database_url=postgres,
                        api=api,
                        data_dir=tmp_path,
                        port=free_port(),
                        log=log,
                    )
                )
            await api.wait_for(lambda: api.calls.count("deleteWebhook") == len(bots), within=90)
        await api.wait_for(lambda: api.conflicts >= 1, within=60, what="a 409 Conflict")
        tally = Tally()
        people = [
            TimedPerson(
                api,
                content,
                FIRST_CHAT + n,
                code,
                intended[n],
                tally,
                patience=5.0,
                pace=0.05,
                rng=random.Random(n),
            )
            for n, (_, code) in enumerate(invited)
        ]
        await asyncio.gather(*(p.checkin(within=120) for p in people))
        await api.wait_idle(settle=0.5, within=30)
        alive = [bot.poll() is None for bot in bots]
        serving = [path.read_text() for path in logs]  # before SIGTERM
    finally:
        for bot in bots:
            bot.send_signal(signal.SIGTERM)
        for bot in bots:
            bot.wait(timeout=60)
        api.stop()
    report = MultiReport(processes=2, people=len(invited))
    meant = [(p, intended[n]) for n, (p, _) in enumerate(invited)]
    check_answers(database, meant, [item.id for item in questionnaire.items], report)
    database.dispose()
    texts = [path.read_text() for path in logs]
    warnings = [text.count("Telegram refused getUpdates (getUpdates: HTTP 409") for text in texts]
    assert alive == [True, True]
    # The one cut off says so, once; if it polls again after its pause it cuts off the other,
    # which then says so too (on a slow machine the test outlasts that pause). Never twice.
    assert max(warnings) == 1, texts
    assert all(count <= 1 for count in warnings), texts
    assert "Only one process may poll; run several in webhook mode" in "".join(texts)
    assert (report.lost, report.duplicated, report.wrong, report.completed) == (0, 0, 0, 3)
    assert not any("Traceback" in text for text in serving)


async def _first_question(api: WebhookTelegram, chat: int, code: str) -> Sent:
    """Join, accept and begin a WHO-5; the first question's message."""
    seen = 0
    api.user_sends(chat, f"/start {code}")
    while True:

        def new_buttons(seen: int = seen) -> bool:
            return any(m.buttons for m in api.messages(chat)[seen:])

        await api.wait_for(new_buttons, within=60, what="buttons")
        message = [m for m in api.messages(chat)[seen:] if m.buttons][-1]
        datas = [b["callback_data"] for row in message.buttons for b in row]
        if any(d.startswith("a|") for d in datas):  # a|<response>|<item>|<value>
            return message
        seen = len(api.messages(chat))
        step = [d for d in datas if d.startswith(("o|accept", f"q|{QUESTIONNAIRE}|"))]
        step += [d for d in datas if d.startswith("c|") and d.endswith("|-|begin")]
        assert step, (message.text, datas)
        api.user_presses_data(chat, message, step[0])


async def test_two_updates_of_one_chat_at_two_processes_at_once_apply_one_after_the_other(
    postgres: str, tmp_path: Path
) -> None:
    """Telegram sends a chat's next update only once the last one was answered, so this does
    not happen with Telegram; sent anyway, two different presses on the same question reach two
    processes at the same moment. The state row lock applies them one after the other: one
    answer is stored, the other press finds the question answered, the next question comes
    once. Which press wins is the one that took the lock first, not the lower update_id."""
    database = Database(postgres)
    invited = invite(database, 4)
    cluster = Cluster(postgres, processes=2, workdir=tmp_path, seed=5)
    try:
        await cluster.start()
        api = cluster.api
        firsts = await asyncio.gather(
            *(_first_question(api, FIRST_CHAT + n, code) for n, (_, code) in enumerate(invited))
        )
        await api.drain(within=60)
        api.held_back = []
        item = firsts[0].buttons[0][0]["callback_data"].split("|")[2]
        for n, message in enumerate(firsts):
            datas = [b["callback_data"] for row in message.buttons for b in row]
            values = [d for d in datas if d.startswith("a|") and d.split("|")[3].isdigit()]
            api.user_presses_data(FIRST_CHAT + n, message, values[0])
            api.user_presses_data(FIRST_CHAT + n, message, values[-1])
        pairs, api.held_back = api.held_back, None
        since = [len(api.messages(FIRST_CHAT + n)) for n in range(len(invited))]
        async with httpx.AsyncClient(timeout=60) as client:

            async def post(port: int, update: dict[str, Any]) -> int:
                url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
                answer = await client.post(url, json=update, headers={SECRET_HEADER: api.secret})
                return answer.status_code

            statuses = await asyncio.gather(
                *(post(cluster.ports[k % 2], update) for k, update in enumerate(pairs))
            )
        await api.wait_idle(settle=0.5, within=30)
    finally:
        await cluster.stop()
    assert statuses == [200] * len(pairs)
    with database.session() as session:
        handled = set(session.scalars(sa.select(ProcessedUpdate.update_id)))
        newer_won = 0
        for n, (person_id, _) in enumerate(invited):
            stored = session.scalars(
                sa.select(Answer.value)
                .join(QuestionnaireResponse)
                .where(QuestionnaireResponse.young_person_id == person_id, Answer.item_id == item)
            ).all()
            older, newer = pairs[2 * n], pairs[2 * n + 1]
            pressed = [int(u["callback_query"]["data"].split("|")[3]) for u in (older, newer)]
            assert len(stored) == 1, stored  # one answer, never both
            assert stored[0] in pressed
            newer_won += stored[0] == pressed[1]
            nexts = [
                m
                for m in api.messages(FIRST_CHAT + n)[since[n] :]
                if any(b["callback_data"].startswith("a|") for row in m.buttons for b in row)
            ]
            assert len(nexts) == 1, [m.text for m in nexts]  # the next question, once
    database.dispose()
    assert {u["update_id"] for u in pairs} <= handled
    print(f"\nthe newer of two simultaneous presses won in {newer_won} of {len(invited)} chats")  # noqa: T201
    assert cluster.tracebacks()[0] == 0
