"""Updates that reach the bot before its NLU is loaded (bot/nlu/build.py LoadingUnderstander:
`ungeguide run` takes updates first and loads the NLU right after). Through the real
python-telegram-bot, the real service and database, against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select

from bot.nlu.build import LoadingUnderstander, default_understander
from bot.service import ConversationService
from storage.models import Alert
from tests.bot.channels.conftest import make_channel
from tests.bot.channels.test_telegram_flow import CHAT, join_and_accept

OTHER_CHAT = 5550002
STILL = 0.5  # seconds in which a waiting text must not be answered


@asynccontextmanager
async def bot_loading_its_nlu(
    database, content, clock, fake_api
) -> AsyncIterator[LoadingUnderstander]:
    """A running channel whose service's NLU is not loaded until the test loads it."""
    nlu = LoadingUnderstander(default_understander)
    service = ConversationService(database, content, clock=clock, understander=nlu)
    channel = make_channel(service, fake_api)
    await channel.start()
    try:
        yield nlu
    finally:
        if not nlu.loaded:  # a failed test must not leave a text waiting in channel.stop()
            await asyncio.to_thread(nlu.load)
        await channel.stop()


async def test_a_cry_for_help_sent_while_the_nlu_loads_waits_for_it_and_gets_support(
    database, content, clock, fake_api, invite
):
    async with bot_loading_its_nlu(database, content, clock, fake_api) as nlu:
        _, code = invite()
        await join_and_accept(fake_api, code)  # a command and buttons: no NLU needed
        seen = len(fake_api.texts(CHAT))
        fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
        # Other chats are answered meanwhile: the bot takes updates.
        fake_api.user_sends(OTHER_CHAT, "/start ukendt-kode")
        await fake_api.wait_for_text(OTHER_CHAT, "Det link kender jeg ikke")
        await asyncio.sleep(STILL)
        assert fake_api.texts(CHAT)[seen:] == []  # not answered without the NLU
        with database.session() as session:
            assert session.scalars(select(Alert)).all() == []

        await asyncio.to_thread(nlu.load)
        support = await fake_api.wait_for_text(CHAT, "Livslinien: 70 201 201")
        assert "112" in support.text
        with database.session() as session:
            [alert] = session.scalars(select(Alert)).all()
            assert (alert.kind, alert.urgent) == ("crisis", True)


async def test_an_answer_typed_while_the_nlu_loads_is_read_once_it_is_there(
    database, content, clock, fake_api, invite
):
    async with bot_loading_its_nlu(database, content, clock, fake_api) as nlu:
        _, code = invite()
        await join_and_accept(fake_api, code)
        fake_api.user_sends(CHAT, "4")  # typed, not pressed: a free text
        await asyncio.sleep(STILL)
        assert not any("Spørgsmål 2 af 5" in text for text in fake_api.texts(CHAT))
        await asyncio.to_thread(nlu.load)
        await fake_api.wait_for_text(CHAT, "Spørgsmål 2 af 5")
