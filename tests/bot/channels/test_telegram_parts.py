"""The channel's parts on their own: ordering per chat, retries, splitting, the webhook."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from telegram import Chat, Message, Update, User
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.delivery import split_text, with_retry
from bot.channels.telegram.processor import PerChatUpdateProcessor
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, webhook_app
from domain.errors import Unreachable
from tests.bot.channels.conftest import make_channel


def update_for(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Ung", is_bot=False)
    from datetime import UTC, datetime

    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_one_chat_in_order_and_other_chats_concurrently():
    processor = PerChatUpdateProcessor(16)
    log: list[str] = []
    release_first = asyncio.Event()

    async def work(name: str, wait: asyncio.Event | None = None) -> None:
        log.append(f"start {name}")
        if wait is not None:
            await wait.wait()
        log.append(f"end {name}")

    tasks = [
        asyncio.create_task(processor.process_update(update_for(1, 1), work("a1", release_first))),
        asyncio.create_task(processor.process_update(update_for(1, 2), work("a2"))),
        asyncio.create_task(processor.process_update(update_for(2, 3), work("b1"))),
    ]
    await asyncio.sleep(0.05)
    # Chat 2 finished while chat 1 is busy; chat 1's second update waits for its first.
    assert log == ["start a1", "start b1", "end b1"]
    release_first.set()
    await asyncio.gather(*tasks)
    assert log == ["start a1", "start b1", "end b1", "end a1", "start a2", "end a2"]
    assert processor._locks == {}  # idle chats are forgotten


async def test_retry_honours_retry_after_and_backs_off_on_network_errors():
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    outcomes: list[Exception | str] = [RetryAfter(3), NetworkError("502"), TimedOut(), "ok"]

    async def call() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await with_retry(call, sleep=sleep) == "ok"
    assert waits == [3.0, 1.0, 2.0]


async def test_retry_stops_at_forbidden_and_bad_request_and_gives_up_eventually():
    async def sleep(seconds: float) -> None:
        return None

    async def forbidden() -> None:
        raise Forbidden("blocked")

    async def bad() -> None:
        raise BadRequest("wrong")

    async def down() -> None:
        raise NetworkError("down")

    with pytest.raises(Unreachable):
        await with_retry(forbidden, sleep=sleep)
    with pytest.raises(BadRequest):
        await with_retry(bad, sleep=sleep)
    with pytest.raises(NetworkError, match="gave up after 3 attempts"):
        await with_retry(down, attempts=3, sleep=sleep)


def test_long_texts_are_split_under_the_limit_at_natural_boundaries():
    paragraph = ("Et ord " * 300).strip()
    text = "\n\n".join([paragraph] * 4)
    pieces = split_text(text)
    assert all(len(piece) <= 4000 for piece in pieces)
    assert "".join(p.replace(" ", "").replace("\n", "") for p in pieces) == text.replace(
        " ", ""
    ).replace("\n", "")
    assert split_text("x" * 9000)[0] == "x" * 4000
    assert split_text("kort") == ["kort"]


async def test_webhook_refuses_a_wrong_or_missing_secret_and_accepts_the_right_one(
    service, fake_api, database
):
    channel = make_channel(service, fake_api)
    app = webhook_app(channel, secret="s3cret", public_url="https://example.invalid")
    update = {"update_id": 77, "message": fake_api.message_payload(4321, text="hej")}
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        missing = await client.post(WEBHOOK_PATH, content=json.dumps(update))
        wrong = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "nope"})
        assert (missing.status_code, wrong.status_code) == (403, 403)
        await asyncio.sleep(0.2)
        assert fake_api.texts(4321) == []
        broken = await client.post(WEBHOOK_PATH, content=b"{", headers={SECRET_HEADER: "s3cret"})
        assert broken.status_code == 400
        right = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "s3cret"})
        assert right.status_code == 200
        # Telegram counts the update as delivered on our 200: by then it is answered.
        assert any("det link, du har fået" in text for text in fake_api.texts(4321))
    assert fake_api.webhook["url"] == "https://example.invalid/telegram/webhook"
    assert fake_api.webhook["secret_token"] == "s3cret"
