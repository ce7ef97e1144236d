"""Yes/no questions asked with buttons: a typed "ja" or "nej" presses the matching button.

Questions with a state of their own read typed answers themselves (the information text, the
offer of a first check-in, the deletion questions, an idea's preview). The rest are remembered
as `Asked` with the data of their two buttons, so the typed answer takes exactly the path of
the press, with the same checks. `KEYBOARDS` names every yes/no keyboard and how it is
answered, so a test can go through all of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine.messages import Event, Press, Reply, Text
from bot.engine.ports import Ports
from bot.engine.state import Asked, Checkin, State
from bot.flows.words import means_no, means_yes
from core.content import Content

# A question older than this is no longer what a "ja" answers.
ASKED_WAITS = timedelta(hours=1)


def asked(yes: str, no: str, now: datetime, back_to: State) -> Asked:
    """Remember a yes/no question; a check-in under way is kept for afterwards."""
    return Asked(
        yes=yes, no=no, asked_at=now, back_to=back_to if isinstance(back_to, Checkin) else None
    )


def typed(state: Asked, event: Event, ports: Ports, content: Content) -> tuple[State, Event]:
    """The state and event to go on with: a typed yes or no becomes the press of its button
    (from the state the question was asked in); anything else leaves the question."""
    following = state.leave()
    if not isinstance(event, Text) or ports.now() - state.asked_at > ASKED_WAITS:
        return following, event
    if means_yes(event.text, content):
        return following, Press(state.yes)
    if means_no(event.text, content):
        return following, Press(state.no)
    return following, event


def reminder_answer(text: str, ports: Ports, content: Content) -> Press | Reply | None:
    """A typed yes or no to the newest unanswered reminder question: the press of its button,
    or, for a no to a check-in invitation (which has no no button), a kind "later"."""
    if not (means_yes(text, content) or means_no(text, content)):
        return None
    question = ports.reminder_question()
    if question is None:
        return None
    if means_yes(text, content):
        return Press(question.yes)
    if question.no is None:
        return Reply(content.texts.checkin.later)
    return Press(question.no)
