"""An unreadable update, a failing command menu, and Telegram answering at once: the bot keeps
serving every chat, through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, Update

from bot.channels.telegram.polling import IDLE_INTERVAL, InFlight, Poller
from bot.channels.telegram.request import UpdatesRequest
from bot.channels.telegram.unreadable import Unreadable
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, webhook_app
from testing.fake_bot_api import TOKEN, FakeBotApi, Fault
from tests.bot.channels.conftest import make_channel

NOT_LINKED = "det link, du har fået"


def unreadable_updates(fake_api: FakeBotApi, chat_id: int) -> list[dict[str, object]]:
    """Two updates python-telegram-bot's Update.de_json raises on, full of personal data."""
    message = fake_api.message_payload(chat_id, text="Zenia skriver noget hemmeligt")
    chat_as_text = {**message, "chat": "Zenia Quist"}
    bad_entity = {**message, "entities": [{"type": "bold", "offset": 0}]}  # no length
    return [{"message": chat_as_text}, {"message": bad_entity}]


async def test_unreadable_updates_are_skipped_by_id_and_every_other_chat_is_served(
    channel, fake_api, caplog
):
    caplog.set_level(logging.DEBUG)
    first = fake_api.user_sends(7001, "hej")
    poison = [fake_api.push_update(raw) for raw in unreadable_updates(fake_api, 7002)]
    last = fake_api.user_sends(7003, "hej")
    await fake_api.wait_for_text(7001, NOT_LINKED)
    await fake_api.wait_for_text(7003, NOT_LINKED)
    # Confirmed to Telegram like handled updates: they do not come back.
    await fake_api.wait_for(lambda: fake_api.pending() == 0, what="every update confirmed")
    assert fake_api.texts(7002) == []
    assert first < poison[0] < poison[1] < last
    skipped = [r.getMessage() for r in caplog.records if "cannot read it" in r.getMessage()]
    assert skipped == [
        f"skipped update {poison[0]}: python-telegram-bot cannot read it (TypeError)",
        f"skipped update {poison[1]}: python-telegram-bot cannot read it (TypeError)",
    ]
    assert channel.unreadable.count == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    for secret in ("Zenia", "hemmeligt", "7002"):
        assert secret not in caplog.text


async def test_an_unreadable_webhook_update_is_skipped_with_200_and_the_next_one_served(
    service, fake_api
):
    channel = make_channel(service, fake_api)
    app = webhook_app(channel, secret="s3cret", public_url=None)
    headers = {SECRET_HEADER: "s3cret"}
    [poison, _] = unreadable_updates(fake_api, 7102)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        # Anything but 2xx makes Telegram send it again, ahead of every later update.
        skipped = await client.post(WEBHOOK_PATH, json={"update_id": 90, **poison}, headers=headers)
        no_id = await client.post(WEBHOOK_PATH, json=poison, headers=headers)
        good = {"update_id": 91, "message": fake_api.message_payload(7103, text="hej")}
        served = await client.post(WEBHOOK_PATH, json=good, headers=headers)
        assert (skipped.status_code, no_id.status_code, served.status_code) == (200, 400, 200)
        assert any(NOT_LINKED in text for text in fake_api.texts(7103))
        assert fake_api.texts(7102) == []


async def test_the_bot_serves_while_the_command_menu_fails_and_sets_it_once_it_can(
    service, fake_api, invite, caplog
):
    caplog.set_level(logging.INFO)
    fake_api.inject(
        "setMyCommands", Fault(status=500, description="Internal Server Error"), count=6
    )
    channel = make_channel(service, fake_api, menu_retry=0.05)
    started = time.monotonic()
    await channel.start()  # before: six failed attempts, then an exception (exit code 3)
    try:
        assert time.monotonic() - started < 2
        fake_api.user_sends(7201, "hej")
        await fake_api.wait_for_text(7201, NOT_LINKED)
        assert fake_api.commands == [], "served while the menu is still missing"
        await fake_api.wait_for(lambda: channel.menu.registered, within=10, what="the menu")
        assert fake_api.calls.count("setMyCommands") == 7
        assert [c["command"] for c in fake_api.commands][:2] == ["tjek", "moeder"]
        warnings = [r.getMessage() for r in caplog.records if "command menu" in r.getMessage()]
        assert warnings[0].startswith(
            "could not set the command menu (setMyCommands: HTTP 500, NetworkError: "
            "Internal Server Error); trying again in "
        )
        assert len(warnings) == 7  # six failures, then "the command menu is set"
    finally:
        await channel.stop()


