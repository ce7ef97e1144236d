"""The possible tier of the safety net: when it is not sure, ask kindly before anything else.

    (any state) --possible crisis text--> SafetyCheck  [held urgent crisis_possible alert]
    SafetyCheck --"Ja" / a certain text--> the certain path (support lines, urgent crisis alert)
    SafetyCheck --"Jeg vil gerne tale med nogen"--> contact request, support lines, back
    SafetyCheck --"Nej, jeg er okay"--> a non-urgent note for the contact person, back; a
                                        check-in goes on only when they choose it
    SafetyCheck --"hvorfor spørger du?"--> an honest answer, the question again; still waiting
    SafetyCheck --anything else typed--> the held alert opens now, support lines, back
    SafetyCheck --a command, another button, or HOLD passed--> left; the clock opens the alert

A "no" turns the held alert into a non-urgent safety_okay alert (the contact person sees it in
the overview and the daily mail, with the words, and the young person is told so); a wish to
talk drops it for a contact request; a "yes" turns it into the urgent crisis alert
(keeping the words that raised it); an unclear answer opens it: an answer the bot cannot read
counts as possible danger. Typed, a yes or a no is one of the exact words, or a text whose first
word is one ("nej jeg er bare træt", "nææ") that the safety net does not flag; "ok" is unclear.
Button data is `s|<check id>|yes|talk|no`, so a button only answers the question it came with;
anything else is stale and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from bot.engine.effects import DropHeldAlerts, RaiseAlert, ReleaseHeldAlerts
from bot.engine.messages import Button, Message, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import (
    AfterCrisis,
    Asked,
    Checkin,
    Deleting,
    IdeaDraft,
    Onboarding,
    SafetyCheck,
    State,
)
from bot.flows import after_crisis, safety
from bot.flows.words import means
from bot.nlu import CrisisHit, Understanding
from core.content import Content
from core.text import normalize
from domain.alerts.kinds import AlertKind

PREFIX = "s|"
# How long the question waits for an answer before the held alert opens by itself (the
# scheduler's clock). Long enough to read and answer; short enough that nobody is left alone.
HOLD = timedelta(minutes=20)
# "nejjj", "jaaa", "nææ" (or "naeae"): a letter, or æ/ø/å spelt as two, typed more than once.
_TYPED_AGAIN = re.compile(r"(\w{1,2}?)\1+")


def ask(state: State, text: str, hit: CrisisHit, ports: Ports, content: Content) -> Outcome:
    """Ask "are you thinking of hurting yourself?", with an alert held until HOLD passes."""
    now = ports.now()
    check = SafetyCheck(check_id=ports.new_id(), asked_at=now, back_to=_keep(state))
    held = RaiseAlert(
        AlertKind.CRISIS_POSSIBLE,
        True,
        safety.details(state, text, hit, ports),
        hold_until=now + HOLD,
    )
    return Outcome(check, (Reply(content.safety.question, _buttons(check, content)),), (held,))


def waiting(state: State, ports: Ports) -> bool:
    """Whether the question still waits for its answer (the held alert has not opened)."""
    return isinstance(state, SafetyCheck) and ports.now() - state.asked_at <= HOLD


def answer_text(
    state: SafetyCheck, text: str, understanding: Understanding, ports: Ports, content: Content
) -> Outcome:
    """A typed answer. The safety net has run: a certain text never gets here, and a text it
    flags is unclear, whatever its first word."""
    words = content.texts.words
    if understanding.crisis is not None:
        return _unclear(state, ports, content)
    if means(text, words.safety_yes):
        return _yes(state, text, ports, content)
    if means(text, words.safety_talk) or _says(text, words.safety_talk):
        return _talk(state, ports, content, ())
    if means(text, words.safety_no):
        return _okay(state, ports, content, ())
    if _starts(text, words.safety_why):
        # The question waits on, with the same hold time: asking why is not an answer.
        return Outcome(state, (Reply(content.safety.why, _buttons(state, content)),))
    first = _first_word(text)
    if first in _firsts(words.safety_yes_first):
        return _yes(state, text, ports, content)
    if first in _firsts(words.safety_no_first):
        return _okay(state, ports, content, ())
    return _unclear(state, ports, content)


def answer_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    """A button of the question; only the one shown with the question that waits counts."""
    parts = data.split("|")
    if (
        not isinstance(state, SafetyCheck)
        or not waiting(state, ports)
        or len(parts) != 3
        or parts[1] != state.check_id
        or parts[2] not in ("yes", "talk", "no")
    ):
        return Outcome(state, (Toast(content.texts.stale_button),))
    removed = (RemoveButtons(),)
    if parts[2] == "yes":
        return _yes(state, content.safety.yes_label, ports, content, shown=removed)
    if parts[2] == "talk":
        return _talk(state, ports, content, removed)
    return _okay(state, ports, content, removed)


def certain_instead(
    state: SafetyCheck, text: str, hit: CrisisHit, ports: Ports, content: Content
) -> Outcome:
    """A certain text while the question waits: the certain path; its alert takes the held
    alert's place (both texts are kept)."""
    found = safety.details(state, text, hit, ports)
    return safety.certain(state, found, ports, content, replaces_held=AlertKind.CRISIS_POSSIBLE)


