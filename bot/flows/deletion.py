"""/slet: deleting one's data, confirmed twice.

Button data: `d|1` (first yes), `d|2` (second yes), `d|no`. The second yes only counts right
after the first (the state remembers the step), so an old button cannot delete anything.
How the deletion happens is configuration (`UNGEGUIDE_DELETION`): at once, or as a request the
coordinator completes after exporting to the municipality's case system.
"""

from __future__ import annotations

from datetime import timedelta

from bot.engine.effects import EraseMe, RequestErasure
from bot.engine.messages import Button, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Deleting, Idle, State
from core.content import Content

PREFIX = "d|"
FIRST, SECOND, NO = "d|1", "d|2", "d|no"
# How long the questions wait for the second yes.
CONFIRM_WITHIN = timedelta(minutes=15)


def ask(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    intro = texts.how_immediate if ports.erasure_mode() == "immediate" else texts.how_request
    buttons = ((Button(texts.first_yes, FIRST),), (Button(texts.keep, NO),))
    return Outcome(state, (Reply(f"{texts.first_question}\n\n{intro}", buttons),))


def handle_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    now = ports.now()
    if data == NO:
        following = state.leave() if isinstance(state, Deleting) else state
        return Outcome(following, (RemoveButtons(), Reply(texts.kept)))
    if data == FIRST:
        buttons = ((Button(texts.second_yes, SECOND),), (Button(texts.keep, NO),))
        question = Reply(texts.second_question, buttons)
        running = state.checkin if isinstance(state, Deleting) else state
        kept = running if isinstance(running, Checkin) else None
        return Outcome(Deleting(asked_at=now, checkin=kept), (RemoveButtons(), question))
    fresh = isinstance(state, Deleting) and now - state.asked_at <= CONFIRM_WITHIN
    if data != SECOND or not fresh:
        return Outcome(state, (Toast(content.texts.stale_button),))
    if ports.erasure_mode() == "immediate":
        return Outcome(Idle(), (RemoveButtons(), Reply(texts.deleted)), (EraseMe(now),))
    return Outcome(Idle(), (RemoveButtons(), Reply(texts.requested)), (RequestErasure(now),))
