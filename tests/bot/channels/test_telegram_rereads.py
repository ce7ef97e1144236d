"""Telegram sends every unconfirmed update again with each poll. The getUpdates request layer
passes each on once (the poller has taken it), so python-telegram-bot reads it once, not once
per poll while it is in flight; a new poller gets everything again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.channels.telegram.polling import InFlight, Poller
from bot.channels.telegram.request import UpdatesRequest
from bot.channels.telegram.unreadable import Unreadable
from testing.fake_bot_api import TOKEN, FakeBotApi


@pytest.fixture
async def sifting_bot(fake_api: FakeBotApi) -> AsyncIterator[tuple[Bot, Unreadable]]:
    unreadable = Unreadable()
    request = UpdatesRequest(unreadable=unreadable, read_timeout=5)
    async with Bot(TOKEN, base_url=fake_api.base_url, get_updates_request=request) as bot:
        yield bot, unreadable


async def ids(bot: Bot, offset: int) -> list[int]:
    return [u.update_id for u in await bot.get_updates(offset=offset, timeout=0)]


async def test_an_update_passed_on_is_not_read_again_until_a_new_poller_asks(sifting_bot, fake_api):
    bot, _ = sifting_bot
    first = [fake_api.user_sends(7601 + n, f"hej {n}") for n in range(3)]
    assert await ids(bot, 0) == first
    assert await ids(bot, 0) == []  # still unconfirmed at Telegram: dropped unread
    assert await ids(bot, first[1]) == []  # the first is confirmed, the others still taken
    later = fake_api.user_sends(7604, "hej igen")
    assert await ids(bot, first[1]) == [later]
    # A lower offset than before is a new poller (a restarted channel): it gets all again.
    assert await ids(bot, 0) == [*first[1:], later]


async def test_the_poller_takes_each_update_once_while_others_are_in_flight(sifting_bot, fake_api):
    bot, unreadable = sifting_bot
    queue: asyncio.Queue[object] = asyncio.Queue()
    in_flight = InFlight()
    poller = Poller(
        bot, queue, in_flight, timeout=1, allowed_updates=["message"], unreadable=unreadable
    )
    await poller.start()
    try:
        sent = [fake_api.user_sends(7701 + n, "hej") for n in range(5)]
        taken = [await asyncio.wait_for(queue.get(), timeout=5) for _ in sent]
        assert [u.update_id for u in taken] == sent  # type: ignore[attr-defined]
        polls = len(fake_api.update_calls)
        await fake_api.wait_for(lambda: len(fake_api.update_calls) >= polls + 3, what="polls")
        assert queue.empty()  # re-sent by Telegram while in flight, never taken twice
        for update_id in sent:
            in_flight.finish(update_id)
        await fake_api.wait_for(lambda: fake_api.pending() == 0, what="all confirmed")
    finally:
        await poller.stop()
