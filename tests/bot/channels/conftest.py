from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.service import ConversationService
from domain.people import create_young_person, issue_invite
from testing.fake_bot_api import TOKEN, FakeBotApi


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


def make_channel(
    service: ConversationService, fake_api: FakeBotApi, **options: Any
) -> TelegramChannel:
    """The real channel against the fake Bot API; `options` go to Connection (retry pauses)."""
    connection = Connection(
        token=TOKEN, base_url=fake_api.base_url, timeout=2, poll_timeout=1, **options
    )
    return TelegramChannel(service, service.content, connection)


@pytest.fixture
async def channel(service, fake_api) -> AsyncIterator[TelegramChannel]:
    running = make_channel(service, fake_api)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def invite(database, clock):
    """Make a young person with an invite; returns (person id, code)."""

    def make(pseudonym: str = "Mille") -> tuple[int, str]:
        with database.session() as session:
            person = create_young_person(session, pseudonym=pseudonym, birth_year=2008, now=clock())
            return person.id, issue_invite(session, person, now=clock())

    return make
