"""A question about privacy ("hvem kan se mine svar?") gets the truth, never the deletion prompt
and never a message to the contact person (found by a 17-year-old tester)."""

from __future__ import annotations

import pytest

from bot.engine.state import Checkin
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies
from tests.bot.test_engine_checkin import start_who5


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts())


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


QUESTIONS = [
    "hvem kan se mine svar?",
    "laeser min kontaktperson det her?",
    "kan min mor se det?",
    "er det anonymt",
    "hvem har adgang til det jeg skriver",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_privacy_question_gets_the_truth(talk, harness, content, question):
    answer = "\n".join(replies(talk.send(question)))
    assert answer.startswith("Dine svar kan ses af dig og din kontaktperson.")
    assert "Kommunens administratorer kan se alles svar, fordi de passer systemet: Anne Admin." in (
        answer
    )
    assert "Skriv /mine_data" in answer
    assert content.texts.deletion.first_question not in answer
    assert harness.effects == []  # nothing stored, nobody told


def test_in_a_check_in_the_question_is_answered_and_the_check_in_waits(talk, harness):
    start_who5(talk)
    answer = "\n".join(replies(talk.send("hvem kan se mine svar?")))
    assert answer.startswith("Dine svar kan ses af dig og din kontaktperson.")
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.index == 0
