"""A warm answer when a young person says how they feel: sad, lonely, stressed, bullied, trouble
at home, or just bad. Never "I can't help with that", never a command list.

Each answer offers three choices: tell my contact person (a non-urgent contact request: it
reaches the contact person in the next working day's e-mail, so the text promises no "now"),
put it on my next meeting (the next meeting's agenda, or, with none planned, a note for the
coordinator), or no thanks. In the middle of a check-in the questionnaire stays where it was,
and its question is shown again.

Button data: `e|<intent>|tell`, `e|<intent>|topic`, `e|<intent>|no`. The buttons carry no
state: pressing one again, or a forged one, at most asks the coordinator once more to get in
touch, which the young person may do in words anyway. The buttons go once one is pressed.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.effects import AddTopic, Effect, RaiseAlert
from bot.engine.messages import Button, Message, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome
from bot.engine.state import Checkin, State
from bot.flows import checkin, yes_no
from core.content import Content
from domain.alerts.kinds import AlertKind

PREFIX = "e|"
_CHOICES = ("tell", "topic", "no")


def is_feeling(intent: str, content: Content) -> bool:
    return content.texts.feelings.of(intent) is not None


def answer(state: State, intent: str, content: Content, *, now: datetime | None = None) -> Outcome:
    """The warm answer with its three buttons; a check-in under way shows its question again.
    Outside a check-in, and given the time, a typed "ja" or "nej" answers "shall your contact
    person hear about it?" like the buttons (in a check-in, the last question is the item's)."""
    texts = content.texts.feelings
    feeling = texts.of(intent)
    if feeling is None:  # pragma: no cover - callers check is_feeling first
        raise ValueError(f"not a feeling: {intent}")
    buttons = (
        (Button(texts.tell_label, f"{PREFIX}{intent}|tell"),),
        (Button(texts.topic_label, f"{PREFIX}{intent}|topic"),),
        (Button(texts.no_label, f"{PREFIX}{intent}|no"),),
    )
    messages: tuple[Message, ...] = (Reply(f"{feeling.answer}\n\n{texts.ask}", buttons),)
    if now is not None and not isinstance(state, Checkin):
        asked = yes_no.asked(f"{PREFIX}{intent}|tell", f"{PREFIX}{intent}|no", now, state)
        return Outcome(asked, messages)
    return Outcome(state, messages + _checkin_goes_on(state, content))


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
    messages = (RemoveButtons(), Reply(reply), *_again(state, content))
    return Outcome(state, messages, effects)


def _checkin_goes_on(state: State, content: Content) -> tuple[Message, ...]:
    if not isinstance(state, Checkin) or not checkin.fits(state, content):
        return ()
    return (Reply(content.texts.feelings.checkin_goes_on), *checkin.again(state, content))


def _again(state: State, content: Content) -> tuple[Message, ...]:
    if not isinstance(state, Checkin) or not checkin.fits(state, content):
        return ()
    return checkin.again(state, content)
