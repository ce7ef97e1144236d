"""While the database cannot be reached, an event waits for it instead of being dropped."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy.exc import OperationalError

from bot.engine import Command
from bot.service import ConversationService
from storage import Database


class FlakyDatabase(Database):
    """The real database, unreachable for the first `down` transactions."""

    def __init__(self, url: str, *, down: int) -> None:
        super().__init__(url)
        self.down = down
        self.tried = 0

    @contextmanager
    def session(self):
        self.tried += 1
        if self.tried <= self.down:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("server restarting"))
        with super().session() as session:
            yield session


def test_an_event_waits_out_a_short_outage(database_url, content, clock, person_id):
    flaky = FlakyDatabase(database_url, down=4)
    service = ConversationService(flaky, content, clock=clock, outage_wait=5)
    answer = service.handle(person_id, Command("start"))
    assert answer  # answered once the database was back, not "try again"
    assert flaky.tried == 5
    flaky.dispose()


def test_a_long_outage_still_ends_in_an_error(database_url, content, clock, person_id):
    flaky = FlakyDatabase(database_url, down=1000)
    service = ConversationService(flaky, content, clock=clock, outage_wait=0.3)
    with pytest.raises(OperationalError):
        service.handle(person_id, Command("start"))
    assert 2 <= flaky.tried <= 6
    flaky.dispose()
