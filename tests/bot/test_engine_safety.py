"""The safety net's two tiers through the pure engine.

Certain: support lines at once, an urgent alert, and the truth about when someone sees it.
Possible: a kind question first, with a held alert that every answer settles.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import (
    Checkin,
    DropHeldAlerts,
    Idle,
    Onboarding,
    Press,
    RaiseAlert,
    ReleaseHeldAlerts,
    SaveAnswer,
    dump_state,
    load_state,
)
from bot.engine.messages import RemoveButtons
from bot.engine.state import AfterCrisis, SafetyCheck
from bot.flows.safety_check import HOLD
from domain.alerts.kinds import AlertKind
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, possible
from tests.auxil.transcript import Conversation, replies, toasts
from tests.bot.test_engine_checkin import start_who5

# Tuesday 24 November 2026, 14.00 in Copenhagen: staff are at work.
NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
# Saturday 28 November, 23.00: the office opens again on Monday at 08.00.
SATURDAY_NIGHT = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
HARD = "det hele er bare for meget"  # scripted as a possible crisis


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts(moment=NOW, scripted={HARD: possible(HARD)}))


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


def pressed(talk: Conversation, label: str) -> str:
    return "\n".join(replies(talk.press(label)))


Settling = RaiseAlert | DropHeldAlerts | ReleaseHeldAlerts


def settling(harness: EngineHarness) -> list[Settling]:
    """The effects that settle the question, in order (held, dropped, released, raised)."""
    return [e for e in harness.effects if isinstance(e, Settling)]


# --- certain: the truth about who is told, and when -----------------------------------------


def test_at_work_a_message_goes_to_the_contact_person_now(talk, harness):
    answer = said(talk, "jeg vil ikke leve mere")
    assert "Er du i fare lige nu, så ring 112." in answer
    assert answer.endswith(harness.content.safety.contact_at_work)
    assert "jeg har lige sendt en besked til din kontaktperson" in answer
    assert "får en kollega beskeden" in answer
    assert "kontoret er lukket" not in answer
    [alert] = settling(harness)
    assert alert == RaiseAlert(
        AlertKind.CRISIS,
        True,
        {"source": "lexicon", "where": "idle", "text": "jeg vil ikke leve mere"},
    )


def test_outside_staff_hours_it_says_when_someone_sees_it_and_what_is_open(content):
    ports = FakePorts(moment=SATURDAY_NIGHT, away_until=MONDAY_MORNING)
    talk = Conversation(EngineHarness(content, ports))
    answer = said(talk, "jeg vil ikke leve mere")
    assert "jeg har lige sendt" not in answer
    assert answer.endswith(
        "Jeg er en robot. Jeg har sendt en besked til din kontaktperson, men kontoret er lukket"
        " nu. Beskeden bliver læst, når kontoret åbner mandag den 30. november kl. 08.00."
        " Indtil da kan du altid ringe 112 eller BørneTelefonen på 116 111 – for dig under 18."
    )


# --- possible: the question -----------------------------------------------------------------


def test_a_possible_crisis_asks_kindly_and_holds_an_alert(talk, harness):
    messages = talk.send(HARD)
    [question] = replies(messages)
    assert question == "Det lyder svært. Tak fordi du skriver det til mig. 💛\n\n" + (
        "Tænker du på at gøre dig selv noget?\n\nEr du i fare lige nu, så ring 112."
    )
    assert [b.label for b in talk.keyboard] == [
        "Ja",
        "Jeg vil gerne tale med nogen",
        "Nej, jeg er okay",
    ]
    assert settling(harness) == [
        RaiseAlert(
            AlertKind.CRISIS_POSSIBLE,
            True,
            {"source": "classifier", "where": "idle", "text": HARD},
            hold_until=NOW + HOLD,
        )
    ]
    assert isinstance(harness.state, SafetyCheck)
    assert "70 201 201" not in question  # the full list of lines comes with the answer


def test_yes_takes_the_certain_path(talk, harness):
    talk.send(HARD)
    messages = talk.press("Ja")
    assert isinstance(messages[0], RemoveButtons)
    answer = "\n".join(replies(messages))
    assert "Er du i fare lige nu, så ring 112." in answer
    assert "70 201 201" in answer
    assert answer.endswith(harness.content.safety.contact_at_work)
    # The crisis alert takes the held alert's place (the service keeps its words).
    assert settling(harness)[1:] == [
        RaiseAlert(
            AlertKind.CRISIS,
            True,
            {"source": "question", "where": "idle", "answer": "Ja"},
            replaces_held=AlertKind.CRISIS_POSSIBLE,
        ),
    ]
    assert_after(harness, "urgent", Idle())


def test_yes_outside_staff_hours_says_when_the_office_opens(content):
    ports = FakePorts(
        moment=SATURDAY_NIGHT, away_until=MONDAY_MORNING, scripted={HARD: possible(HARD)}
    )
    talk = Conversation(EngineHarness(content, ports))
    talk.send(HARD)
    assert "når kontoret åbner mandag den 30. november kl. 08.00" in pressed(talk, "Ja")


def test_wanting_to_talk_tells_the_contact_person_truthfully(talk, harness):
    talk.send(HARD)
    answer = pressed(talk, "Jeg vil gerne tale med nogen")
    assert answer.startswith(
        "Godt, at du siger det. Jeg har sendt en besked til din kontaktperson om, at du gerne vil"
        " tale med nogen. Den når frem senest næste hverdag. Så bliver du kontaktet."
    )
    assert "70 201 201" in answer
    assert settling(harness)[1:] == [
        DropHeldAlerts(AlertKind.CRISIS_POSSIBLE),
        RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": "safety_question"}),
    ]
    assert_after(harness, "talk", Idle())


def assert_after(harness: EngineHarness, told: str, back: object) -> None:
    state = harness.state
    assert isinstance(state, AfterCrisis)
    assert (state.told, state.leave()) == (told, back)


NOTED = RaiseAlert(
    AlertKind.SAFETY_OKAY,
    False,
    {"source": "question", "where": "idle", "answer": "no"},
    replaces_held=AlertKind.CRISIS_POSSIBLE,
)


def test_no_tells_the_contact_person_it_is_not_urgent_and_says_so(talk, harness):
    # The information text promises the contact person hears of it: a "no" keeps the words
    # (the held alert's) in a non-urgent alert, and the young person is told exactly that.
    talk.send(HARD)
    answer = pressed(talk, "Nej, jeg er okay")
    safety = harness.content.safety
    assert answer == safety.okay.format(lines=safety.listed())
    assert "Jeg fortæller din kontaktperson, at jeg spurgte, så I kan tale om det." in answer
    assert "Det haster ikke." in answer
    assert settling(harness)[1:] == [NOTED]
    assert_after(harness, "noted", Idle())


def test_no_mid_check_in_asks_whether_to_go_on_now_and_loses_nothing(talk, harness):
    start_who5(talk)
    talk.send("4")
    assert "Tænker du på at gøre dig selv noget?" in said(talk, HARD)
    messages = talk.press("Nej, jeg er okay")
    assert "Spørgsmål 2" not in "\n".join(replies(messages))
    assert messages[-1].text == harness.content.safety.continue_question
    assert [b.label for row in messages[-1].buttons for b in row] == ["Ja, nu", "Senere"]
    answer = pressed(talk, "Ja, nu")
    assert "Spørgsmål 2 af 5" in answer
    assert "rolig og afslappet" in answer
    state = harness.state
    assert isinstance(state, Checkin)
    assert (state.index, state.paused, state.answers) == (1, False, {"glad": 4})
    talk.press("Lidt mere end halvdelen af tiden")
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 4), ("rolig", 3)]


def test_talk_mid_check_in_comes_back_to_the_question_when_chosen(talk, harness):
    start_who5(talk)
    talk.send(HARD)
    answer = pressed(talk, "Jeg vil gerne tale med nogen")
    assert "Spørgsmål 1 af 5" not in answer
    assert answer.endswith(harness.content.safety.continue_question)
    assert "Spørgsmål 1 af 5" in said(talk, "ja")
    assert isinstance(harness.state, Checkin)


@pytest.mark.parametrize("later", ["Senere", "nej", "senere"])
def test_a_check_in_waits_when_the_young_person_says_later(talk, harness, later):
    start_who5(talk)
    talk.send("4")
    talk.send(HARD)
    talk.press("Nej, jeg er okay")
    answer = pressed(talk, later) if later == "Senere" else said(talk, later)
    assert answer == (
        "Helt i orden. Dit tjek venter ved spørgsmål 2. Skriv /tjek, når du vil fortsætte."
    )
    state = harness.state
    assert isinstance(state, Checkin)
    assert (state.index, state.paused, state.answers) == (1, True, {"glad": 4})
    assert "Spørgsmål 2 af 5" in said(talk, "/tjek")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ja", AlertKind.CRISIS),
        ("Ja tak", AlertKind.CRISIS),
        ("jaa", AlertKind.CRISIS),
        ("jo, lidt nogle gange", AlertKind.CRISIS),
        ("jep", AlertKind.CRISIS),
        ("yes", AlertKind.CRISIS),
        ("nej", None),
        ("nej tak", None),
        ("Nej, jeg er okay!", None),
        ("nej jeg er bare træt", None),
        ("nææ", None),
        ("naeae", None),
        ("nae", None),
        ("nix", None),
        ("nope", None),
        ("no", None),
        ("nah man", None),
        ("NEJJJ 😅", None),
        ("jeg vil gerne tale med nogen", AlertKind.CONTACT_REQUEST),
        ("nej, men jeg vil gerne snakke med nogen", AlertKind.CONTACT_REQUEST),
    ],
)
def test_typed_answers_work_like_the_buttons(talk, harness, typed, expected):
    talk.send(HARD)
    talk.send(typed)
    _held, *answered = settling(harness)
    if expected == AlertKind.CRISIS:  # a yes: the crisis alert takes the held one's place
        assert [(a.kind, a.replaces_held) for a in answered if isinstance(a, RaiseAlert)] == [
            (AlertKind.CRISIS, AlertKind.CRISIS_POSSIBLE)
        ]
    elif expected is None:  # a no: a note for the contact person, not urgent
        assert answered == [NOTED]
    else:
        dropped, *raised = answered
        assert dropped == DropHeldAlerts(AlertKind.CRISIS_POSSIBLE)
        assert [alert.kind for alert in raised] == [expected]
    assert not isinstance(harness.state, SafetyCheck)


UNCLEAR_START = (
    "Jeg er ikke sikker på, hvad du mener. Derfor giver jeg din kontaktperson besked, så I kan "
    "tale sammen."
)


@pytest.mark.parametrize("typed", ["ved ikke", "måske lidt", "ok", "okay", "Okay."])
def test_an_unclear_answer_tells_the_coordinator_and_says_so(talk, harness, typed):
    start_who5(talk)
    talk.send(HARD)
    answer = said(talk, typed)
    assert answer.startswith(UNCLEAR_START)
    assert not answer.startswith("Tak fordi du svarer")
    assert "voksen" not in answer
    assert "Er du i fare lige nu, så ring 112." in answer
    assert "70 201 201" in answer
    assert "jeg har lige sendt en besked til din kontaktperson" in answer
    assert "Dit tjek holder pause" in answer
    assert settling(harness)[1:] == [ReleaseHeldAlerts(AlertKind.CRISIS_POSSIBLE)]
    state = harness.state
    assert isinstance(state, AfterCrisis)
    assert state.told == "urgent"
    held = state.leave()
    assert isinstance(held, Checkin)
    assert (held.index, held.paused) == (0, True)


def test_another_possible_text_as_the_answer_is_unclear(talk, harness):
    talk.send(HARD)
    answer = said(talk, HARD)
    assert answer.startswith(UNCLEAR_START)
    assert settling(harness)[1:] == [ReleaseHeldAlerts(AlertKind.CRISIS_POSSIBLE)]


def test_a_no_the_safety_net_flags_is_unclear(content):
    venting = "nej jeg orker bare ikke mere"
    ports = FakePorts(moment=NOW, scripted={HARD: possible(HARD), venting: possible(venting)})
    harness = EngineHarness(content, ports)
    talk = Conversation(harness)
    talk.send(HARD)
    assert said(talk, venting).startswith(UNCLEAR_START)
    assert settling(harness)[1:] == [ReleaseHeldAlerts(AlertKind.CRISIS_POSSIBLE)]


@pytest.mark.parametrize("typed", ["hvorfor spørger du", "Hvorfor?", "hvorfor spørger du om det"])
def test_asking_why_gets_an_honest_answer_and_the_question_again(talk, harness, typed):
    talk.send(HARD)
    asked = harness.state
    harness.ports.moment += timedelta(minutes=5)
    [reply] = talk.send(typed)
    assert reply.text == harness.content.safety.why
    assert reply.text.startswith("Jeg spørger, fordi det, du skrev, kan betyde")
    assert reply.text.endswith("Tænker du på at gøre dig selv noget?")
    assert [b.label for row in reply.buttons for b in row] == [
        "Ja",
        "Jeg vil gerne tale med nogen",
        "Nej, jeg er okay",
    ]
    assert harness.state == asked  # still waiting, with the same hold time
    assert len(settling(harness)) == 1  # the held alert waits on, not opened
    # The buttons shown again answer the same question.
    pressed(talk, "Nej, jeg er okay")
    assert settling(harness)[1:] == [NOTED]


def test_a_certain_text_as_the_answer_takes_the_certain_path(talk, harness):
    start_who5(talk)
    talk.send(HARD)
    answer = said(talk, "jeg vil ikke leve mere")
    assert "Er du i fare lige nu, så ring 112." in answer
    assert settling(harness)[1:] == [
        RaiseAlert(
            AlertKind.CRISIS,
            True,
            {"source": "lexicon", "where": "checkin", "text": "jeg vil ikke leve mere"},
            replaces_held=AlertKind.CRISIS_POSSIBLE,
        ),
    ]
    state = harness.state
    assert isinstance(state, AfterCrisis)
    held = state.leave()
    assert isinstance(held, Checkin)
    assert held.paused


def test_an_answer_after_the_hold_time_is_just_a_text(talk, harness):
    talk.send(HARD)
    button = talk.button("Nej, jeg er okay")
    harness.ports.moment += HOLD + timedelta(minutes=1)
    # The clock has opened the held alert by now: a late "nej" settles nothing.
    assert said(talk, "nej") == harness.content.texts.free_text.deny
    assert toasts(talk.send(Press(button.data))) == [harness.content.texts.stale_button]
    assert len(settling(harness)) == 1
    assert harness.state == Idle()


@pytest.mark.parametrize(
    "data", ["s|" + "0" * 32 + "|no", "s|", "s|x|y|z", "s||yes", "s|" + "f" * 32 + "|maybe"]
)
def test_stale_and_forged_buttons_change_nothing(talk, harness, data):
    talk.send(HARD)
    state = harness.state
    assert toasts(talk.send(Press(data))) == [harness.content.texts.stale_button]
    assert harness.state == state
    assert len(settling(harness)) == 1


def test_an_old_question_s_button_is_stale_once_answered(talk, harness):
    talk.send(HARD)
    button = talk.button("Ja")
    talk.press("Nej, jeg er okay")
    assert toasts(talk.send(Press(button.data))) == [harness.content.texts.stale_button]
    assert len(settling(harness)) == 2


def test_help_lets_the_question_wait_and_other_commands_leave_it(talk, harness):
    talk.send(HARD)
    assert "Det kan jeg hjælpe med" in said(talk, "/hjaelp")
    assert isinstance(harness.state, SafetyCheck)
    said(talk, "/tjek")
    assert not isinstance(harness.state, SafetyCheck)
    assert len(settling(harness)) == 1  # left unanswered: the clock opens the alert


def test_before_consent_the_words_are_not_kept_and_no_goes_back(content):
    ports = FakePorts(moment=NOW, accepted=None, scripted={HARD: possible(HARD)})
    harness = EngineHarness(content, ports, Onboarding())
    talk = Conversation(harness)
    talk.send(HARD)
    [held] = settling(harness)
    assert isinstance(held, RaiseAlert)
    assert held.details == {"source": "classifier", "where": "onboarding"}
    talk.send("nej")
    assert_after(harness, "noted", Onboarding())
    assert "om det er okay for dig" in said(talk, "hvad er det her")


def test_the_question_survives_a_restart(talk, harness):
    start_who5(talk)
    talk.send(HARD)
    state = harness.state
    assert load_state(dump_state(state)) == state
    assert "text" not in str(dump_state(state))  # the words are only in the held alert
