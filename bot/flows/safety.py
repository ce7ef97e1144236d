"""The answer to a possible cry for help: support lines at once, and an urgent alert.

Runs before any other flow, in any state. A check-in under way is paused where it was, so
nothing answered is lost and nothing more is asked until the young person wants to go on.
"""

from __future__ import annotations

from bot.content import Content
from bot.engine.effects import RaiseAlert
from bot.engine.messages import Message, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, IdeaDraft, Idle, MeetingReason, State
from bot.flows import checkin
from bot.nlu import CrisisHit

ALERT_KIND = "crisis"


def respond(state: State, text: str, hit: CrisisHit, ports: Ports, content: Content) -> Outcome:
    details: dict[str, str | int] = {"source": hit.source, "where": state.flow}
    if ports.accepted_information_version() is not None:
        # The coordinator needs the words to judge how urgent it is. Before the information
        # is accepted, only the fact is passed on: nothing the young person wrote is stored.
        details["text"] = text
    messages: list[Message] = [Reply(content.safety.render())]
    following: State = state
    if isinstance(state, Checkin) and state.phase == "items":
        following = checkin.hold(state)
        messages.append(Reply(content.safety.checkin_paused))
    elif isinstance(state, Checkin | MeetingReason):
        following = Idle()
    elif isinstance(state, IdeaDraft):
        following = state.leave()  # nothing of the draft is sent
    return Outcome(following, tuple(messages), (RaiseAlert(ALERT_KIND, True, details),))
