from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.engine import Message, Reply
from bot.service.reminders import reminder_composer
from domain.errors import Unreachable
from domain.people import create_young_person
from scheduler.dispatcher import Dispatcher
from scheduler.ratelimit import RateLimiter
from storage.models import PersonStatus
from tests.auxil.ports import INFORMATION_VERSION


@dataclass
class RecordingSender:
    """Records what would be sent; can fail or report a blocked chat."""

    sent: list[tuple[int, tuple[Message, ...]]] = field(default_factory=list)
    fail_times: int = 0
    blocked: set[int] = field(default_factory=set)

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[Message, ...]
    ) -> None:
        if person_id in self.blocked:
            raise Unreachable
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("injected")
        self.sent.append((person_id, messages))

    def texts(self) -> list[str]:
        return [m.text for _, ms in self.sent for m in ms if isinstance(m, Reply)]


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


def unlimited() -> RateLimiter:
    return RateLimiter(overall=1e9, per_chat=1e9)


@pytest.fixture
def dispatcher(database, content, sender, clock) -> Dispatcher[Message]:
    return Dispatcher(
        database, reminder_composer(content), sender, clock=clock, limiter=unlimited()
    )


@pytest.fixture
def active_person(database, clock) -> int:
    with database.session() as session:
        person = create_young_person(session, pseudonym="Ali", birth_year=2007, now=clock())
        person.status = PersonStatus.ACTIVE
        person.information_version = INFORMATION_VERSION
        person.information_accepted_at = clock()
        person.telegram_chat_id = 700_001
        return person.id
