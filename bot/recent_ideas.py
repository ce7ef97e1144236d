"""When each young person sent ideas lately: the flood limit of /ide.

Kept in this process's memory only, and only for the limit's window: a time an idea was sent
is never stored with the person, where it could be matched with the idea's arrival on a
workshop's board. A restart forgets it (the limit starts afresh), and each process counts on
its own.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from bot.flows.ideas import WINDOW


class RecentIdeas:
    def __init__(self, *, window: timedelta = WINDOW) -> None:
        self._window = window
        self._times: dict[int, deque[datetime]] = {}
        self._lock = threading.Lock()

    def record(self, person_id: int, at: datetime) -> None:
        with self._lock:
            self._times.setdefault(person_id, deque()).append(at)
            self._forget(at)

    def of(self, person_id: int, now: datetime) -> list[datetime]:
        with self._lock:
            self._forget(now)
            return list(self._times.get(person_id, ()))

    def _forget(self, now: datetime) -> None:
        for person_id in list(self._times):
            times = self._times[person_id]
            while times and now - times[0] >= self._window:
                times.popleft()
            if not times:
                del self._times[person_id]
