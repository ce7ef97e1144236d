"""The aiohttp request layer keeps PTB's contract: timeouts are TimedOut, any other transport
failure is NetworkError, a full pool waits only as long as asked, and uploads arrive whole."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram.request import BotApiRequest
from testing.fake_bot_api import TOKEN as FAKE_TOKEN

TOKEN = "123:SecretTokenPart"


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A server on a free port that reads each request and never answers."""
    writers: list[asyncio.StreamWriter] = []
    release = asyncio.Event()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        await reader.read(65536)
        await release.wait()
        writer.close()

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        release.set()
        await asyncio.sleep(0)
        server.close()
        await server.wait_closed()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _bot(port: int, request: BotApiRequest) -> Bot:
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
    await request.initialize()
    return bot


async def test_an_unanswered_call_times_out_at_the_read_timeout():
    request = BotApiRequest(connection_pool_size=2, read_timeout=0.3)
    async with silent_server() as port:
        bot = await _bot(port, request)
        started = time.monotonic()
        try:
            with pytest.raises(TimedOut):
                await bot.send_message(7, "hej")
        finally:
            await request.shutdown()
    assert 0.25 < time.monotonic() - started < 5


async def test_a_refused_connection_is_a_network_error_not_a_timeout():
    request = BotApiRequest(connection_pool_size=2, read_timeout=2)
    bot = await _bot(_closed_port(), request)
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(7, "hej")
    finally:
        await request.shutdown()
    assert not isinstance(raised.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in raised.value.message
    assert "SecretTokenPart" not in raised.value.message


async def test_a_full_pool_gives_up_after_the_pool_timeout_without_sending():
    request = BotApiRequest(connection_pool_size=1, read_timeout=5, pool_timeout=0.3)
    async with silent_server() as port:
        bot = await _bot(port, request)
        first = asyncio.create_task(bot.send_message(7, "hej"))
        await asyncio.sleep(0.1)  # the first call holds the only connection
        try:
            with pytest.raises(TimedOut) as raised:
                await bot.send_message(7, "igen")
        finally:
            first.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await first
            await request.shutdown()
    assert "Pool timeout" in raised.value.message


async def test_a_call_before_initialize_is_refused():
    request = BotApiRequest()
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:1/botx/getMe", "POST")


async def test_texts_and_uploads_reach_the_bot_api_whole(fake_api):
    request = BotApiRequest(connection_pool_size=2)
    bot = Bot(FAKE_TOKEN, base_url=fake_api.base_url, request=request)
    await request.initialize()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    try:
        await bot.send_message(7, "Hej 👋 æøå & <b>", reply_markup=None)
        await bot.send_photo(7, png, caption="Din udvikling")
        await bot.send_document(7, b'{"svar": [1, 2]}', filename="mine_data.json")
    finally:
        await request.shutdown()
    text, photo, document = fake_api.messages(7)
    assert text.text == "Hej 👋 æøå & <b>"
    assert (photo.photo, photo.caption) == (png, "Din udvikling")
    assert document.document == b'{"svar": [1, 2]}'
