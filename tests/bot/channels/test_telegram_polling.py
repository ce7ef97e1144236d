"""Polling confirms an update to Telegram only once it is handled, so a crash loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, Update

from bot.channels.telegram.polling import InFlight, Poller
from testing.fake_bot_api import TOKEN, FakeBotApi, Fault


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake_api.base_url) as running:
        yield running


async def taken(queue: asyncio.Queue[object], count: int) -> list[int]:
    """The ids of the next `count` queued updates."""
    updates = [await asyncio.wait_for(queue.get(), timeout=5) for _ in range(count)]
    return [update.update_id for update in updates if isinstance(update, Update)]


async def test_updates_stay_unconfirmed_until_the_lowest_in_flight_is_handled(
    bot: Bot, fake_api: FakeBotApi
) -> None:
    first, second, third = (fake_api.user_sends(4000 + n, f"hej {n}") for n in range(3))
    queue: asyncio.Queue[object] = asyncio.Queue()
    in_flight = InFlight()
    poller = Poller(bot, queue, in_flight, timeout=1, allowed_updates=["message"])
    await poller.start()
    try:
        assert await taken(queue, 3) == [first, second, third]
        polls = fake_api.calls.count("getUpdates")
        await asyncio.sleep(0.5)
        # Asked again while busy, but nothing confirmed and nothing queued twice.
        assert fake_api.calls.count("getUpdates") > polls
        assert (fake_api.pending(), queue.qsize()) == (3, 0)

        in_flight.finish(second)
        await asyncio.sleep(0.3)
        assert fake_api.pending() == 3, "the first update is still in flight"
        in_flight.finish(first)
        await fake_api.wait_for(lambda: fake_api.pending() == 1, what="the first two confirmed")

        # A new update is taken while the third is still in flight.
        fourth = fake_api.user_sends(4009, "og en til")
        assert await taken(queue, 1) == [fourth]
        in_flight.finish(third)
        in_flight.finish(fourth)
        await fake_api.wait_for(lambda: fake_api.pending() == 0, what="everything confirmed")
        assert queue.qsize() == 0
    finally:
        await poller.stop()


async def test_what_was_in_flight_at_a_crash_comes_again_and_what_was_handled_does_not(
    bot: Bot, fake_api: FakeBotApi
) -> None:
    handled, unhandled = fake_api.user_sends(4100, "gemt"), fake_api.user_sends(4101, "ikke gemt")
    queue: asyncio.Queue[object] = asyncio.Queue()
    in_flight = InFlight()
    crashed = Poller(bot, queue, in_flight, timeout=1, allowed_updates=["message"])
    await crashed.start()
    assert await taken(queue, 2) == [handled, unhandled]
    in_flight.finish(handled)
    await asyncio.sleep(0.3)
    await crashed.stop()  # dies without handling the second update and without confirming

    restarted_queue: asyncio.Queue[object] = asyncio.Queue()
    restarted = Poller(bot, restarted_queue, InFlight(), timeout=1, allowed_updates=["message"])
    await restarted.start()
    try:
        assert await taken(restarted_queue, 1) == [unhandled]
        await asyncio.sleep(0.3)
        assert restarted_queue.qsize() == 0
    finally:
        await restarted.stop()


async def test_polling_survives_telegram_errors_and_honours_retry_after(
    bot: Bot, fake_api: FakeBotApi
) -> None:
    fake_api.inject("getUpdates", Fault(status=502))
    fake_api.inject("getUpdates", Fault(status=429, retry_after=1))
    update = fake_api.user_sends(4200, "hej")
    queue: asyncio.Queue[object] = asyncio.Queue()
    poller = Poller(bot, queue, InFlight(), timeout=1, allowed_updates=["message"])
    await poller.start()
    try:
        assert await taken(queue, 1) == [update]
        assert poller.running
        assert fake_api.calls.count("getUpdates") >= 3
    finally:
        await poller.stop()


async def test_a_clean_stop_confirms_what_was_handled(bot: Bot, fake_api: FakeBotApi) -> None:
    update = fake_api.user_sends(4300, "hej")
    queue: asyncio.Queue[object] = asyncio.Queue()
    in_flight = InFlight()
    poller = Poller(bot, queue, in_flight, timeout=30, allowed_updates=["message"])
    await poller.start()
    assert await taken(queue, 1) == [update]
    in_flight.finish(update)
    await poller.stop()  # may cut a long poll short, before it confirmed anything
    await poller.confirm()
    assert fake_api.pending() == 0


async def test_in_flight_knows_the_lowest_and_signals_each_end() -> None:
    in_flight = InFlight()
    assert (len(in_flight), in_flight.lowest()) == (0, None)
    assert (in_flight.begin(9), in_flight.begin(7)) == (True, True)
    assert in_flight.begin(9) is False, "an update taken twice is one update"
    assert (len(in_flight), in_flight.lowest(), 9 in in_flight) == (2, 7, True)
    waiter = asyncio.create_task(in_flight.handled(9))
    in_flight.finish(7)
    await asyncio.sleep(0.01)
    assert (in_flight.lowest(), waiter.done()) == (9, False)
    await in_flight.wait_idle(within=0.05)  # times out: 9 is still in flight
    in_flight.finish(9)
    in_flight.finish(9)  # a second end changes nothing
    await asyncio.wait_for(waiter, timeout=1)
    await asyncio.wait_for(in_flight.wait_idle(within=5), timeout=1)
    await asyncio.wait_for(in_flight.handled(9), timeout=1)  # no longer in flight: at once
    assert len(in_flight) == 0
