"""A failed upload or an undelivered reply never drops the rest of a conversation, through the
real python-telegram-bot against the fake Bot API with injected faults."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from storage import QuestionnaireResponse
from testing.fake_bot_api import FakeBotApi, Fault, Sent
from tests.bot.channels.conftest import make_channel

CHAT = 5550001
TALK = "tale med din kontaktperson om næste gang"
CHART_FAILED = "Jeg kunne ikke sende billedet af din udvikling lige nu. Dine svar er gemt."
MISSED = (
    "Undskyld, min sidste besked kom ikke frem. Her er den. Det, du lige skrev, har jeg ikke gemt."
)


@pytest.fixture
async def quick_channel(service, fake_api) -> AsyncIterator[TelegramChannel]:
    """Short retry pauses (six attempts in 0.3 s); held replies are tried again only on demand."""
    running = make_channel(service, fake_api, retry_delay=0.01, redeliver_every=3600)
    await running.start()
    yield running
    await running.stop()


def topics(database) -> list[str]:
    """The stored "talk about next time" topics."""
    with database.session() as session:
        stored = session.scalars(select(QuestionnaireResponse.talk_next_time))
        return [topic for topic in stored if topic is not None]


async def first_question(fake_api: FakeBotApi, *, since: int) -> None:
    """Wait for WHO-5's first question, pressing the "shall we start?" button if one comes
    first (the flow may or may not ask it)."""

    def start_button() -> Sent | None:
        for message in fake_api.messages(CHAT)[since:]:
            if "Spørgsmål 1 af 5" in (message.text or ""):
                return None
            if any(b["text"] == "Ja, lad os starte" for row in message.buttons for b in row):
                return message
        return None

    await fake_api.wait_for(
        lambda: (
            start_button() is not None
            or any("Spørgsmål 1 af 5" in t for t in fake_api.texts(CHAT)[since:])
        ),
        what="the first question or its start button",
    )
    button = start_button()
    if button is not None:
        fake_api.user_presses(CHAT, button, "Ja, lad os starte")
    await fake_api.wait_for_text(CHAT, "Spørgsmål 1 af 5", since=since)


async def join(fake_api: FakeBotApi, code: str) -> None:
    fake_api.user_sends(CHAT, f"/start {code}")
    info = await fake_api.wait_for_text(CHAT, "Er det okay for dig?")
    fake_api.user_presses(CHAT, info, "Ja, det er okay")
    offer = await fake_api.wait_for_text(CHAT, "Vil du prøve dit første tjek nu?")
    since = len(fake_api.messages(CHAT))
    fake_api.user_presses(CHAT, offer, "Ja, lad os prøve")
    await first_question(fake_api, since=since)


async def first_who5_but_the_last_answer(fake_api: FakeBotApi, code: str) -> None:
    await join(fake_api, code)
    for typed in ["5", "4", "3", "2"]:
        fake_api.user_sends(CHAT, typed)
    await fake_api.wait_for_text(CHAT, "Spørgsmål 5 af 5")
    await fake_api.wait_idle()


async def test_a_failed_chart_upload_gets_a_text_and_the_question_after_it_still_comes(
    channel, fake_api, database, invite, clock
):
    # The tester's case: the chart's sendPhoto failed, the "talk about next time" question
    # never came, the chat hung ~16 s in retries, and "hallo?" was stored as a topic.
    _, code = invite()
    await first_who5_but_the_last_answer(fake_api, code)
    fake_api.user_sends(CHAT, "2")
    await fake_api.wait_for_text(CHAT, TALK)
    fake_api.user_sends(CHAT, "spring over")
    await fake_api.wait_for_text(CHAT, "Vi ses!")
    clock.advance(days=30)
    since = len(fake_api.messages(CHAT))
    fake_api.user_sends(CHAT, "/tjek who5")
    await first_question(fake_api, since=since)
    for typed in ["altid", "altid", "4", "4"]:
        fake_api.user_sends(CHAT, typed)
    await fake_api.wait_for_text(CHAT, "Spørgsmål 5 af 5", since=since)
    await fake_api.wait_idle()
    fake_api.inject("sendPhoto", Fault(status=500, description="Internal Server Error"), count=2)

    started = time.monotonic()
    fake_api.user_sends(CHAT, "det meste af tiden")
    question = await fake_api.wait_for_text(CHAT, TALK, since=since)
    waited = time.monotonic() - started
    fallback = await fake_api.wait_for_text(CHAT, CHART_FAILED, since=since)
    compared = await fake_api.wait_for_text(CHAT, "Det er 24 mere end sidst", since=since)
    said = fake_api.messages(CHAT)
    assert said.index(compared) < said.index(fallback) == said.index(question) - 1
    assert not any(m.photo for m in said), "no chart arrived: both attempts failed"
    assert fake_api.calls.count("sendPhoto") == 2
    assert waited < 4, f"the chat hung {waited:.1f} s"  # one 0.5 s pause between the attempts

    fake_api.user_sends(CHAT, "skolen")
    await fake_api.wait_for_text(CHAT, "Det kommer med på listen", since=since)
    assert topics(database) == ["skolen"]


async def test_a_failed_file_upload_says_how_to_get_it_and_nothing_after_it_is_lost(
    quick_channel, fake_api, invite
):
    _, code = invite()
    await join(fake_api, code)
    fake_api.inject("sendDocument", Fault(status=502, description="Bad Gateway"), count=2)
    fake_api.user_sends(CHAT, "/mine_data")
    fallback = await fake_api.wait_for_text(CHAT, "Jeg kunne ikke sende filen lige nu.")
    assert fallback.text.endswith("Skriv /mine_data for at prøve igen.")
    # What the text promises holds: /mine_data sends the file.
    fake_api.user_sends(CHAT, "/mine_data")
    sent = await fake_api.wait_for_text(CHAT, "Alt, hvad Ungeguide har gemt om dig")
    assert sent.document is not None


async def test_a_reply_that_cannot_be_sent_is_held_and_the_next_text_is_not_its_answer(
    quick_channel, fake_api, database, invite
):
    _, code = invite()
    await first_who5_but_the_last_answer(fake_api, code)
    before = len(fake_api.messages(CHAT))
    # Telegram is away for every attempt of the first text of the reply.
    fake_api.inject("sendMessage", Fault(status=502, description="Bad Gateway"), count=6)
    fake_api.user_sends(CHAT, "2")
    await fake_api.wait_for(lambda: not fake_api.faults["sendMessage"], what="the faults used")
    await fake_api.wait_idle()
    assert fake_api.messages(CHAT)[before:] == [], "nothing of the reply arrived"

    # The young person never saw the question, so "hallo?" is not an answer to it.
    fake_api.user_sends(CHAT, "hallo?")
    question = await fake_api.wait_for_text(CHAT, TALK, since=before)
    note = await fake_api.wait_for_text(CHAT, MISSED, since=before)
    score = await fake_api.wait_for_text(CHAT, "Dine svar giver 64 ud af 100", since=before)
    said = fake_api.messages(CHAT)
    assert said.index(note) < said.index(score) < said.index(question)
    await fake_api.wait_idle()
    assert topics(database) == [], "'hallo?' was not stored as a topic"

    fake_api.user_sends(CHAT, "min praktik")
    await fake_api.wait_for_text(CHAT, "Det kommer med på listen", since=before)
    assert topics(database) == ["min praktik"]
    assert quick_channel.held.chats() == []


async def test_a_held_reply_is_delivered_by_itself_once_telegram_is_back(
    service, fake_api, database, invite
):
    channel = make_channel(service, fake_api, retry_delay=0.01, redeliver_every=0.3)
    await channel.start()
    try:
        _, code = invite()
        await first_who5_but_the_last_answer(fake_api, code)
        before = len(fake_api.messages(CHAT))
        fake_api.inject("sendMessage", Fault(status=500), count=6)
        fake_api.user_sends(CHAT, "2")
        # Nobody writes: the held reply arrives in order, once Telegram answers again.
        question = await fake_api.wait_for_text(CHAT, TALK, since=before)
        score = await fake_api.wait_for_text(CHAT, "Dine svar giver 64 ud af 100", since=before)
        said = fake_api.messages(CHAT)
        assert said.index(score) < said.index(question)
        assert not any(MISSED in (m.text or "") for m in said)
        assert channel.held.chats() == []
        fake_api.user_sends(CHAT, "fritid")
        await fake_api.wait_for_text(CHAT, "Det kommer med på listen", since=before)
        assert topics(database) == ["fritid"]
    finally:
        await channel.stop()


async def test_a_worrying_text_is_never_set_aside_while_a_reply_is_held(
    quick_channel, fake_api, invite
):
    _, code = invite()
    await first_who5_but_the_last_answer(fake_api, code)
    before = len(fake_api.messages(CHAT))
    fake_api.inject("sendMessage", Fault(status=502), count=6)
    fake_api.user_sends(CHAT, "2")
    await fake_api.wait_for(lambda: not fake_api.faults["sendMessage"], what="the faults used")
    await fake_api.wait_idle()
    fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
    support = await fake_api.wait_for_text(CHAT, "Livslinien: 70 201 201", since=before)
    question = await fake_api.wait_for_text(CHAT, TALK, since=before)
    said = fake_api.messages(CHAT)
    assert said.index(question) < said.index(support), "the held reply first, then the help"
    assert not any(MISSED in (m.text or "") for m in said)
