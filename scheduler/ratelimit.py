"""Telegram's limits: about 30 messages a second overall and 1 a second per chat."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Hands out send slots: `overall` per second in total, `per_chat` per second to one chat.

    `reserve` books the next free slot at once (no await in between), so concurrent senders in
    one event loop never exceed the limits.
    """

    def __init__(
        self,
        *,
        overall: float = 30.0,
        per_chat: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._overall_gap = 1.0 / overall
        self._chat_gap = 1.0 / per_chat
        self._monotonic = monotonic
        self._next_overall = 0.0
        self._next_chat: dict[int, float] = {}

    def reserve(self, chat: int) -> float | None:
        """Seconds to wait before sending to `chat`, or None when the chat must wait a round."""
        now = self._monotonic()
        if self._next_chat.get(chat, 0.0) > now:
            return None
        start = max(self._next_overall, now)
        self._next_overall = start + self._overall_gap
        self._next_chat[chat] = start + self._chat_gap
        if len(self._next_chat) > 10_000:  # forget chats whose gap has passed
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return start - now
