"""The answer to a cry for help: support lines at once, and an urgent alert.

Runs before any other flow, in any state. A check-in under way is paused where it was, so
nothing answered is lost and nothing more is asked until the young person wants to go on
(bot/flows/after_crisis.py answers "hvad sker der nu?" meanwhile).

The last sentence tells the truth about who sees the alert and when: while staff are at work
it is e-mailed within a minute (to a colleague when the contact person is away); outside
working hours the office is closed, and the young person is told when it opens, and which
lines are open day and night until then.
"""

from __future__ import annotations

from bot.engine.effects import RaiseAlert
from bot.engine.messages import Message, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import (
    AfterCrisis,
    Asked,
    Checkin,
    Deleting,
    IdeaDraft,
    Idle,
    MeetingReason,
    SafetyCheck,
    State,
)
from bot.flows import after_crisis, checkin
from bot.nlu import CrisisHit
from core.content import Content
from core.locale import format_moment
from domain.alerts.kinds import AlertKind


def respond(state: State, text: str, hit: CrisisHit, ports: Ports, content: Content) -> Outcome:
    """A text the safety net is certain about."""
    return certain(state, details(state, text, hit, ports), ports, content)


def details(state: State, text: str, hit: CrisisHit, ports: Ports) -> dict[str, str | int]:
    """What the coordinator gets with the alert."""
    where = state.leave().flow if isinstance(state, SafetyCheck) else state.flow
    found: dict[str, str | int] = {"source": hit.source, "where": where}
    if ports.accepted_information_version() is not None:
        # The coordinator needs the words to judge how urgent it is. Before the information
        # is accepted, only the fact is passed on: nothing the young person wrote is stored.
        found["text"] = text
    return found


def certain(
    state: State,
    found: dict[str, str | int],
    ports: Ports,
    content: Content,
    *,
    replaces_held: str | None = None,
) -> Outcome:
    """Support lines, the truth about who is told and when, and an urgent alert. With
    `replaces_held`, the alert takes the place of the possible tier's held alert, keeping the
    words that raised it."""
    messages: list[Message] = [Reply(content.safety.render(contact_sentence(ports, content)))]
    following, paused = where_next(state)
    if paused:
        messages.append(Reply(content.safety.checkin_paused))
    after, _ = after_crisis.enter(following, "urgent", ports, content)
    alert = RaiseAlert(AlertKind.CRISIS, True, found, replaces_held=replaces_held)
    return Outcome(after, tuple(messages), (alert,))


def contact_sentence(ports: Ports, content: Content) -> str:
    """Who is told, and when: true by the staff's working hours."""
    safety = content.safety
    away_until = ports.staff_away_until()
    if away_until is None:
        return safety.contact_at_work
    return safety.contact_closed.format(
        when=format_moment(away_until), open_lines=safety.open_lines()
    )


def where_next(state: State) -> tuple[State, bool]:
    """Where the conversation goes after the support lines, and whether a check-in was paused.

    A check-in's questions wait, paused at the same question; an optional question (a reason,
    a topic for next time) is dropped; a draft idea is dropped, with nothing of it sent.
    """
    if isinstance(state, SafetyCheck | AfterCrisis):
        state = state.leave()
    if isinstance(state, Asked | Deleting):
        state = state.leave()  # a "ja" after the support lines must not answer an old question
    if isinstance(state, Checkin) and state.phase == "items":
        return checkin.hold(state), True
    if isinstance(state, Checkin | MeetingReason):
        return Idle(), False
    if isinstance(state, IdeaDraft):
        return state.leave(), False
    return state, False
