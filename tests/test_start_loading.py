"""`ungeguide run` takes updates before its NLU and dashboard are loaded, and loads them in a
thread right after (ungeguide/server.py, ungeguide/app.py bot_server): what it answers while
they load, and that nothing is answered without them. Real parts throughout: the app built
from the settings, the fake Bot API, SQLite and PostgreSQL, and `ungeguide run` as a process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.engine import Command
from bot.nlu.build import default_understander
from bot.service import ConversationService
from core.clock import utc_now
from core.content import Content
from domain.people import create_young_person, issue_invite
from storage import Database
from testing.fake_bot_api import TOKEN, FakeBotApi
from tests.auxil.transcript import Conversation, verify_dialog
from tests.auxil.web import parse
from tests.conftest import REPO
from ungeguide.app import DASHBOARD, NLU, bot_server, build_app, loading_nlu
from ungeguide.server import RETRY_AFTER, Loading, LoadingApp
from ungeguide.settings import Settings

CHAT = 5550101
INNER = Starlette(routes=[Route("/", lambda _: PlainTextResponse("the dashboard"))])


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def asgi_client(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://ungeguide.test")


# --- the loading thread and the app that is not there yet ----------------------------------


def test_loading_runs_its_steps_in_order_in_a_thread_and_names_what_is_pending():
    gate = threading.Event()
    ran: list[str] = []

    def first() -> None:
        gate.wait(10)
        ran.append("NLU")

    loading = Loading([("NLU", first), ("dashboard", lambda: ran.append("dashboard"))])
    assert loading.pending == ["NLU", "dashboard"]
    loading.start()
    time.sleep(0.05)
    assert (loading.pending, ran) == (["NLU", "dashboard"], [])
    gate.set()
    loading.join(10)
    assert (loading.pending, loading.loaded) == ([], ["NLU", "dashboard"])
    assert ran == ["NLU", "dashboard"]


def test_a_step_that_fails_is_reported_and_nothing_after_it_loads():
    failed: list[tuple[str, str]] = []

    def broken() -> None:
        raise OSError("no such file")

    loading = Loading(
        [("NLU", broken), ("dashboard", lambda: None)],
        on_failure=lambda name, error: failed.append((name, str(error))),
    )
    loading.run()
    assert failed == [("NLU", "no such file")]
    assert loading.pending == ["NLU", "dashboard"]


async def test_a_request_while_the_dashboard_loads_gets_a_danish_503_with_retry_after():
    async with asgi_client(LoadingApp(wait=0)) as http:
        answer = await http.get("/alarmer")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == str(RETRY_AFTER)
    assert answer.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert parse(answer.text).text == (
        "Ungeguide starter op Ungeguide starter op. Prøv igen om et øjeblik."
    )


async def test_a_request_while_the_dashboard_loads_waits_for_it():
    later = LoadingApp(wait=10)
    async with asgi_client(later) as http:
        asked = asyncio.create_task(http.get("/"))
        await asyncio.sleep(0.1)
        assert not asked.done()
        threading.Thread(target=later.set, args=(INNER,)).start()  # as the loading thread does
        answer = await asyncio.wait_for(asked, 10)
    assert (answer.status_code, answer.text) == (200, "the dashboard")


# --- the bot's server, built from the settings as `ungeguide run` builds it ----------------


def settings_for(database_url: str, data_dir: Path, fake_api: FakeBotApi, **more: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "UNGEGUIDE_DATA_DIR": str(data_dir),
            "UNGEGUIDE_KEYS": os.environ["UNGEGUIDE_KEYS"],
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": fake_api.base_url,
            **more,
        }
    )


async def test_until_the_nlu_and_dashboard_are_loaded_health_says_so_and_pages_wait(
    database_url, tmp_path, fake_api
):
    settings = settings_for(database_url, tmp_path, fake_api)
    understander = loading_nlu(settings)
    app = build_app(settings, understander=understander)
    try:
        server = bot_server(app, understander)
        await server.channel.start()  # as the server's start does, short of the loading
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(server.channel.stop)
            http = await stack.enter_async_context(asgi_client(server.asgi))
            alive = await http.get("/healthz")
            ready = await http.get("/readyz")
            assert (alive.status_code, alive.text) == (200, f"ok\nloading: {NLU}, {DASHBOARD}\n")
            assert (ready.status_code, ready.text) == (503, f"loading: {NLU}, {DASHBOARD}\n")
            assert not understander.loaded

            login = asyncio.create_task(http.get("/login"))  # waits for the dashboard
            server.loading.start()
            page = await asyncio.wait_for(login, 30)
            await asyncio.to_thread(server.loading.join, 30)

            assert page.status_code == 200
            assert parse(page.text).all("input", name="csrf")
            assert (await http.get("/healthz")).text == "ok\n"
            ready = await http.get("/readyz")
            assert (ready.status_code, ready.text) == (200, "ready\n")
        assert app.conversations.understander.understand("ka vi ikk ta det imorgen").intent == (
            "postpone"
        )
    finally:
        app.close()


# --- `ungeguide run` as a process -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def ungeguide_run(env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ungeguide", "run"],
        cwd=REPO,
        env={key: value for key, value in env.items() if key != "TELEGRAM_WEBHOOK_URL"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def run_env(database_url: str, data_dir: Path, fake_api: FakeBotApi, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNGEGUIDE_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake_api.base_url,
        "UNGEGUIDE_PORT": str(free_port()),
        **more,
    }


def joined_person(database: Database, content: Content, chat_id: int) -> None:
    """A young person who joined in `chat_id` and said yes (commands and buttons only)."""
    with database.session() as session:
        person = create_young_person(session, pseudonym="Mille", birth_year=2008, now=utc_now())
        code = issue_invite(session, person, now=utc_now())
    service = ConversationService(database, content, understander=default_understander())
    talk = Conversation(lambda event: service.handle_chat(chat_id, event))
    talk.send(Command("start", code))
    verify_dialog(talk, [("[Ja, det er okay]", ["Nu er du med"])])


def test_a_cry_for_help_waiting_at_the_start_gets_support_from_ungeguide_run(
    database, database_url, content, tmp_path, fake_api
):
    joined_person(database, content, CHAT)
    # Waiting before the start: the first getUpdates takes it, before the NLU is loaded.
    fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
    env = run_env(database_url, tmp_path, fake_api)
    with ungeguide_run(env) as process:
        deadline = time.monotonic() + 60
        while not any("Livslinien: 70 201 201" in text for text in fake_api.texts(CHAT)):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no support lines from `ungeguide run`"
            time.sleep(0.05)
        health = httpx.get(f"http://127.0.0.1:{env['UNGEGUIDE_PORT']}/healthz", timeout=10)
        assert health.status_code == 200


def test_an_nlu_that_cannot_load_stops_ungeguide_run_and_no_free_text_is_answered(
    database_url, tmp_path, fake_api
):
    nlu_dir = tmp_path / "nlu_data"
    shutil.copytree(REPO / "nlu_data", nlu_dir)
    (nlu_dir / "crisis_lexicon.yml").write_text("phrases: [\n", encoding="utf-8")
    fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
    env = run_env(database_url, tmp_path / "data", fake_api, UNGEGUIDE_NLU_DIR=str(nlu_dir))
    done = subprocess.run(
        [sys.executable, "-m", "ungeguide", "run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Could not load NLU: " in done.stderr
    assert fake_api.texts(CHAT) == []
