"""An asyncio event loop on simulated time, so a month of scheduling runs in minutes.

`loop.time()` is a counter of simulated seconds. Whenever the loop would wait (nothing ready,
no socket or thread result in yet) for a timer, the counter jumps to that timer instead of
sleeping. Work in threads (the dispatcher's database calls through `asyncio.to_thread`) and the
Python code in between therefore take no simulated time; only `asyncio.sleep` does, which is
what the dispatcher's rate limiter asks for. A wait with no timer at all (a thread still
working) blocks for real until the result arrives.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any


class _JumpingSelector:
    """Wraps the loop's selector: polls, and jumps the clock instead of sleeping."""

    def __init__(self, inner: selectors.BaseSelector, loop: VirtualTimeLoop) -> None:
        self._inner = inner
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = self._inner.select(0)
        if events or timeout == 0:
            return events
        if timeout is None:
            return self._inner.select(None)
        self._loop.advance(timeout)
        return []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self._virtual = 0.0
        self._selector: Any = _JumpingSelector(self._selector, self)

    def time(self) -> float:
        return self._virtual

    def advance(self, seconds: float) -> None:
        self._virtual += max(0.0, seconds)
