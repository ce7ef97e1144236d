"""/pause and /start_igen: the young person stops reminders and check-in invitations for a
while, and starts them again. The coordinator sees the status "paused".

Button data: `p|pause` (yes, pause) and `p|no`, offered when a text asks for a pause.
"""

from __future__ import annotations

from bot.engine.effects import SetPaused
from bot.engine.messages import Button, Message, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import State
from bot.flows import checkin, yes_no
from core.content import Content

PREFIX = "p|"
YES, NO = "p|pause", "p|no"


def pause(state: State, ports: Ports, content: Content, *, pressed: bool = False) -> Outcome:
    texts = content.texts.pausing
    messages: list[Message] = [RemoveButtons()] if pressed else []
    following = checkin.hold(state)  # a check-in under way waits too
    if ports.paused():
        return Outcome(following, (*messages, Reply(texts.already_paused)))
    effect = SetPaused(True, ports.now())
    return Outcome(following, (*messages, Reply(texts.paused)), (effect,))


def start_again(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.pausing
    if not ports.paused():
        return Outcome(state, (Reply(texts.not_paused),))
    return Outcome(state, (Reply(texts.started_again),), (SetPaused(False, ports.now()),))


def offer(state: State, ports: Ports, content: Content) -> Outcome:
    """A text that asks for a pause: ask first, because a pause also stops meeting reminders.
    A typed yes or no answers it like the buttons."""
    texts = content.texts.pausing
    buttons = ((Button(texts.offer_yes, YES),), (Button(texts.offer_no, NO),))
    question = yes_no.asked(YES, NO, ports.now(), checkin.hold(state))
    return Outcome(question, (Reply(texts.offer, buttons),))


def handle_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    if data == YES:
        return pause(state, ports, content, pressed=True)
    if data == NO:
        return Outcome(state, (RemoveButtons(), Reply(content.texts.pausing.offer_declined)))
    return Outcome(state, (Toast(content.texts.stale_button),))
