"""Hostile input through the real channel: Hypothesis-generated Telegram updates of every kind
(random and right-to-left or zero-width text, huge texts, forged button data, unknown chats,
groups, edits, media, duplicate and out-of-order update ids). Nothing may crash the bot, every
stored conversation state stays valid, every reply stays within Telegram's limits, and the
bot answers normally afterwards."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.engine import load_state
from storage import ConversationStateRow
from testing.fake_bot_api import FakeBotApi
from tests.auxil.ports import INFORMATION_VERSION
from tests.bot.channels.conftest import make_channel
from tests.bot.channels.test_telegram_flow import CHAT, join_and_accept

STRANGE = st.sampled_from(
    ["\u200b", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00ad", "ا", "ש", "😊", "\n", "æøå"]
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(STRANGE, st.characters()), max_size=40).map("".join),
    st.sampled_from(
        [
            "4",
            "ja",
            "nej",
            "pause",
            "tilbage",
            "stop",
            "spring over",
            "jeg kan ikke mere",
            "ka vi ikk ta det i morgen",
            "hvornår er mit møde",
            "jeg kan ikke komme",
            "slet mig",
        ]
    ),
    st.builds(lambda n: "x" * n, st.integers(900, 5000)),
    st.builds(
        lambda name, arg: f"/{name} {arg}",
        st.sampled_from(["start", "tjek", "slet", "pause", "start_igen", "mine_data", "x"]),
        st.text(max_size=20),
    ),
)
DATA = st.one_of(
    st.text(max_size=70),
    st.sampled_from(
        [
            "q|who5",
            "q|nope",
            "d|1",
            "d|2",
            "d|no",
            "p|pause",
            "m|1|cannot",
            "m|999999|coming",
            "g|1|done",
            "f|1|0|3",
            "r|skip",
            f"o|accept|{INFORMATION_VERSION}",
            "c|x|-|begin",
            "a|" + "f" * 32 + "|glad|5",
        ]
    ),
)
CHATS = st.sampled_from([CHAT, CHAT, CHAT, 5550002, -1001234])


def message(chat: int, **content: Any) -> dict[str, Any]:
    kind = "private" if chat > 0 else "supergroup"
    chat_json: dict[str, Any] = {"id": chat, "type": kind}
    return {
        "message_id": 1,
        "date": int(time.time()),
        "chat": chat_json,
        "from": {"id": abs(chat), "is_bot": False, "first_name": "Ung"},
        **content,
    }


UPDATES = st.one_of(
    st.builds(lambda c, t: {"message": message(c, text=t)}, CHATS, TEXT),
    st.builds(lambda c, t: {"edited_message": message(c, text=t, edit_date=1)}, CHATS, TEXT),
    st.builds(
        lambda c, d: {
            "callback_query": {
                "id": "cb",
                "from": {"id": abs(c), "is_bot": False, "first_name": "Ung"},
                "chat_instance": "ci",
                "data": d,
                "message": message(c, text="gammel besked"),
            }
        },
        CHATS,
        DATA,
    ),
    st.builds(
        lambda c: {"message": message(c, location={"latitude": 55.6, "longitude": 12.5})}, CHATS
    ),
    st.builds(lambda c: {"message": message(c)}, CHATS),  # no text, no media at all
    st.builds(lambda c, t: {"channel_post": message(c, text=t)}, CHATS, TEXT),
)
# Update ids within a batch: duplicates and out of order. Each batch gets ids above the last
# one's, as Telegram's never go back below what the bot confirmed.
IDS = st.integers(1, 40)
BATCH_IDS = 1000


async def _run(
    service: Any, fake_api: FakeBotApi, batch: list[tuple[dict[str, Any], int]], base: int
) -> None:
    channel = make_channel(service, fake_api)
    await channel.start()
    try:
        for payload, update_id in batch:
            fake_api.push_update(payload, update_id=base + update_id)
        await fake_api.wait_idle(settle=0.3, within=30)
        since = len(fake_api.messages(CHAT))
        hjaelp = {"message": message(CHAT, text="/hjaelp")}
        fake_api.push_update(hjaelp, update_id=base + BATCH_IDS - 1)
        await fake_api.wait_for_text(CHAT, "Det kan jeg hjælpe med", since=since)
    finally:
        await channel.stop()


def test_random_updates_never_break_the_bot(service, database, invite, caplog):
    caplog.set_level(logging.WARNING)
    fake_api = FakeBotApi().start()
    try:
        _, code = invite()

        async def join() -> None:
            channel = make_channel(service, fake_api)
            await channel.start()
            try:
                await join_and_accept(fake_api, code)
            finally:
                await channel.stop()

        asyncio.run(join())
        batches = iter(range(BATCH_IDS, 10**9, BATCH_IDS))

        @settings(
            max_examples=5,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(st.lists(st.tuples(UPDATES, IDS), min_size=10, max_size=30))
        def batch_is_handled(batch: list[tuple[dict[str, Any], int]]) -> None:
            asyncio.run(_run(service, fake_api, batch, next(batches)))

        batch_is_handled()
    finally:
        fake_api.stop()
    assert len(fake_api.sent) > 50  # the updates were answered, not silently dropped
    assert fake_api.rejected == []  # nothing Telegram would refuse: lengths, button data
    for sent in fake_api.sent:
        if sent.text is not None:
            assert 0 < len(sent.text) <= 4096
    with database.session() as session:
        for row in session.scalars(select(ConversationStateRow)):
            assert load_state(row.data).flow == row.flow  # parses back to what was stored
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