# --- the answers ----------------------------------------------------------------------------


def _yes(
    state: SafetyCheck,
    answer: str,
    ports: Ports,
    content: Content,
    *,
    shown: tuple[Message, ...] = (),
) -> Outcome:
    found: dict[str, str | int] = {"source": "question", "where": state.leave().flow}
    if ports.accepted_information_version() is not None:
        found["answer"] = answer
    outcome = safety.certain(state, found, ports, content, replaces_held=AlertKind.CRISIS_POSSIBLE)
    return Outcome(outcome.state, (*shown, *outcome.messages), outcome.effects)


def _talk(
    state: SafetyCheck, ports: Ports, content: Content, shown: tuple[Message, ...]
) -> Outcome:
    safety_texts = content.safety
    sent = Reply(safety_texts.talk_sent.format(lines=safety_texts.listed()))
    effects = (
        DropHeldAlerts(AlertKind.CRISIS_POSSIBLE),
        RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": "safety_question"}),
    )
    after, choice = after_crisis.enter(state.leave(), "talk", ports, content)
    return Outcome(after, (*shown, sent, *choice), effects)


def _okay(
    state: SafetyCheck, ports: Ports, content: Content, shown: tuple[Message, ...]
) -> Outcome:
    """ "No": the contact person still hears that the bot asked (not urgent), so the promise
    of the information text holds and they can talk about it; the words go with it."""
    found: dict[str, str | int] = {"source": "question", "where": state.leave().flow}
    if ports.accepted_information_version() is not None:
        found["answer"] = "no"
    noted = RaiseAlert(AlertKind.SAFETY_OKAY, False, found, replaces_held=AlertKind.CRISIS_POSSIBLE)
    after, choice = after_crisis.enter(state.leave(), "noted", ports, content)
    return Outcome(
        after,
        (*shown, Reply(content.safety.okay.format(lines=content.safety.listed())), *choice),
        (noted,),
    )


def _unclear(state: SafetyCheck, ports: Ports, content: Content) -> Outcome:
    """Not a yes, a no or a wish to talk: counts as possible danger, so the coordinator is
    told now (the held alert opens), and the young person is told so, with the lines."""
    safety_texts = content.safety
    text = safety_texts.unclear.format(
        lines=safety_texts.listed(), contact=safety.contact_sentence(ports, content)
    )
    following, paused = safety.where_next(state)
    messages: tuple[Message, ...] = (Reply(text),)
    if paused:
        messages += (Reply(safety_texts.checkin_paused),)
    after, _ = after_crisis.enter(following, "urgent", ports, content)
    return Outcome(after, messages, (ReleaseHeldAlerts(AlertKind.CRISIS_POSSIBLE),))


def _keep(state: State) -> Checkin | Onboarding | None:
    """What the question goes back to: a check-in (also one a draft or /slet held), or the
    information text still waiting for an answer. Anything else is left."""
    if isinstance(state, SafetyCheck | AfterCrisis):
        return state.back_to
    if isinstance(state, IdeaDraft | Deleting):
        return state.checkin
    if isinstance(state, Asked):
        return state.back_to
    if isinstance(state, Checkin | Onboarding):
        return state
    return None


def _buttons(check: SafetyCheck, content: Content) -> tuple[tuple[Button, ...], ...]:
    safety_texts = content.safety
    return (
        (Button(safety_texts.yes_label, _data(check, "yes")),),
        (Button(safety_texts.talk_label, _data(check, "talk")),),
        (Button(safety_texts.no_label, _data(check, "no")),),
    )


def _data(check: SafetyCheck, answer: str) -> str:
    return f"{PREFIX}{check.check_id}|{answer}"


# --- reading a typed answer -----------------------------------------------------------------


def _first_word(text: str) -> str:
    """The first word, as a matching key, with a letter typed again counted once ("nææ")."""
    words = normalize(text).split()
    return _TYPED_AGAIN.sub(r"\1", words[0]) if words else ""


def _firsts(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_first_word(word) for word in words)


def _starts(text: str, phrases: Iterable[str]) -> bool:
    """Whether the text begins with one of the phrases, as whole words."""
    key = normalize(text).split()
    return any(key[: len(p)] == p for p in (normalize(phrase).split() for phrase in phrases))


def _says(text: str, phrases: Iterable[str]) -> bool:
    """Whether one of the phrases is somewhere in the text, as whole words."""
    key = f" {normalize(text)} "
    return any(f" {normalize(phrase)} " in key for phrase in phrases)
