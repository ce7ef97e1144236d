"""Free text in the middle of a check-in, as the 17-year-old tester typed it (issue 17,
findings 1, 2, 5, 9, 10): each gets an answer for what it means, then the short way back to the
question; only a text with no meaning gets the (kind) not-understood line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import (
    Asked,
    Checkin,
    Idle,
    RaiseAlert,
    SaveAnswer,
    SaveTalkNextTime,
    StopResponse,
)
from bot.engine.messages import Reply
from core.content import Content
from domain.alerts.kinds import AlertKind
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, meaning
from tests.auxil.transcript import Conversation, replies, verify_dialog
from tests.bot.test_engine_checkin import start_who5

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
COLD = ("Det forstod jeg ikke helt", "Det kan jeg desværre ikke hjælpe med")
REASK_2 = "Når du er klar, så svar på spørgsmål 2 af 5."
# What the interpreter made of the tester's texts; fixed here, so a retrained model cannot
# change what these tests prove (the model is tested apart).
SCRIPTED = {
    "jeg har det lort": ("feel_bad", 1.0),
    "er så træt af alt": ("out_of_scope", 0.4),
    "fuck det her": ("out_of_scope", 0.53),
    "okay tak": ("thanks", 0.87),
    "hvem kan se det her?": ("ask_privacy", 0.9),
    "hvad skal jeg svare?": ("help", 0.63),
    "min kontaktperson skal ikke vide det": ("contact_coordinator", 0.79),
    "nej vent jeg mente to": ("postpone", 0.5),
    "hvad betyder 36?": ("help", 0.76),
    "er det dårligt?": ("feel_bad", 0.96),
    "sig det til hende": ("postpone", 0.27),
    "xqzv blarg": ("nlu_fallback", 0.2),
}


@pytest.fixture
def harness(content: Content) -> EngineHarness:
    scripted = {text: meaning(text, intent, p) for text, (intent, p) in SCRIPTED.items()}
    return EngineHarness(content, FakePorts(moment=NOW, scripted=scripted))


@pytest.fixture
def talk(harness: EngineHarness) -> Conversation:
    return Conversation(harness)


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


def saved(harness: EngineHarness) -> list[tuple[str, int]]:
    return [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]


def alerts(harness: EngineHarness) -> list[RaiseAlert]:
    return [e for e in harness.effects if isinstance(e, RaiseAlert)]


def at_question_2(talk: Conversation) -> None:
    start_who5(talk)
    verify_dialog(talk, [("1", ["Spørgsmål 2 af 5"])])


def scale_buttons(talk: Conversation) -> list[str]:
    return [b.label for b in talk.keyboard]


WHO5_BUTTONS = [
    "Hele tiden",
    "Det meste af tiden",
    "Lidt mere end halvdelen af tiden",
    "Lidt mindre end halvdelen af tiden",
    "Lidt af tiden",
    "På intet tidspunkt",
    "⬅️ Tilbage",
    "⏸ Pause",
    "⏹ Stop",
]


# --- findings 1 and 2: distress, and "tell my contact person" -------------------------------


def test_distress_gets_warmth_and_the_check_in_waits_for_the_feelings_question(talk, harness):
    at_question_2(talk)
    verify_dialog(
        talk,
        [
            (
                "er så træt af alt",
                [
                    "Det er jeg ked af at høre. 💛",
                    "Dit tjek kan godt vente så længe.",
                    "Vil du have, at din kontaktperson hører om det?",
                ],
            ),
            (
                "sig det til min kontaktperson",
                [
                    "Jeg har sendt en besked til din kontaktperson.",
                    "Den når frem senest næste hverdag.",
                    "Vi fortsætter med dit tjek, når du er klar:",
                    "Spørgsmål 2 af 5",
                ],
            ),
            ("3", ["Spørgsmål 3 af 5"]),
        ],
    )
    assert alerts(harness) == [RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": "feel_bad"})]
    assert saved(harness) == [("glad", 1), ("rolig", 3)]
    assert not any(cold in text for _, texts in talk.log for text in texts for cold in COLD)


def test_the_scale_is_not_on_the_screen_while_the_feelings_question_waits(talk, harness):
    at_question_2(talk)
    messages = talk.send("jeg har det lort")
    assert [type(m).__name__ for m in messages] == ["Reply"]
    assert scale_buttons(talk) == [
        "Sig det til min kontaktperson",
        "Tag det med til næste møde",
        "Nej tak",
    ]
    assert isinstance(harness.state, Asked)
    # "1" is the first button here, never the scale's "Lidt af tiden".
    verify_dialog(talk, [("1", ["Jeg har sendt en besked til din kontaktperson."])])
    assert saved(harness) == [("glad", 1)]
    assert len(alerts(harness)) == 1


def test_swearing_gets_warmth_and_no_thanks_brings_the_question_back(talk, harness):
    at_question_2(talk)
    verify_dialog(
        talk,
        [
            ("fuck det her", ["Det er jeg ked af at høre.", "Vil du have"]),
            ("nej tak", ["Helt i orden.", "Spørgsmål 2 af 5"]),
        ],
    )
    assert alerts(harness) == []
    assert scale_buttons(talk) == WHO5_BUTTONS


def test_thanks_gets_a_short_answer_and_the_short_re_ask(talk, harness):
    at_question_2(talk)
    messages = talk.send("okay tak")
    assert replies(messages) == ["Selv tak! 😊", REASK_2]
    assert scale_buttons(talk) == WHO5_BUTTONS
    assert saved(harness) == [("glad", 1)]


def test_a_privacy_question_is_answered_and_the_question_comes_back_short(talk, harness):
    at_question_2(talk)
    answer = said(talk, "hvem kan se det her?")
    assert answer.startswith("Dine svar kan ses af dig og din kontaktperson.")
    assert answer.endswith(REASK_2)
    assert scale_buttons(talk) == WHO5_BUTTONS


def test_a_text_with_no_meaning_gets_the_kind_line_that_blames_the_robot(talk, harness):
    at_question_2(talk)
    [reply] = [m for m in talk.send("xqzv blarg") if isinstance(m, Reply)]
    assert reply.text == (
        "Undskyld, det fangede jeg ikke. Jeg er kun en robot."
        " Tryk på det svar, der passer bedst, eller skriv et tal fra 0 til 5."
    )
    assert scale_buttons(talk) == WHO5_BUTTONS


# --- finding 5: the contact person must not know ---------------------------------------------


def test_not_wanting_the_contact_person_to_know_gets_the_truth_and_raises_nothing(talk, harness):
    at_question_2(talk)
    answer = said(talk, "min kontaktperson skal ikke vide det")
    assert answer == (
        "Det er helt okay at sige. 💛 Din kontaktperson kan se dine svar på spørgsmålene."
        " Andet, du skriver her, giver jeg ikke videre. Kun hvis du selv beder om det, eller"
        " hvis det lyder som om du er i fare. Vil du ikke svare mere, så skriv stop.\n" + REASK_2
    )
    # Read as "contact_coordinator" by the model: no request may be raised from it.
    assert alerts(harness) == []
    # "skriv stop" is true: a typed stop ends the check-in, the answers given kept.
    verify_dialog(talk, [("stop", ["Okay, vi stopper her."])])
    assert isinstance(harness.state, Idle)
    assert isinstance(harness.effects[-1], StopResponse)


def test_outside_a_check_in_it_is_a_privacy_answer_never_a_request(talk, harness):
    answer = said(talk, "min kontaktperson skal ikke vide det")
    assert answer.startswith("Dine svar kan ses af dig og din kontaktperson.")
    assert alerts(harness) == []


def test_a_paused_check_in_also_gets_the_truth_about_the_contact_person(talk, harness):
    at_question_2(talk)
    talk.send("pause")
    answer = said(talk, "min kontaktperson skal ikke vide det")
    assert answer.startswith("Det er helt okay at sige. 💛 Din kontaktperson kan se dine svar")
    assert answer.endswith("Dit tjek holder pause. Skriv /tjek, så fortsætter vi ved spørgsmål 2.")
    assert alerts(harness) == []
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.paused


# --- finding 10: "hvad skal jeg svare?", "nej vent jeg mente to", /stop ---------------------


def test_what_shall_i_answer_gets_the_scale_in_one_sentence(talk, harness):
    at_question_2(talk)
    assert said(talk, "hvad skal jeg svare?") == (
        'Vælg det svar, der passer bedst på dig. 5 er "Hele tiden", og 0 er "På intet'
        ' tidspunkt". Der er ingen rigtige eller forkerte svar.\n' + REASK_2
    )
    assert scale_buttons(talk) == WHO5_BUTTONS


def test_a_correction_changes_the_last_answer_and_stays_at_the_question(talk, harness):
    at_question_2(talk)
    answer = said(talk, "nej vent jeg mente to")
    assert answer == (
        'Okay, nu står der "Lidt mindre end halvdelen af tiden" ved spørgsmål 1.\n' + REASK_2
    )
    assert saved(harness) == [("glad", 1), ("glad", 2)]
    state = harness.state
    assert isinstance(state, Checkin)
    assert (state.index, state.answers) == (1, {"glad": 2})
    for answer_ in ["3", "3", "3", "3"]:
        talk.send(answer_)
    # The score counts the corrected answer: (2 + 3 + 3 + 3 + 3) * 4.
    assert "Dine svar giver 56 ud af 100 i dag." in "\n".join(talk.log[-1][1])


@pytest.mark.parametrize("typed", ["ups jeg mente 4", "hov, det skulle have været 4"])
def test_other_corrections(talk, harness, typed):
    at_question_2(talk)
    assert "ved spørgsmål 1" in said(talk, typed)
    assert saved(harness)[-1] == ("glad", 4)


@pytest.mark.parametrize(("typed", "command"), [("stop", False), ("/stop", True)])
def test_stop_typed_or_as_a_command_does_what_the_stop_button_does(content, typed, command):
    results = []
    for how in ("button", typed):
        harness = EngineHarness(content, FakePorts(moment=NOW))
        talk = Conversation(harness)
        at_question_2(talk)
        messages = talk.press("⏹ Stop") if how == "button" else talk.send(how)
        results.append((replies(messages), type(harness.state), type(harness.effects[-1])))
    assert results[0] == results[1]
    assert results[0][0] == [
        "Okay, vi stopper her. De svar, du nåede at give, er gemt. Du kan altid starte igen"
        " med /tjek."
    ]


def test_stop_at_the_start_screen_and_at_talk_next_time(talk, harness):
    talk.send("/tjek")
    talk.press("Hvordan har du haft det?")
    verify_dialog(talk, [("/stop", ["Helt i orden. Skriv /tjek, når du er klar."])])
    assert isinstance(harness.state, Idle)
    at_question_2(talk)
    for answer_ in ["3", "3", "3", "3"]:
        talk.send(answer_)
    verify_dialog(talk, [("/stop", ["Helt fint.", "Vi ses!"])])
    assert isinstance(harness.state, Idle)
    assert not any(isinstance(e, SaveTalkNextTime) for e in harness.effects)


def test_stop_outside_a_check_in_offers_a_pause(talk, harness):
    answer = said(talk, "/stop")
    assert answer.startswith("Skal jeg holde pause med påmindelser og tjek?")
    assert "Den kommando kender jeg ikke" not in answer


# --- finding 10: the start screen -------------------------------------------------------------


def at_start_screen(talk: Conversation) -> None:
    talk.send("/tjek")
    talk.press("Livet lige nu")


@pytest.mark.parametrize("typed", ["ved ikke", "hmm", "😕"])
def test_hesitation_at_the_start_screen_gets_a_friendly_nudge(talk, harness, typed):
    at_start_screen(talk)
    verify_dialog(talk, [(typed, ["Det er helt okay at være i tvivl.", "Vil du prøve?"])])
    assert scale_buttons(talk) == ["Ja, lad os starte", "Ikke nu"]


@pytest.mark.parametrize("typed", ["3", "to", "fire", "ja", "ja tak"])
def test_a_number_or_a_yes_at_the_start_screen_starts_the_check_in(talk, harness, typed):
    at_start_screen(talk)
    verify_dialog(talk, [(typed, ["Spørgsmål 1 af 7"])])
    state = harness.state
    assert isinstance(state, Checkin)
    # The first question was not seen yet, so a number is not taken as its answer.
    assert (state.phase, state.index, state.answers) == ("items", 0, {})
    assert saved(harness) == []


def test_the_start_screen_never_repeats_one_line_for_the_tester_s_seven_texts(talk, harness):
    at_start_screen(talk)
    answers = [said(talk, typed) for typed in ["ved ikke", "t", "hmm"]]
    assert answers[0] != answers[1]
    assert answers[1] == 'Tryk på "Ja, lad os starte", når du er klar, eller "Ikke nu".'


# --- finding 9: the WHO-5 score -----------------------------------------------------------------


def finish_who5(talk: Conversation) -> str:
    at_question_2(talk)
    for answer_ in ["0", "1", "2", "2"]:
        talk.send(answer_)
    return "\n".join(talk.log[-1][1])


def test_the_score_is_explained_in_words_a_young_person_understands(talk, harness):
    after = finish_who5(talk)
    assert (
        "Dine svar giver 24 ud af 100 i dag. Tallet viser, hvordan du har haft det de sidste"
        " 2 uger. Det er ikke en karakter." in after
    )


@pytest.mark.parametrize("typed", ["hvad betyder 36?", "er det dårligt?", "hvad betyder det"])
def test_a_question_about_the_score_is_answered_not_kept_as_a_topic(talk, harness, typed):
    finish_who5(talk)
    messages = talk.send(typed)
    answer = "\n".join(replies(messages))
    assert answer.startswith("24 ud af 100 er ikke en karakter")
    assert "Din kontaktperson kan også se dine svar" in answer
    assert answer.endswith(
        "Er der noget, du har lyst til at tale med din kontaktperson om"
        " næste gang? Skriv det bare her."
    )
    assert not any(isinstance(e, SaveTalkNextTime) for e in harness.effects)
    state = harness.state
    assert isinstance(state, Checkin)
    assert state.phase == "talk_next_time"
    # A topic written after it is kept as written.
    verify_dialog(talk, [("at jeg ikke sover", ["Det kommer med på listen"])])
    assert [e.text for e in harness.effects if isinstance(e, SaveTalkNextTime)] == [
        "at jeg ikke sover"
    ]


@pytest.mark.parametrize("topic", ["min uddannelse", "hvordan får jeg et job?", "skolen"])
def test_a_topic_is_still_a_topic(talk, harness, topic):
    finish_who5(talk)
    verify_dialog(talk, [(topic, ["Det kommer med på listen"])])
