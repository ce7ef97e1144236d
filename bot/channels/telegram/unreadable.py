"""Updates python-telegram-bot cannot read (a shape its classes do not expect).

Such an update is skipped: its `update_id` is logged and nothing else (the raw update holds the
young person's text, chat id and name), and the poller confirms it to Telegram like a handled
one, so it neither comes back nor holds up the updates of every other chat.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update

from core.metrics import UPDATES_SKIPPED

logger = logging.getLogger(__name__)


def update_id_of(raw: object) -> int | None:
    if isinstance(raw, dict):
        update_id = raw.get("update_id")
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            return update_id
    return None


def read_raw(raw: object, bot: Bot | None) -> Update | None:
    """The update, or None when python-telegram-bot cannot read it (logged by id only)."""
    update_id = update_id_of(raw)
    if not isinstance(raw, dict) or update_id is None:
        logger.warning("skipped an update without a readable update_id")
        UPDATES_SKIPPED.inc()
        return None
    try:
        return Update.de_json(raw, bot)
    except Exception as error:  # de_json raises anything: AttributeError, TypeError, ValueError
        # The exception's own text may quote the content, so only its type is logged.
        logger.warning(
            "skipped update %s: python-telegram-bot cannot read it (%s)",
            update_id,
            type(error).__name__,
        )
        UPDATES_SKIPPED.inc()
        return None


class Unreadable:
    """Sets unreadable updates aside from a getUpdates batch and keeps their ids for the poller.

    It also drops what it passed on before: Telegram sends every unconfirmed update again with
    each poll, and while many are in flight (50 people at once) that was ten reads of each
    update, twice over (here and in python-telegram-bot), for the poller to skip as taken.
    """

    def __init__(self) -> None:
        self._skipped: set[int] = set()  # not yet confirmed to Telegram
        self._passed: set[int] = set()  # passed on to the poller, not yet confirmed
        self._offset = 0  # of the last getUpdates call
        self.count = 0  # skipped since start, each update once

    def polling_from(self, offset: int) -> None:
        """A getUpdates call with `offset` is going out. The poller's offset never goes down,
        so a lower one is a new poller that has taken nothing yet: it gets everything again."""
        if offset < self._offset:
            self._passed.clear()
        self._offset = offset
        self._passed = {update_id for update_id in self._passed if update_id >= offset}

    def sift(self, batch: list[Any]) -> list[Any]:
        """The readable updates of a batch not passed on before, in order. An update already
        set aside (it comes back until the poller confirms it) is dropped again without a second
        log line; one already passed on (the poller has taken it) is dropped unread."""
        readable: list[Any] = []
        for raw in batch:
            update_id = update_id_of(raw)
            if update_id is not None and (update_id in self._skipped or update_id in self._passed):
                continue
            if read_raw(raw, None) is not None:
                readable.append(raw)
                if update_id is not None:
                    self._passed.add(update_id)
            elif update_id is not None:
                self._skipped.add(update_id)
                self.count += 1
        return readable

    def skipped(self) -> set[int]:
        return set(self._skipped)

    def confirmed_below(self, offset: int) -> None:
        """Telegram has forgotten every update below `offset`: forget them too."""
        self._skipped = {update_id for update_id in self._skipped if update_id >= offset}