async def test_retry_logs_say_method_status_description_and_attempt(channel, fake_api, caplog):
    caplog.set_level(logging.INFO, logger="bot.channels.telegram")
    fake_api.inject("sendMessage", Fault(status=500, description="Internal Server Error"))
    fake_api.inject("sendMessage", Fault(status=429, retry_after=1))
    fake_api.user_sends(7301, "hej")
    await fake_api.wait_for_text(7301, NOT_LINKED)
    retries = [r.getMessage() for r in caplog.records if "attempt" in r.getMessage()]
    # For a 429, python-telegram-bot keeps only the wait, in its own words.
    assert retries == [
        "sendMessage: HTTP 500, NetworkError: Internal Server Error; "
        "attempt 1 of 6, again in 0.5 s",
        "sendMessage: HTTP 429, RetryAfter: Flood control exceeded. Retry in 0:00:01; "
        "attempt 2 of 6, again in 1.0 s",
    ]


@pytest.fixture
async def sifting_bot(fake_api: FakeBotApi) -> AsyncIterator[tuple[Bot, Unreadable]]:
    unreadable = Unreadable()
    request = UpdatesRequest(unreadable=unreadable, read_timeout=5)
    async with Bot(TOKEN, base_url=fake_api.base_url, get_updates_request=request) as bot:
        yield bot, unreadable


async def polls_per_second(fake_api: FakeBotApi, poller: Poller, *, seconds: float) -> float:
    await poller.start()
    try:
        await asyncio.sleep(0.3)  # settle
        before = len(fake_api.update_calls)
        await asyncio.sleep(seconds)
        return (len(fake_api.update_calls) - before) / seconds
    finally:
        await poller.stop()


async def test_polling_paces_itself_when_get_updates_answers_at_once(sifting_bot, fake_api):
    bot, unreadable = sifting_bot
    fake_api.long_poll = False  # an empty answer at once, whatever the timeout
    queue: asyncio.Queue[object] = asyncio.Queue()
    poller = Poller(bot, queue, InFlight(), timeout=30, allowed_updates=["message"])
    rate = await polls_per_second(fake_api, poller, seconds=2)
    assert rate <= 1 / IDLE_INTERVAL + 0.5, f"{rate:.1f} getUpdates a second"

    # Paced, not slowed: an update is still taken within one interval.
    poller = Poller(
        bot, queue, InFlight(), timeout=30, allowed_updates=["message"], unreadable=unreadable
    )
    await poller.start()
    try:
        await asyncio.sleep(0.3)
        sent = time.monotonic()
        update = fake_api.user_sends(7401, "hej")
        taken = await asyncio.wait_for(queue.get(), timeout=5)
        assert isinstance(taken, Update)
        assert taken.update_id == update
        assert time.monotonic() - sent < IDLE_INTERVAL + 0.3
    finally:
        await poller.stop()


async def test_polling_backs_off_when_get_updates_fails_at_once(sifting_bot, fake_api):
    bot, unreadable = sifting_bot
    fake_api.inject("getUpdates", Fault(status=500), count=1000)
    poller = Poller(
        bot,
        asyncio.Queue(),
        InFlight(),
        timeout=30,
        allowed_updates=["message"],
        unreadable=unreadable,
    )
    rate = await polls_per_second(fake_api, poller, seconds=3)
    assert rate <= 1.0, f"{rate:.1f} getUpdates a second"


async def test_polling_skips_an_unreadable_update_that_is_alone(sifting_bot, fake_api):
    # With nothing after it, only the poller's own offset can confirm it.
    bot, unreadable = sifting_bot
    [poison, _] = unreadable_updates(fake_api, 7501)
    update_id = fake_api.push_update(poison)
    queue: asyncio.Queue[object] = asyncio.Queue()
    poller = Poller(
        bot, queue, InFlight(), timeout=1, allowed_updates=["message"], unreadable=unreadable
    )
    await poller.start()
    try:
        await fake_api.wait_for(lambda: fake_api.pending() == 0, what="the update confirmed")
        assert (queue.qsize(), unreadable.count) == (0, 1)
        # Forgotten once Telegram has forgotten it.
        await fake_api.wait_for(lambda: update_id not in unreadable.skipped(), what="forgotten")
    finally:
        await poller.stop()
