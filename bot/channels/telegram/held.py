"""Replies that did not reach the young person, held per chat until they do.

The service commits the new conversation state before the reply is sent (an answer is stored
once given). If a text of the reply still fails after all its retries, the state waits for an
answer to a question the young person never saw. The rule that keeps that harmless:

- The undelivered rest of the reply is held for the chat, in order, and tried again in the
  background (`Redelivery`), and before anything else is sent to the chat.
- A text the young person writes while part of a reply is held is not taken as an answer to
  it: they get a short note saying so (texts.channel.missed) and then the held messages. The
  safety net still reads that text: if it is worrying, it goes to the conversation as usual.
- Commands and button presses are handled as usual, after the held messages.

Held messages live in memory: a restart forgets them (the README's rule for a process that
dies between storing and sending applies).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.engine import MarkChosen, Message, Toast
from bot.engine.messages import RemoveButtons

logger = logging.getLogger(__name__)

REDELIVER_EVERY = 30.0  # seconds between background attempts to deliver held replies


class Held:
    """The undelivered messages of each chat, and a lock per chat around sending to it."""

    def __init__(self) -> None:
        self._messages: dict[int, tuple[Message, ...]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._messages

    def chats(self) -> list[int]:
        return list(self._messages)

    def hold(self, chat_id: int, messages: tuple[Message, ...]) -> None:
        # Marks and toasts belong to a press that is over by the time these are sent again.
        kept = tuple(m for m in messages if not isinstance(m, MarkChosen | RemoveButtons | Toast))
        if kept:
            self._messages[chat_id] = (*self._messages.get(chat_id, ()), *kept)
            logger.warning("%d messages held for a chat until it can be reached", len(kept))

    def take(self, chat_id: int) -> tuple[Message, ...]:
        return self._messages.pop(chat_id, ())

    def forget(self, chat_id: int) -> None:
        self._messages.pop(chat_id, None)

    @contextlib.asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """One sender per chat at a time: an update's reply, a reminder, the redelivery."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if self._users[chat_id] == 0:  # forget idle chats, so memory does not grow
                del self._users[chat_id]
                del self._locks[chat_id]


Deliver = Callable[[int, tuple[Message, ...]], Awaitable[None]]


class Redelivery:
    """Tries the held replies again every `every` seconds, each chat under its lock."""

    def __init__(self, held: Held, deliver: Deliver, *, every: float = REDELIVER_EVERY) -> None:
        self.held = held
        self.deliver = deliver  # sends a chat's messages, holding again what still fails
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ungeguide:redeliver")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            for chat_id in self.held.chats():
                async with self.held.sending(chat_id):
                    missed = self.held.take(chat_id)
                    if not missed:
                        continue
                    try:
                        await self.deliver(chat_id, missed)
                    except Exception as error:  # the loop must outlive any one chat
                        logger.error("redelivery failed: %s", type(error).__name__)
                if chat_id in self.held:
                    break  # Telegram is still away: the other chats wait for the next round
