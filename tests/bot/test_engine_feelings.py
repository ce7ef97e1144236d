"""Feelings get warmth: a kind answer and three choices, outside and inside a questionnaire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import (
    AddTopic,
    Asked,
    Checkin,
    Idle,
    Onboarding,
    Press,
    RaiseAlert,
    Reply,
    SaveAnswer,
    Text,
)
from bot.engine.messages import Button, Message
from core.content.models import FEELINGS
from domain.alerts.kinds import AlertKind
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, meaning
from tests.auxil.transcript import Conversation, replies, toasts
from tests.bot.test_engine_checkin import start_who5

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
# One everyday text per feeling; the tests fix what it means (the model is tested apart).
SAID = {
    "feel_sad": "jeg er så ked af det i dag",
    "feel_lonely": "jeg har ingen at være sammen med",
    "feel_stressed": "jeg kan ikke nå det hele",
    "feel_bad": "jeg har det virkelig skidt",
    "bullied": "de andre mobber mig i skolen",
    "conflict_home": "min far og jeg råber hele tiden",
}
COLD = ("Det kan jeg desværre ikke hjælpe med", "Det forstod jeg ikke helt")
TOPICS = {
    "feel_sad": "at jeg er ked af det",
    "feel_lonely": "at jeg føler mig ensom",
    "feel_stressed": "at jeg er stresset",
    "feel_bad": "at jeg har det skidt",
    "bullied": "at jeg bliver mobbet",
    "conflict_home": "at der er problemer derhjemme",
}


@pytest.fixture
def harness(content) -> EngineHarness:
    scripted = {text: meaning(text, intent, 0.9) for intent, text in SAID.items()}
    return EngineHarness(content, FakePorts(moment=NOW, scripted=scripted))


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


def text_of(messages: tuple[Message, ...]) -> str:
    return "\n".join(replies(messages))


def feeling_button(messages: tuple[Message, ...], label: str) -> Button:
    return next(
        button
        for message in messages
        if isinstance(message, Reply)
        for row in message.buttons
        for button in row
        if button.label == label and button.data.startswith("e|")
    )


def test_there_is_a_warm_answer_for_every_feeling(content):
    assert set(SAID) == set(FEELINGS)


@pytest.mark.parametrize("intent", FEELINGS)
def test_a_feeling_outside_a_questionnaire_gets_warmth_and_choices(talk, harness, intent):
    texts = harness.content.texts.feelings
    messages = talk.send(SAID[intent])
    [reply] = [m for m in messages if isinstance(m, Reply)]
    answer = texts.of(intent)
    assert answer is not None
    assert reply.text == f"{answer.answer}\n\nVil du have, at din kontaktperson hører om det?"
    assert [b.label for row in reply.buttons for b in row] == [
        "Sig det til min kontaktperson",
        "Tag det med til næste møde",
        "Nej tak",
    ]
    assert not any(cold in reply.text for cold in COLD)
    assert harness.effects == []
    # The question waits for a typed "ja" or "nej"; anything else leaves it for Idle.
    assert harness.state.leave() == Idle()


@pytest.mark.parametrize("intent", FEELINGS)
def test_telling_the_contact_person_raises_a_contact_request(talk, harness, intent):
    talk.send(SAID[intent])
    answer = text_of(talk.press("Sig det til min kontaktperson"))
    assert answer == (
        "Jeg har sendt en besked til din kontaktperson. Den når frem senest næste hverdag."
        " Så bliver du kontaktet."
    )
    assert harness.effects == [RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": intent})]


@pytest.mark.parametrize("intent", FEELINGS)
def test_the_next_meeting_gets_it_as_a_topic(talk, harness, intent):
    talk.send(SAID[intent])
    answer = text_of(talk.press("Tag det med til næste møde"))
    assert answer == (
        "Jeg har skrevet det ned til din kontaktperson, så I kan tale om det, næste gang I ses."
    )
    assert harness.effects == [AddTopic(TOPICS[intent])]


def test_no_thanks_changes_nothing(talk, harness):
    talk.send(SAID["feel_sad"])
    assert (
        text_of(talk.press("Nej tak")) == "Helt i orden. Skriv bare, hvis du får brug for det. 💛"
    )
    assert harness.effects == []


@pytest.mark.parametrize("data", ["e|greet|tell", "e|feel_sad|maybe", "e|feel_sad", "e|||"])
def test_stale_or_forged_feeling_buttons_store_nothing(talk, harness, data):
    assert toasts(talk.send(Press(data))) == [harness.content.texts.stale_button]
    assert harness.effects == []


# --- inside a questionnaire -----------------------------------------------------------------


@pytest.mark.parametrize("intent", FEELINGS)
def test_a_feeling_mid_questionnaire_is_answered_first_and_the_check_in_waits(
    talk, harness, intent
):
    start_who5(talk)
    talk.send("4")
    messages = talk.send(SAID[intent])
    answer = text_of(messages)
    warm = harness.content.texts.feelings.of(intent)
    assert warm is not None
    assert answer == (
        f"{warm.answer}\n\nDit tjek kan godt vente så længe."
        "\n\nVil du have, at din kontaktperson hører om det?"
    )
    # Only the feelings question's buttons: the scale's numbers cannot collide with them.
    assert [b.label for b in talk.keyboard] == [
        "Sig det til min kontaktperson",
        "Tag det med til næste møde",
        "Nej tak",
    ]
    state = harness.state
    assert isinstance(state, Asked)
    assert state.leave() == Checkin(
        questionnaire_id="who5",
        response_id=state.leave().response_id,  # type: ignore[union-attr]
        phase="items",
        index=1,
        answers={"glad": 4},
    )
    # Its buttons work in the middle of the check-in, which then goes on where it was.
    after = talk.send(Press(feeling_button(messages, "Sig det til min kontaktperson").data))
    assert "Jeg har sendt en besked til din kontaktperson." in text_of(after)
    assert "Spørgsmål 2 af 5" in text_of(after)
    assert harness.effects[-1] == RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": intent})
    talk.send("3")
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 4), ("rolig", 3)]


@pytest.mark.parametrize(
    ("typed", "effect"),
    [
        ("sig det til min kontaktperson", "tell"),
        ("Sig det til min kontaktperson", "tell"),
        ("sig det til hende", "tell"),
        ("ja", "tell"),
        ("ja tak", "tell"),
        ("1", "tell"),
        ("tag det med til næste møde", "topic"),
        ("næste møde", "topic"),
        ("2", "topic"),
        ("nej tak", "no"),
        ("nej", "no"),
        ("3", "no"),
    ],
)
def test_the_feelings_choices_work_typed_mid_questionnaire(talk, harness, typed, effect):
    """Typed, as in Telegram (no press): the label, a part of it, yes or no, the number shown
    in the local chat. The scale is not on the screen meanwhile, so "1" is the button."""
    start_who5(talk)
    talk.send("4")
    talk.send(SAID["feel_bad"])
    answer = text_of(talk.send(Text(typed)))
    expected = {
        "tell": [RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": "feel_bad"})],
        "topic": [AddTopic(TOPICS["feel_bad"])],
        "no": [],
    }[effect]
    assert [e for e in harness.effects if isinstance(e, RaiseAlert | AddTopic)] == expected
    if effect == "tell":
        assert answer.startswith("Jeg har sendt en besked til din kontaktperson.")
    assert "Vi fortsætter med dit tjek, når du er klar:" in answer
    assert "Spørgsmål 2 af 5" in answer
    assert not any(cold in answer for cold in COLD)
    # Nothing was taken as an answer to the scale.
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 4)]


def test_not_wanting_the_contact_person_told_leaves_the_question_told_nothing(talk, harness):
    start_who5(talk)
    talk.send(SAID["feel_sad"])
    answer = text_of(talk.send("min kontaktperson skal ikke vide det"))
    assert "Din kontaktperson kan se dine svar på spørgsmålene." in answer
    assert "Når du er klar, så svar på spørgsmål 1 af 5." in answer
    assert harness.effects[-1:] != [
        RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": "feel_sad"})
    ]
    assert not any(isinstance(e, RaiseAlert) for e in harness.effects)


def test_a_scale_answer_while_the_feelings_question_waits_is_the_answer(talk, harness):
    start_who5(talk)
    talk.send(SAID["feel_sad"])
    talk.send("lidt af tiden")
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 1)]
    assert not any(isinstance(e, RaiseAlert) for e in harness.effects)


def test_a_feeling_before_the_questions_shows_the_start_buttons_again(talk, harness):
    talk.send("/tjek")
    talk.press("Hvordan har du haft det?")
    messages = talk.send(SAID["feel_bad"])
    assert "Du behøver ikke sige mere, end du har lyst til." in text_of(messages)
    assert [b.label for b in talk.keyboard] == ["Ja, lad os starte", "Ikke nu"]


def test_a_feeling_with_a_number_is_a_try_at_an_answer(content):
    text = "3 jeg er ked af det"
    ports = FakePorts(moment=NOW, scripted={text: meaning(text, "feel_sad", 0.95)})
    harness = EngineHarness(content, ports)
    talk = Conversation(harness)
    start_who5(talk)
    assert "Tryk på det svar, der passer bedst" in text_of(talk.send(text))


def test_an_unsure_single_word_is_not_taken_for_a_feeling(content):
    ports = FakePorts(moment=NOW, scripted={"hmm": meaning("hmm", "feel_sad", 0.7)})
    harness = EngineHarness(content, ports)
    talk = Conversation(harness)
    start_who5(talk)
    assert "Tryk på det svar, der passer bedst" in text_of(talk.send("hmm"))


def test_the_topic_for_next_time_is_still_kept_as_written(content):
    text = SAID["feel_sad"]
    state = Checkin(questionnaire_id="who5", response_id="r" * 32, phase="talk_next_time")
    ports = FakePorts(moment=NOW, scripted={text: meaning(text, "feel_sad", 0.9)})
    harness = EngineHarness(content, ports, state)
    assert "Det kommer med på listen" in text_of(harness(Text(text)))


def test_before_consent_a_feeling_is_answered_kindly_and_nothing_is_stored(content):
    text = SAID["bullied"]
    ports = FakePorts(moment=NOW, accepted=None, scripted={text: meaning(text, "bullied", 0.9)})
    harness = EngineHarness(content, ports, Onboarding())
    answer = text_of(harness(Text(text)))
    assert answer.startswith("Det er ikke okay, at nogen mobber dig.")
    assert "Er det okay for dig?" in answer
    assert harness.effects == []


# --- with the trained model: the texts a young person used in the check ---------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("jeg er ked af det", "Det er okay at være ked af det"),
        ("jeg bliver mobbet", "Det er ikke okay, at nogen mobber dig."),
        ("jeg har det skidt", "Du behøver ikke sige mere, end du har lyst til."),
        ("jeg føler mig så ensom", "Det lyder hårdt at føle sig alene."),
    ],
)
def test_the_texts_from_the_check_get_warmth_outside_and_inside(content, text, fragment):
    harness = EngineHarness(content, FakePorts(moment=NOW))
    talk = Conversation(harness)
    assert fragment in text_of(talk.send(text))
    start_who5(talk)
    answer = text_of(talk.send(text))
    assert fragment in answer
    assert "Dit tjek kan godt vente så længe." in answer
    assert not any(cold in answer for cold in COLD)


def test_no_answer_option_is_ever_taken_for_a_feeling(content):
    for questionnaire in content.questionnaires.values():
        for option in questionnaire.scale:
            for typed in (option.label, *option.synonyms):
                state = Checkin(
                    questionnaire_id=questionnaire.id, response_id="r" * 32, phase="items"
                )
                harness = EngineHarness(content, FakePorts(moment=NOW), state)
                harness(Text(typed))
                saved = [e.value for e in harness.effects if isinstance(e, SaveAnswer)]
                assert saved == [option.value], (questionnaire.id, typed)
