"""Rough edges a tester found, as transcripts: one yes starts the first check-in, /tjek in the
middle goes on where the young person is, and "no topic" is not a topic."""

from __future__ import annotations

import pytest

from bot.engine import SaveTalkNextTime
from bot.engine.state import Checkin, Idle
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies, verify_dialog


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts())


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


@pytest.mark.parametrize("yes", ["[Ja, lad os prøve]", "ja", "ok"])
def test_the_first_check_in_needs_one_yes(content, yes):
    talk = Conversation(EngineHarness(content, FakePorts(accepted=None)))
    verify_dialog(
        talk,
        [
            ("/start", ["Er det okay for dig?"]),
            ("[Ja, det er okay]", ["Vil du prøve dit første tjek nu?"]),
            (yes, ["5 korte spørgsmål", "ingen rigtige eller forkerte svar", "Spørgsmål 1 af 5"]),
        ],
    )
    assert "Ja, lad os starte" not in [b.label for b in talk.keyboard]


def test_tjek_in_the_middle_goes_on_at_the_question(talk, harness):
    verify_dialog(
        talk,
        [
            ("/tjek who5", ["5 korte spørgsmål"]),
            ("ja", ["Spørgsmål 1 af 5"]),
            ("4", ["Spørgsmål 2 af 5"]),
        ],
    )
    said = replies(talk.send("/tjek"))
    assert said[0] == "Du er allerede i gang med et tjek. Vi fortsætter der."
    assert said[1].startswith("Spørgsmål 2 af 5")
    assert not any("Godt at se dig igen" in text for text in said)
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 1
    # A paused check-in is welcomed back, at the same question.
    verify_dialog(
        talk, [("pause", ["holder pause"]), ("/tjek", ["Godt at se dig igen!", "2 af 5"])]
    )


def _at_talk_next_time(talk: Conversation) -> None:
    verify_dialog(talk, [("/tjek who5", ["5 korte"]), ("ja", ["Spørgsmål 1"])])
    for value in "33333":
        talk.send(value)


@pytest.mark.parametrize(
    "nothing",
    ["Ikke noget", "nej", "nej tak", "ved ikke", "Ved ikke 🤷", "ingenting", "nej ikke rigtig"],
)
def test_no_topic_for_next_time_is_not_stored(talk, harness, nothing):
    _at_talk_next_time(talk)
    verify_dialog(talk, [(nothing, ["Helt fint.", "Tak fordi du tog dig tid."])])
    assert not any(isinstance(e, SaveTalkNextTime) for e in harness.effects)
    assert harness.state == Idle()


def test_a_real_topic_is_stored(talk, harness):
    _at_talk_next_time(talk)
    verify_dialog(talk, [("min praktikplads", ["Det kommer med på listen"])])
    assert [e.text for e in harness.effects if isinstance(e, SaveTalkNextTime)] == [
        "min praktikplads"
    ]
