"""Fetching updates so that none is confirmed to Telegram before it is handled.

Telegram forgets every update below the `offset` of a getUpdates call. python-telegram-bot's
Updater moves the offset past a batch as soon as it is queued, so a process killed between
that and our database commit loses what the young person just said. Here the offset never
passes an update still in flight: `InFlight` knows which updates are taken and not yet handled
(stored and answered), and `Poller` confirms only below the lowest of them.

While something is in flight, Telegram would answer a long poll at once with the unconfirmed
updates, so the poller then asks every `busy_interval` seconds instead, longer when many are
unconfirmed (and at once when the last update is handled), skipping what it already took.
A redelivery after a crash is made harmless by the service's processed-update table.

An update python-telegram-bot cannot read is set aside by the getUpdates request layer
(request.py, unreadable.py) and confirmed like a handled one, so it holds up nobody.
A poll that brings nothing new never comes straight back: when Telegram (or anything in its
place) answers at once instead of holding the long poll, or errs at once, the poller pauses,
so it never spins a core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from functools import partial

from telegram import Bot, Update
from telegram.error import Conflict, RetryAfter, TelegramError, TimedOut

from bot.channels.telegram.delivery import failure, retry_seconds, with_retry
from bot.channels.telegram.request import forget_call
from bot.channels.telegram.unreadable import Unreadable

logger = logging.getLogger(__name__)

BUSY_INTERVAL = 0.1  # seconds between polls while a few updates are in flight
# A poll while busy brings back every unconfirmed update (about 0.4 ms each to serve and read):
# the pause grows by BUSY_INTERVAL per this many, so re-reading costs at most a few percent.
REREAD_PER_INTERVAL = 20
MAX_BACKOFF = 30.0  # seconds, after repeated errors from Telegram
# The least time from one idle poll to the next: a long poll answered early and empty (or a
# timeout at once) waits out the rest. Long enough to be idle, short enough not to be noticed.
IDLE_INTERVAL = 0.5
# 409 Conflict: another process polls with this token (Telegram ends the older long poll when
# a newer one comes in), or a webhook is set. Exiting would stop the poller that was running
# first, as it is the one cut off; so wait this long, and say why once every CONFLICT_REPEAT.
CONFLICT_PAUSE = 30.0
CONFLICT_REPEAT = 600.0


class InFlight:
    """Update ids taken from Telegram and not yet handled, each with a future for its end."""

    def __init__(self) -> None:
        self._handling: dict[int, asyncio.Future[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._handling)

    def __contains__(self, update_id: object) -> bool:
        return update_id in self._handling

    def lowest(self) -> int | None:
        return min(self._handling, default=None)

    def begin(self, update_id: int) -> bool:
        """Mark an update as taken. False if it already was (a resend while in flight)."""
        if update_id in self._handling:
            return False
        self._handling[update_id] = asyncio.get_running_loop().create_future()
        self._idle.clear()
        return True

    async def handled(self, update_id: int) -> None:
        """Return once the update is handled (at once if it is not in flight)."""
        handling = self._handling.get(update_id)
        if handling is not None:
            await asyncio.shield(handling)  # a cancelled waiter must not cancel the handling

    def finish(self, update_id: int) -> None:
        handled = self._handling.pop(update_id, None)
        if handled is not None and not handled.done():
            handled.set_result(None)
        if not self._handling:
            self._idle.set()

    async def wait_idle(self, *, within: float) -> None:
        """Return when nothing is in flight, or after `within` seconds."""
        # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation
        # that arrives as the wait ends, and the poller would then never stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                await self._idle.wait()


class Poller:
    """Long-polls getUpdates and queues new updates, confirming only handled ones."""

    def __init__(
        self,
        bot: Bot,
        queue: asyncio.Queue[object],
        in_flight: InFlight,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        busy_interval: float = BUSY_INTERVAL,
        idle_interval: float = IDLE_INTERVAL,
        unreadable: Unreadable | None = None,
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.in_flight = in_flight
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.busy_interval = busy_interval
        self.idle_interval = idle_interval
        # The set-aside updates of the bot's getUpdates request layer (none with another one).
        self.unreadable = unreadable if unreadable is not None else Unreadable()
        self._taken: set[int] = set()  # taken and not yet confirmed (in flight or handled)
        self._next = 0  # one above the highest update id taken
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        # Polling and a webhook exclude each other at Telegram; updates already waiting are kept.
        await with_retry(partial(self.bot.delete_webhook, drop_pending_updates=False))
        self._task = asyncio.create_task(self._run(), name="ungeguide:poll")

    async def stop(self) -> None:
        """Stop fetching. Call `confirm` once the queued updates are handled."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def confirm(self) -> None:
        """Tell Telegram what is handled, so a clean restart gets none of it again."""
        try:
            await self.bot.get_updates(
                offset=self._offset(), timeout=0, allowed_updates=self.allowed_updates
            )
        except TelegramError as error:
            logger.warning("could not confirm the handled updates: %s", type(error).__name__)

    def _busy_pause(self) -> float:
        return self.busy_interval * max(1.0, len(self._taken) / REREAD_PER_INTERVAL)

    def _offset(self) -> int:
        lowest = self.in_flight.lowest()
        return self._next if lowest is None else lowest

    async def _run(self) -> None:
        backoff = 0.0
        loop = asyncio.get_running_loop()
        conflicts = 0
        warned_at = -CONFLICT_REPEAT
        while True:
            if len(self.in_flight):
                await self.in_flight.wait_idle(within=self._busy_pause())
            started = loop.time()
            new = 0
            try:
                new = await self._poll_once()
            except RetryAfter as error:
                await asyncio.sleep(retry_seconds(error))
            except TimedOut:
                pass  # a long poll that outlived its read timeout: ask again (paced below)
            except Conflict as error:
                conflicts += 1
                if loop.time() - warned_at >= CONFLICT_REPEAT:
                    warned_at = loop.time()
                    logger.warning(
                        "Telegram refused getUpdates (%s; %d times so far): another process "
                        "polls with this bot token, or a webhook is set. Only one process may "
                        "poll; run several in webhook mode (TELEGRAM_WEBHOOK_URL and one shared "
                        "TELEGRAM_WEBHOOK_SECRET). Polling again in %.0f s",
                        failure(error),
                        conflicts,
                        CONFLICT_PAUSE,
                    )
                await asyncio.sleep(CONFLICT_PAUSE)
                continue
            except Exception as error:  # polling must survive anything
                backoff = min(max(1.0, backoff * 2), MAX_BACKOFF)
                # No traceback: it could hold update content.
                logger.error(
                    "polling Telegram failed (%s); trying again in %.0f s", failure(error), backoff
                )
                await asyncio.sleep(backoff)
                continue
            else:
                backoff = 0.0
            if not new and not len(self.in_flight):
                await asyncio.sleep(max(0.0, started + self.idle_interval - loop.time()))

    async def _poll_once(self) -> int:
        """Fetch once; the number of updates newly taken."""
        offset = self._offset()
        busy = len(self.in_flight) > 0
        forget_call()
        updates = await self.bot.get_updates(
            offset=offset,
            timeout=0 if busy else self.timeout,
            allowed_updates=self.allowed_updates,
        )
        self._taken = {update_id for update_id in self._taken if update_id >= offset}
        self.unreadable.confirmed_below(offset)
        taken = 0
        for update in updates:
            taken += await self._take(update)
        for update_id in self.unreadable.skipped():
            # Confirmed with the next poll, like a handled update.
            self._next = max(self._next, update_id + 1)
        return taken

    async def _take(self, update: Update) -> int:
        if update.update_id in self._taken:
            return 0  # still unconfirmed because an earlier update is in flight
        self._taken.add(update.update_id)
        self._next = max(self._next, update.update_id + 1)
        self.in_flight.begin(update.update_id)
        await self.queue.put(update)
        return 1
