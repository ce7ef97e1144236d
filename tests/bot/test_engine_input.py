"""Bad input and onboarding through the pure engine."""

from __future__ import annotations

import pytest

from bot.engine import (
    AcceptInformation,
    Checkin,
    Command,
    Idle,
    Onboarding,
    SaveTalkNextTime,
    Text,
    handle,
    parse_input,
)
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies, verify_dialog


@pytest.fixture
def newcomer(content):
    return EngineHarness(content, FakePorts(accepted=None))


def test_onboarding_accept_then_first_check_in(newcomer):
    talk = Conversation(newcomer)
    verify_dialog(
        talk,
        [
            ("/start", ["velkommen til Ungeguide", "Det gemmer vi", "Er det okay for dig?"]),
            ("[Ja, det er okay]", ["Nu er du med", "Vil du prøve dit første tjek nu?"]),
            ("[Ja, lad os prøve]", ["5 korte spørgsmål"]),
        ],
    )
    accepted = [e for e in newcomer.effects if isinstance(e, AcceptInformation)]
    assert [e.version for e in accepted] == [newcomer.content.onboarding.version]


def test_nothing_is_stored_before_acceptance(newcomer):
    talk = Conversation(newcomer)
    verify_dialog(
        talk,
        [
            ("/start", ["Er det okay for dig?"]),
            ("/tjek", ["skal du lige sige, om det er okay", "Teksten står lige ovenfor."]),
            ("hej", ["skal du lige sige", "Teksten står lige ovenfor."]),
            ("[Nej tak]", ["helt okay", "gemmer vi ingen svar", "/start"]),
            ("/tjek", ["Du har sagt nej tak", "/start"]),
            ("/start", ["Er det okay for dig?"]),
        ],
    )
    assert newcomer.effects == []


def test_a_stale_accept_for_an_older_information_text_does_not_count(newcomer):
    talk = Conversation(newcomer)
    talk.send("/start")
    messages = talk.send(Text("x")) + talk.send(parse_input("/start"))
    assert messages
    from bot.engine import Press

    answer = talk.send(Press("o|accept|0"))
    assert "Den knap virker ikke længere." in str(answer)
    assert newcomer.effects == []


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("", "Jeg kunne ikke se noget i din besked"),
        ("   ", "Jeg kunne ikke se noget i din besked"),
        ("\u200b\u200f\u202e", "Jeg kunne ikke se noget i din besked"),
        ("x" * 5000, "lidt for lang"),
        ("/fotos", "Den kommando kender jeg ikke"),
        ("🙂🙂🙂", "/hjaelp"),
        ("hvem vandt kampen i går", "Jeg er kun en robot."),
    ],
)
def test_bad_input_when_idle_gets_a_short_danish_answer_and_stores_nothing(content, sent, expected):
    harness = EngineHarness(content, FakePorts())
    answer = replies(harness(parse_input(sent)))
    assert len(answer) == 1
    assert expected in answer[0]
    assert len(answer[0]) < 200
    assert harness.effects == []
    assert harness.state == Idle()


def test_too_long_text_mid_check_in_is_not_stored(content):
    harness = EngineHarness(content, FakePorts())
    talk = Conversation(harness)
    talk.send("/tjek who5")
    talk.send("ja")
    for _ in range(5):
        talk.send("3")
    assert "lidt for lang" in replies(talk.send("x" * 5000))[0]
    assert isinstance(harness.state, Checkin)
    assert harness.state.phase == "talk_next_time"
    assert not [e for e in harness.effects if isinstance(e, SaveTalkNextTime)]


def test_help_and_start_when_idle(content):
    harness = EngineHarness(content, FakePorts())
    assert "/tjek" in replies(harness(Command("hjaelp")))[0]
    assert "Hej igen" in replies(harness(Command("start")))[0]


def test_parse_input_recognises_commands():
    assert parse_input("/tjek who5") == Command("tjek", "who5")
    assert parse_input("/start@UngeguideBot abc") == Command("start", "abc")
    assert parse_input("/") == Text("/")
    assert parse_input("hej /tjek") == Text("hej /tjek")


def test_unreadable_stored_state_becomes_idle():
    from bot.engine import load_state

    assert load_state({"flow": "checkin", "index": "x"}) == Idle()
    assert load_state(None) == Idle()
    assert load_state({"flow": "onboarding", "step": "information"}) == Onboarding()


@pytest.mark.parametrize(
    ("questionnaire_id", "index", "answers"),
    [
        ("gone", 0, {}),  # the questionnaire was removed
        ("who5", 7, {}),  # items were removed: the index is past the end
        ("who5", 2, {"glad": 3}),  # an item was added before the current one
        ("who5", 1, {"glad": 3, "old_item": 2}),  # an answered item was removed
    ],
)
def test_a_check_in_whose_questionnaire_changed_starts_over_kindly(
    content, questionnaire_id, index, answers
):
    from bot.engine import Checkin, StopResponse

    state = Checkin(
        questionnaire_id=questionnaire_id,
        response_id="a" * 32,
        phase="items",
        index=index,
        answers=answers,
    )
    for event in (Text("3"), Command("start"), Command("tjek")):
        outcome = handle(state, event, FakePorts(), content)
        assert outcome.state == Idle()
        assert replies(outcome.messages) == [
            "Spørgsmålene er blevet opdateret, så vi starter forfra. Skriv /tjek, når du er klar."
        ]
        assert outcome.effects == (StopResponse("a" * 32, FakePorts().moment),)


def test_consent_needs_a_clear_yes(content):
    harness = EngineHarness(content, FakePorts(accepted=None))
    talk = Conversation(harness)
    talk.send("/start")
    for loose in ("start", "klar", "lad os starte"):
        assert "skal du lige sige" in replies(talk.send(loose))[0]
    assert harness.effects == []
    assert "Nu er du med" in replies(talk.send("ja tak"))[0]


def test_accept_after_a_misclicked_no(content):
    harness = EngineHarness(content, FakePorts(accepted=None))
    talk = Conversation(harness)
    talk.send("/start")
    accept = talk.button("Ja, det er okay")
    talk.press("Nej tak")
    from bot.engine import Press

    assert "Nu er du med" in replies(talk.send(Press(accept.data)))[0]


def test_a_typed_answer_says_what_it_was_taken_to_mean(content):
    harness = EngineHarness(content, FakePorts())
    talk = Conversation(harness)
    talk.send("/tjek bip_uddannelse")
    talk.send("ja")
    answer = replies(talk.send("nej"))
    assert answer[0] == "✔️ Passer slet ikke"
    assert answer[1].startswith("Spørgsmål 2 af 8")


def test_unrelated_text_before_the_items_explains_the_two_buttons(content):
    harness = EngineHarness(content, FakePorts())
    talk = Conversation(harness)
    talk.send("/tjek who5")
    verify_dialog(talk, [("blå bananer og grøn suppe", ['Tryk på "Ja, lad os starte"'])])
    assert [b.label for b in talk.keyboard] == ["Ja, lad os starte", "Ikke nu"]
    assert harness.effects == []
