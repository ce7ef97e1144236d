"""Updates of one chat are processed one at a time, in order; different chats run concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """A lock per chat inside PTB's concurrency limit. asyncio locks are fair (FIFO) and PTB
    starts update tasks in arrival order, so a chat's updates keep their order.

    A waiting update holds one of PTB's slots (PTB takes its semaphore before calling us, and
    that method is final), so the limit is set far above what one chat can queue: a young person
    sending hundreds of stickers waits on their own lock without starving other chats.
    """

    def __init__(self, max_concurrent_updates: int = 4096) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # forget idle chats, so memory does not grow
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
