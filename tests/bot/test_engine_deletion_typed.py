"""/slet in the middle of a check-in, as the tester did it (transcript 04): while a deletion
question is open, typed text answers it or gets that question again, never the scale's
"tal fra 0 til 5"; after a request, the two ways back named are the two that work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import RequestErasure
from bot.engine.messages import Reply
from bot.engine.state import Checkin, Deleting
from bot.flows.deletion import CONFIRM_WITHIN
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies, verify_dialog
from tests.bot.test_engine_checkin import start_who5

SCALE = "tal fra 0 til 5"


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts())


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


def mid_check_in(talk: Conversation) -> None:
    start_who5(talk)
    talk.send("4")


@pytest.mark.parametrize("keep", ["fortryd", "Fortryd!", "nej behold dem", "ikke nu", "nej tak"])
def test_fortryd_at_the_delete_question_keeps_everything(talk, harness, keep):
    mid_check_in(talk)
    talk.send("/slet")
    answer = "\n".join(replies(talk.send(keep)))
    assert answer.startswith("Godt, så beholder vi det hele.")
    assert SCALE not in answer
    assert "Spørgsmål 2 af 5" in answer  # the check-in's question again
    assert harness.effects[-1:] != [RequestErasure]
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.index == 1  # the check-in is where it was


def test_hallo_at_are_you_sure_gets_that_question_again(talk, harness, content):
    mid_check_in(talk)
    talk.send("/slet")
    talk.send("ja")
    [again] = talk.send("hallo?")
    assert isinstance(again, Reply)
    assert again.text == content.texts.deletion.second_again
    assert SCALE not in again.text
    assert [b.label for row in again.buttons for b in row] == [
        "Ja, slet det hele",
        "Nej, behold dem",
    ]
    assert isinstance(harness.state, Deleting)
    # The question still works, typed or pressed.
    verify_dialog(talk, [("ja", ["Din kontaktperson har fået besked og sletter dine data."])])
    assert [e for e in harness.effects if isinstance(e, RequestErasure)]


def test_any_text_at_the_first_question_gets_it_again(talk, content):
    mid_check_in(talk)
    talk.send("/slet")
    [again] = talk.send("hvad betyder det")
    assert isinstance(again, Reply)
    assert again.text == content.texts.deletion.first_again
    verify_dialog(talk, [("Ja, slet mine data", ["Er du helt sikker?"])])


def test_an_old_question_does_not_catch_text(talk, harness):
    talk.send("/slet")
    harness.ports.moment += CONFIRM_WITHIN + timedelta(minutes=1)
    answer = "\n".join(replies(talk.send("hej")))
    assert "Vil du have slettet" not in answer
    assert not isinstance(harness.state, Deleting)


def test_both_ways_back_named_after_a_request_work(content):
    harness = EngineHarness(content, FakePorts())
    talk = Conversation(harness)
    talk.send("/slet")
    talk.send("ja")
    [*_, done] = talk.send("ja")
    assert isinstance(done, Reply)
    assert "Fortryder du, så tryk på knappen, eller skriv /start_igen." in done.text
    assert [b.label for row in done.buttons for b in row] == ["Fortryd sletningen"]
    harness.ports.requested = True  # the service stores the request
    verify_dialog(talk, [("[Fortryd sletningen]", ["Vil du fortryde"])])
    verify_dialog(talk, [("/start_igen", ["Vil du fortryde"])])
    held = "\n".join(replies(talk.send("/tjek")))
    assert "Fortryder du, så tryk på knappen, eller skriv /start_igen." in held


def test_the_legal_part_is_plain(content):
    text = content.texts.deletion.how_request
    assert "Nogle ting skal kommunen gemme efter loven." in text
    assert "flyttet over" not in text
