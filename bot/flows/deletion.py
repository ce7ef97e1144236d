"""/slet: deleting one's data, confirmed twice.

Button data: `d|1` (first yes), `d|2` (second yes), `d|no`. The second yes only counts right
after the first (the state remembers the step), so an old button cannot delete anything. A
typed yes or no ("fortryd" is a no) answers the question that is asked, just like its button;
any other text while a question is open gets that question once more, short (`d|again`), and
is never taken for something else (a check-in's answer).
How the deletion happens is configuration (`UNGEGUIDE_DELETION`): at once, or as a request the
coordinator completes after exporting to the municipality's case system; a request can be taken
back until then (bot/flows/deletion_hold.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine.effects import EraseMe, RequestErasure
from bot.engine.messages import Button, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Deleting, Idle, State
from bot.flows import checkin
from bot.flows.words import means, means_no, means_yes
from core.content import Content

PREFIX = "d|"
FIRST, SECOND, NO, AGAIN = "d|1", "d|2", "d|no", "d|again"
# The take-back button after a request; answered by bot/flows/deletion_hold.py (its ASK).
TAKE_BACK = "u|ask"
# How long the questions wait for the second yes.
CONFIRM_WITHIN = timedelta(minutes=15)


def ask(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    intro = texts.how_immediate if ports.erasure_mode() == "immediate" else texts.how_request
    buttons = ((Button(texts.first_yes, FIRST),), (Button(texts.keep, NO),))
    asked = Deleting(asked_at=ports.now(), checkin=_running(state), first_yes=False)
    return Outcome(asked, (Reply(f"{texts.first_question}\n\n{intro}", buttons),))


def typed(state: Deleting, text: str, now: datetime, content: Content) -> str | None:
    """The button a typed answer presses ("ja" the asked question's yes, "nej" or "fortryd"
    no), `AGAIN` for any other text while the question is open, or None once it is old."""
    if now - state.asked_at > CONFIRM_WITHIN:
        return None  # an old question: the text is whatever it is
    texts = content.texts.deletion
    words = content.texts.words
    if means_yes(text, content) or means(
        text, [texts.second_yes if state.first_yes else texts.first_yes]
    ):
        return SECOND if state.first_yes else FIRST
    if means_no(text, content) or means(text, words.take_back, words.decline, [texts.keep]):
        return NO
    return AGAIN


def handle_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    now = ports.now()
    if data == AGAIN and isinstance(state, Deleting):
        return _again(state, content)
    if data == NO:
        following = state.leave() if isinstance(state, Deleting) else state
        # A check-in that waited goes on: its question again, so the next answer has a place.
        again = checkin.again(following, content) if isinstance(following, Checkin) else ()
        return Outcome(following, (RemoveButtons(), Reply(texts.kept), *again))
    if data == FIRST:
        buttons = ((Button(texts.second_yes, SECOND),), (Button(texts.keep, NO),))
        immediate = ports.erasure_mode() == "immediate"
        second = texts.second_question if immediate else texts.second_question_request
        asked = Deleting(asked_at=now, checkin=_running(state))
        return Outcome(asked, (RemoveButtons(), Reply(second, buttons)))
    fresh = (
        isinstance(state, Deleting) and state.first_yes and now - state.asked_at <= CONFIRM_WITHIN
    )
    if data != SECOND or not fresh:
        return Outcome(state, (Toast(content.texts.stale_button),))
    if ports.erasure_mode() == "immediate":
        return Outcome(Idle(), (RemoveButtons(), Reply(texts.deleted)), (EraseMe(now),))
    take_back = ((Button(texts.take_back_label, TAKE_BACK),),)
    requested = Reply(texts.requested, take_back)
    return Outcome(Idle(), (RemoveButtons(), requested), (RequestErasure(now),))


def _again(state: Deleting, content: Content) -> Outcome:
    """The question that is open, once more and short, with its two buttons."""
    texts = content.texts.deletion
    if state.first_yes:
        buttons = ((Button(texts.second_yes, SECOND),), (Button(texts.keep, NO),))
        return Outcome(state, (Reply(texts.second_again, buttons),))
    buttons = ((Button(texts.first_yes, FIRST),), (Button(texts.keep, NO),))
    return Outcome(state, (Reply(texts.first_again, buttons),))


def _running(state: State) -> Checkin | None:
    running = state.checkin if isinstance(state, Deleting) else state
    return running if isinstance(running, Checkin) else None
