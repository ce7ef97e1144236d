"""A warm answer when a young person says how they feel: sad, lonely, stressed, bullied, trouble
at home, or just bad. Never "I can't help with that", never a command list.

Each answer offers three choices: tell my contact person (a non-urgent contact request: it
reaches the contact person in the next working day's e-mail, so the text promises no "now"),
put it on my next meeting (the next meeting's agenda, or, with none planned, a note for the
coordinator), or no thanks. In the middle of a check-in this question comes first: the
check-in waits where it was (and says so), and its question comes back once a choice is made.
The choices work pressed and typed: the label or a part of it ("sig det til hende", "næste
møde"), a yes or a no ("ja tak", "nej"), or the number the local chat shows (1, 2, 3).

Button data: `e|<intent>|tell`, `e|<intent>|topic`, `e|<intent>|no`. The buttons carry no
state: pressing one again, or a forged one, at most asks the coordinator once more to get in
touch, which the young person may do in words anyway. The buttons go once one is pressed.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.engine.effects import AddTopic, Effect, RaiseAlert
from bot.engine.messages import Button, Event, Message, Press, RemoveButtons, Reply, Text, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Asked, Checkin, State
from bot.flows import checkin, yes_no
from bot.flows.words import means_no, means_yes
from core.content import Content
from core.text import normalize
from domain.alerts.kinds import AlertKind

PREFIX = "e|"
_CHOICES = ("tell", "topic", "no")


def is_feeling(intent: str, content: Content) -> bool:
    return content.texts.feelings.of(intent) is not None


def answer(state: State, intent: str, content: Content, *, now: datetime | None = None) -> Outcome:
    """The warm answer with its three buttons. Given the time, the question is remembered
    (`Asked`), so a typed choice answers it like the buttons; a check-in under way waits in it
    and comes back after the choice. Without the time, a check-in's question is shown again."""
    texts = content.texts.feelings
    feeling = texts.of(intent)
    if feeling is None:  # pragma: no cover - callers check is_feeling first
        raise ValueError(f"not a feeling: {intent}")
    buttons = (
        (Button(texts.tell_label, f"{PREFIX}{intent}|tell"),),
        (Button(texts.topic_label, f"{PREFIX}{intent}|topic"),),
        (Button(texts.no_label, f"{PREFIX}{intent}|no"),),
    )
    waits = _in_checkin(state, content)
    parts = (
        (feeling.answer, texts.checkin_waits, texts.ask) if waits else (feeling.answer, texts.ask)
    )
    messages: tuple[Message, ...] = (Reply("\n\n".join(parts), buttons),)
    if now is not None:
        asked = yes_no.asked(f"{PREFIX}{intent}|tell", f"{PREFIX}{intent}|no", now, state)
        return Outcome(asked, messages)
    return Outcome(state, messages + _checkin_goes_on(state, content))


def typed(state: Asked, event: Event, ports: Ports, content: Content) -> tuple[State, Event]:
    """While "shall your contact person hear about it?" waits: a typed choice becomes the
    press of its button; anything else leaves the question (a check-in goes on)."""
    following = state.leave()
    if not isinstance(event, Text) or ports.now() - state.asked_at > yes_no.ASKED_WAITS:
        return following, event
    intent = state.yes.removeprefix(PREFIX).partition("|")[0]
    choice = _typed_choice(event.text, content)
    if choice is None:
        return following, event
    return following, Press(f"{PREFIX}{intent}|{choice}")


def asks(state: State) -> bool:
    """Whether the question waiting is this flow's."""
    return isinstance(state, Asked) and state.yes.startswith(PREFIX)


def _typed_choice(text: str, content: Content) -> str | None:
    texts = content.texts.feelings
    key = normalize(text)
    if key in _NUMBERS:
        return _NUMBERS[key]
    labels = {"tell": texts.tell_label, "topic": texts.topic_label, "no": texts.no_label}
    for choice, label in labels.items():
        if key and normalize(label).startswith(key) and len(key) >= _LABEL_PART:
            return choice
    if means_no(text, content):
        return "no"
    if _NEGATION.search(key):
        return None  # "min kontaktperson skal ikke vide det": not a choice; answered apart
    if means_yes(text, content) or _TELL.search(key):
        return "tell"
    if _TOPIC.search(key):
        return "topic"
    return None


# The local chat numbers the three buttons; Telegram shows no numbers, and the scale is not
# on the screen while this question waits, so a number means a button.
_NUMBERS = {"1": "tell", "2": "topic", "3": "no"}
_LABEL_PART = 6  # "sig det" or "tag det" typed as the start of a label
_NEGATION = re.compile(r"\b(?:ikke|ik|ikk|ike|aldrig)\b")
_TELL = re.compile(r"\b(?:sig det|si det|fortael|fortaelle|giv besked|send|kontaktperson|ja)\b")
_TOPIC = re.compile(r"\b(?:moede|moedet|naeste gang|tag det med|tage det med)\b")


def handle_press(state: State, data: str, content: Content) -> Outcome:
    texts = content.texts.feelings
    parts = data.split("|")
    intent, choice = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    feeling = texts.of(intent)
    if feeling is None or choice not in _CHOICES:
        return Outcome(state, (Toast(content.texts.stale_button),))
    effects: tuple[Effect, ...] = ()
    if choice == "tell":
        reply = texts.told
        effects = (RaiseAlert(AlertKind.CONTACT_REQUEST, False, {"about": intent}),)
    elif choice == "topic":
        reply = texts.on_agenda
        effects = (AddTopic(feeling.topic),)
    else:
        reply = texts.no_thanks
    messages = (RemoveButtons(), Reply(reply), *_checkin_goes_on(state, content))
    return Outcome(state, messages, effects)


def _in_checkin(state: State, content: Content) -> bool:
    return isinstance(state, Checkin) and checkin.fits(state, content)


def _checkin_goes_on(state: State, content: Content) -> tuple[Message, ...]:
    if not isinstance(state, Checkin) or not checkin.fits(state, content):
        return ()
    return (Reply(content.texts.feelings.checkin_goes_on), *checkin.again(state, content))
