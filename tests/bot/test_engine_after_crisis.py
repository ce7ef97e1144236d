"""Right after the support lines: a true, calm answer to "hvad sker der nu?", and a check-in
that goes on only when chosen (the tester's transcripts 02, 06 and 08)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import Checkin, Idle, dump_state, load_state
from bot.engine.state import AfterCrisis
from bot.flows.after_crisis import WAITS
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, possible
from tests.auxil.transcript import Conversation, replies
from tests.bot.test_engine_checkin import start_who5

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # a Tuesday afternoon: staff at work
FRIDAY_NIGHT = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
HARD = "vil bare ik være her mere"
FOLLOW_UPS = ["hvad gør i så?", "hvad sker der nu", "hvem har du sagt det til??", "hvad nu?"]


def talk_with(content, **options) -> tuple[Conversation, EngineHarness]:
    ports = FakePorts(scripted={HARD: possible(HARD)}, **options)
    harness = EngineHarness(content, ports)
    return Conversation(harness), harness


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


@pytest.mark.parametrize("follow_up", FOLLOW_UPS)
def test_after_the_crisis_reply_what_now_says_who_was_told_and_when(content, follow_up):
    talk, harness = talk_with(content, moment=FRIDAY_NIGHT, away_until=MONDAY_MORNING)
    said(talk, "min far slår mig")
    answer = said(talk, follow_up)
    assert answer.startswith("Jeg har sendt en besked til din kontaktperson om det, du skrev.")
    assert "Der er lukket nu. Den bliver læst, når kontoret åbner mandag" in answer
    assert "Er du i fare lige nu, så ring 112." in answer
    assert "Livslinien: 70 201 201 (hver dag kl. 11-05)" in answer
    assert "/tjek" not in answer
    assert "Det forstod jeg ikke" not in answer
    assert isinstance(harness.state, AfterCrisis)  # may ask again


def test_at_work_what_now_says_the_contact_person_gets_it_now(content):
    talk, _ = talk_with(content, moment=NOW)
    said(talk, "jeg vil ikke leve mere")
    answer = said(talk, "hvad sker der nu")
    assert "Hun eller han får den nu, så hun eller han kan kontakte dig." in answer


def test_after_no_what_now_is_the_non_urgent_truth(content):
    talk, _ = talk_with(content, moment=NOW)
    said(talk, HARD)
    talk.press("Nej, jeg er okay")
    answer = said(talk, "hvem har du sagt det til??")
    assert answer.startswith(
        "Jeg har fortalt din kontaktperson, at jeg spurgte, og at du sagde, du er okay. Det haster"
        " ikke."
    )


def test_after_talk_what_now_says_when_the_message_arrives(content):
    talk, _ = talk_with(content, moment=NOW)
    said(talk, HARD)
    talk.press("Jeg vil gerne tale med nogen")
    assert "senest næste hverdag" in said(talk, "hvad sker der så")


def test_mid_check_in_what_now_does_not_jump_back_to_the_form(content):
    talk, harness = talk_with(content, moment=NOW)
    start_who5(talk)
    talk.send("4")
    said(talk, "jeg orker ikke mere at leve")
    answer = said(talk, "hvad sker der nu")
    assert "Spørgsmål" not in answer
    assert "Dit tjek holder pause" not in answer
    assert answer.startswith("Jeg har sendt en besked til din kontaktperson")
    # The check-in waits until the young person chooses it.
    assert "Spørgsmål 2 af 5" in said(talk, "/tjek")
    assert isinstance(harness.state, Checkin)


def test_anything_else_leaves_the_moment_and_is_handled_as_usual(content):
    talk, harness = talk_with(content, moment=NOW)
    said(talk, "min far slår mig")
    assert "Det kan jeg hjælpe med" in said(talk, "/hjaelp")
    assert harness.state == Idle()


def test_the_moment_is_short_lived(content):
    talk, harness = talk_with(content, moment=NOW)
    said(talk, "min far slår mig")
    harness.ports.moment += WAITS
    harness.ports.moment += WAITS
    assert not said(talk, "hvad sker der nu").startswith("Jeg har sendt en besked")


def test_the_moment_survives_a_restart(content):
    talk, harness = talk_with(content, moment=NOW)
    start_who5(talk)
    said(talk, HARD)
    talk.press("Nej, jeg er okay")
    state = harness.state
    assert load_state(dump_state(state)) == state
