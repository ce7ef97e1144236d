"""Just after the support lines, or after the safety question was answered.

    certain crisis / unclear answer --> AfterCrisis(told="urgent")  [check-in paused]
    "Nej, jeg er okay"              --> AfterCrisis(told="noted")   [continue now or later?]
    "Jeg vil gerne tale med nogen"  --> AfterCrisis(told="talk")    [continue now or later?]

While it lasts (WAITS), a question like "hvad sker der nu?" or "hvem har du sagt det til?"
gets a calm, true answer: who was told, when it is read, and the lines to call. A check-in
that waits goes on only when the young person chooses it: the buttons `s|<after id>|now` and
`s|<after id>|later`, or a typed yes or no. Anything else leaves this state and is handled as
usual, so nothing is swallowed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot.engine.messages import Button, Command, Event, Message, Press, RemoveButtons, Reply, Text
from bot.engine.ports import Outcome, Ports
from bot.engine.state import AfterCrisis, Checkin, Onboarding, State
from bot.flows import checkin
from bot.flows.words import means
from bot.nlu import Understanding
from core.content import Content
from core.locale import format_moment
from core.text import normalize

Told = Literal["urgent", "noted", "talk"]
PREFIX = "s|"
# Long enough for the questions that come right after; after that a text is just a text.
WAITS = timedelta(hours=2)
# Intents a follow-up question is often taken for; with a question mark they are a follow-up.
_FOLLOW_UP_INTENTS = frozenset({"out_of_scope", "help", "ask_privacy", "contact_coordinator"})


def enter(
    state: State, told: Told, ports: Ports, content: Content
) -> tuple[AfterCrisis, tuple[Message, ...]]:
    """The state after the support lines, and the "continue now or later?" question when a
    check-in waits and the young person said they are okay or want to talk."""
    held = checkin.hold(state)  # a check-in's questions wait, paused
    after = AfterCrisis(
        after_id=ports.new_id(),
        at=ports.now(),
        told=told,
        back_to=held if isinstance(held, Checkin | Onboarding) else None,
    )
    if told == "urgent" or not _waiting_checkin(after):
        return after, ()
    return after, (_choice(after, content),)


def handle(
    state: AfterCrisis, event: Event, understanding: Understanding, ports: Ports, content: Content
) -> Outcome | None:
    """The answer while the moment after a crisis lasts, or None: leave it, handle as usual."""
    if ports.now() - state.at > WAITS or isinstance(event, Command):
        return None
    if isinstance(event, Press):
        return _pressed(state, event.data, content)
    if not isinstance(event, Text):
        return None
    texts = content.safety
    words = content.texts.words
    if _waiting_checkin(state):
        if means(event.text, words.yes, words.resume, texts.continue_now_words):
            return _now(state, content, ())
        if means(event.text, words.no, words.decline):
            return _later(state, content, ())
    if asks_what_now(event.text, understanding, content):
        return Outcome(state, (Reply(what_now(state, ports, content)),))
    return None


def asks_what_now(text: str, understanding: Understanding, content: Content) -> bool:
    """ "hvad sker der nu", "hvem har du sagt det til??", "hvad gør i så?"."""
    key = f" {normalize(text)} "
    if any(f" {normalize(phrase)} " in key for phrase in content.safety.what_now_words):
        return True
    return text.rstrip().endswith("?") and understanding.intent in _FOLLOW_UP_INTENTS


def what_now(state: AfterCrisis, ports: Ports, content: Content) -> str:
    """Who was told, when it is read, and the lines: true by the alert that was raised."""
    texts = content.safety
    if state.told == "noted":
        return texts.what_now_noted.format(lines=texts.listed())
    if state.told == "talk":
        return texts.what_now_talk.format(lines=texts.listed())
    away_until = ports.staff_away_until()
    when = (
        texts.read_at_work
        if away_until is None
        else texts.read_closed.format(when=format_moment(away_until))
    )
    return texts.what_now_urgent.format(when=when, lines=texts.listed())


def _pressed(state: AfterCrisis, data: str, content: Content) -> Outcome | None:
    if not data.startswith(f"{PREFIX}{state.after_id}|") or not _waiting_checkin(state):
        return None  # another button: handled (or called stale) as usual
    removed = (RemoveButtons(),)
    if data.endswith("|now"):
        return _now(state, content, removed)
    return _later(state, content, removed)


def _now(state: AfterCrisis, content: Content, shown: tuple[Message, ...]) -> Outcome:
    held = state.back_to
    assert isinstance(held, Checkin)  # noqa: S101 - _waiting_checkin was checked
    resumed = held.model_copy(update={"paused": False})
    going_on = Reply(content.safety.continue_now)
    return Outcome(resumed, (*shown, going_on, *checkin.again(resumed, content)))


def _later(state: AfterCrisis, content: Content, shown: tuple[Message, ...]) -> Outcome:
    held = state.back_to
    assert isinstance(held, Checkin)  # noqa: S101 - _waiting_checkin was checked
    later = Reply(content.safety.continue_later.format(number=held.index + 1))
    return Outcome(held, (*shown, later))


def _choice(state: AfterCrisis, content: Content) -> Reply:
    texts = content.safety
    buttons = (
        (Button(texts.continue_now_label, f"{PREFIX}{state.after_id}|now"),),
        (Button(texts.continue_later_label, f"{PREFIX}{state.after_id}|later"),),
    )
    return Reply(texts.continue_question, buttons)


def _waiting_checkin(state: AfterCrisis) -> bool:
    back = state.back_to
    return isinstance(back, Checkin) and back.phase == "items"
