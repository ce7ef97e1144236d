"""The pure conversation engine: (state, event, ports) -> (new state, messages, effects).

Nothing in this package does I/O, reads the clock or imports a channel or the database. The
service (bot/service.py) loads the state, calls `handle`, applies the effects and saves the new
state in one transaction; the channels turn events and messages into their own formats.
"""

from bot.engine.core import MAX_TEXT_LENGTH, handle
from bot.engine.effects import (
    AcceptInformation,
    AnswerMeeting,
    CompleteResponse,
    DeclineInformation,
    Effect,
    EraseMe,
    PostponeCheckin,
    RaiseAlert,
    RequestErasure,
    SaveAnswer,
    SaveFeedback,
    SaveMeetingReason,
    SaveTalkNextTime,
    SetAgreementStatus,
    SetPaused,
    StartResponse,
    StopResponse,
)
from bot.engine.messages import (
    Button,
    Command,
    Event,
    MarkChosen,
    Message,
    Press,
    Reply,
    Text,
    Toast,
    parse_input,
)
from bot.engine.ports import AgreementView, MeetingView, Outcome, PastResult, Ports
from bot.engine.state import Checkin, Idle, Onboarding, State, dump_state, load_state

__all__ = [
    "MAX_TEXT_LENGTH",
    "AcceptInformation",
    "AgreementView",
    "AnswerMeeting",
    "Button",
    "Checkin",
    "Command",
    "CompleteResponse",
    "DeclineInformation",
    "Effect",
    "EraseMe",
    "Event",
    "Idle",
    "MarkChosen",
    "MeetingView",
    "Message",
    "Onboarding",
    "Outcome",
    "PastResult",
    "Ports",
    "PostponeCheckin",
    "Press",
    "RaiseAlert",
    "Reply",
    "RequestErasure",
    "SaveAnswer",
    "SaveFeedback",
    "SaveMeetingReason",
    "SaveTalkNextTime",
    "SetAgreementStatus",
    "SetPaused",
    "StartResponse",
    "State",
    "StopResponse",
    "Text",
    "Toast",
    "dump_state",
    "handle",
    "load_state",
    "parse_input",
]
