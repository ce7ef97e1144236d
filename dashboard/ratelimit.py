"""A small sliding-window rate limiter for the public pages, in memory only.

A client's address is turned into a keyed hash under a salt made when the limiter is made and never
written anywhere, so not even this process's memory holds the address itself; it is never logged
or stored, and it is forgotten when the window has passed (or the process stops).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import deque
from datetime import datetime, timedelta

PRUNE_EVERY = 1000  # sweep keys with no recent hits after this many checks


class RateLimiter:
    """At most `limit` hits per client in any `window`."""

    def __init__(self, *, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._salt = secrets.token_bytes(32)
        self._hits: dict[str, deque[datetime]] = {}
        self._checks = 0

    def _key(self, address: str) -> str:
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def allow(self, address: str, *, now: datetime) -> bool:
        """Count one hit for `address` and say whether it is within the limit; a refused hit is
        not counted, so waiting is always enough."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self._prune(now)
        key = self._key(address)
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        self._hits[key] = hits
        return True

    def _prune(self, now: datetime) -> None:
        for key in list(self._hits):
            if not self._recent(key, now):
                del self._hits[key]

    def __len__(self) -> int:
        """How many clients are remembered (for tests)."""
        return len(self._hits)
