"""Counting for the public pages' limits, in memory only.

Every key (a browser's token, a network, a workshop) is turned into a keyed hash under a salt made
when the counter is made and never written anywhere, so not even this process's memory holds an
address or a token itself; nothing here is logged or stored, and a key is forgotten once its hits
have passed (or the process stops).

A check and its count are separate steps, so that a caller with several limits counts a hit
only when every limit has room: a refused request is never counted, and waiting is always enough.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections import deque
from datetime import datetime, timedelta

PRUNE_EVERY = 1000  # sweep keys with nothing left to remember after this many counts
IPV6_NETWORK = 64  # one home or phone gets a whole /64 and can change address within it


def network(address: str) -> str:
    """The part of a client address that one household or phone cannot change at will: an IPv4
    address itself, an IPv6 address's /64. Pure; an unreadable address is kept as it is."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_NETWORK), strict=False))
    return str(parsed)


class _Hashed:
    def __init__(self) -> None:
        self._salt = secrets.token_bytes(32)
        self._counts = 0

    def _key(self, client: str) -> str:
        return hmac.new(self._salt, client.encode(), hashlib.sha256).hexdigest()

    def _prune_due(self) -> bool:
        """True once every PRUNE_EVERY counts: time to forget what has passed."""
        self._counts += 1
        return self._counts % PRUNE_EVERY == 0


class RateLimiter(_Hashed):
    """At most `limit` hits per client in any `window` (a sliding window)."""

    def __init__(self, *, limit: int, window: timedelta) -> None:
        super().__init__()
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[datetime]] = {}

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def has_room(self, client: str, *, now: datetime) -> bool:
        """Whether one more hit for `client` is within the limit (counts nothing)."""
        return len(self._recent(self._key(client), now)) < self.limit

    def count(self, client: str, *, now: datetime) -> None:
        if self._prune_due():
            self._prune(now)
        key = self._key(client)
        hits = self._recent(key, now)
        hits.append(now)
        self._hits[key] = hits

    def allow(self, client: str, *, now: datetime) -> bool:
        """Count one hit for `client` if it is within the limit, and say whether it was."""
        if not self.has_room(client, now=now):
            return False
        self.count(client, now=now)
        return True

    def _prune(self, now: datetime) -> None:
        for key in list(self._hits):
            if not self._recent(key, now):
                del self._hits[key]

    def __len__(self) -> int:
        """How many clients are remembered (for tests)."""
        return len(self._hits)


class Tally(_Hashed):
    """At most `limit` hits per client in all, until a time the caller gives (for example the
    workshop's closing time); then the client is forgotten."""

    def __init__(self, *, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self._counts_until: dict[str, tuple[int, datetime]] = {}

    def _current(self, key: str, now: datetime) -> int:
        found = self._counts_until.get(key)
        if found is None or found[1] <= now:
            return 0
        return found[0]

    def has_room(self, client: str, *, now: datetime) -> bool:
        return self._current(self._key(client), now) < self.limit

    def count(self, client: str, *, until: datetime, now: datetime) -> None:
        if self._prune_due():
            self._prune(now)
        key = self._key(client)
        self._counts_until[key] = (self._current(key, now) + 1, until)

    def _prune(self, now: datetime) -> None:
        for key, (_count, until) in list(self._counts_until.items()):
            if until <= now:
                del self._counts_until[key]

    def __len__(self) -> int:
        return len(self._counts_until)
