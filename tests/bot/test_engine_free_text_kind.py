"""Outside a check-in, a feeling is understood and anything else gets a kind answer (the
tester's transcript 08: "er så træt af alt" got "Det kan jeg desværre ikke hjælpe med")."""

from __future__ import annotations

import pytest

from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies

COLD = ("Det kan jeg desværre ikke hjælpe med", "Det forstod jeg ikke helt")


def said(content, text: str) -> str:
    talk = Conversation(EngineHarness(content, FakePorts()))
    return "\n".join(replies(talk.send(text)))


@pytest.mark.parametrize(
    "text", ["er så træt af alt", "jeg er træt af det hele", "kan ik overskue noget"]
)
def test_being_tired_of_everything_is_a_feeling(content, text):
    answer = said(content, text)
    assert answer.startswith(content.texts.feelings.feel_stressed.answer)
    assert "Vil du have, at din kontaktperson hører om det?" in answer
    assert not answer.startswith(COLD)


def test_out_of_scope_is_kind_and_says_what_the_bot_can_do(content):
    answer = said(content, "hvem vandt fodboldkampen i går")
    assert answer == content.texts.free_text.out_of_scope
    assert not answer.startswith(COLD)
    assert "Du må gerne skrive, hvordan du har det." in answer
    assert "Jeg kan også hjælpe med tjek, møder og aftaler." in answer
