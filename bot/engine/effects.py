"""Writes the engine asks for. The service applies them in the same transaction as the state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AcceptInformation:
    version: int
    at: datetime


@dataclass(frozen=True)
class DeclineInformation:
    """A young person who had accepted an older information text says no to the new one."""

    at: datetime


@dataclass(frozen=True)
class StartResponse:
    response_id: str
    questionnaire_id: str
    questionnaire_version: int
    at: datetime


@dataclass(frozen=True)
class SaveAnswer:
    """Store (or, after going back, replace) the answer to one item."""

    response_id: str
    item_id: str
    value: int
    at: datetime


@dataclass(frozen=True)
class CompleteResponse:
    response_id: str
    score: int | None
    at: datetime


@dataclass(frozen=True)
class StopResponse:
    response_id: str
    at: datetime


@dataclass(frozen=True)
class SaveTalkNextTime:
    response_id: str
    text: str


@dataclass(frozen=True)
class AnswerMeeting:
    meeting_id: int
    answer: str  # "coming" or "cannot_come"
    at: datetime


@dataclass(frozen=True)
class SaveMeetingReason:
    meeting_id: int
    text: str


@dataclass(frozen=True)
class SetAgreementStatus:
    agreement_id: int
    status: str  # "done", "not_yet" or "dropped"
    at: datetime


@dataclass(frozen=True)
class SaveFeedback:
    meeting_id: int
    question: int  # 0, 1 or 2
    value: int  # 1 no, 2 partly, 3 yes
    at: datetime


@dataclass(frozen=True)
class RaiseAlert:
    """An alert for the coordinator. An urgent one also reaches them out of band (e-mail),
    in the same transaction. With `hold_until`, the alert waits unseen until then, and opens
    unless a DropHeldAlerts (the young person answered) comes first. With `replaces_held`, it
    takes the place of this young person's held alert of that kind, keeping its words (the
    young person answered "yes" to the question the held alert waited for)."""

    kind: str
    urgent: bool
    details: dict[str, str | int]
    hold_until: datetime | None = None
    replaces_held: str | None = None


@dataclass(frozen=True)
class DropHeldAlerts:
    """The young person answered the question a held alert waited for: nobody needs to see it."""

    kind: str


@dataclass(frozen=True)
class ReleaseHeldAlerts:
    """Open this young person's held alerts of `kind` now (an unclear answer counts as no
    answer: the coordinator looks)."""

    kind: str


@dataclass(frozen=True)
class AddTopic:
    """Something the young person wants to talk about: on the next meeting's agenda, or, with
    no meeting planned, an alert so the coordinator takes it up."""

    text: str


@dataclass(frozen=True)
class PostponeCheckin:
    """Remind the young person of this questionnaire at `until` (quiet hours already applied)."""

    questionnaire_id: str
    until: datetime


@dataclass(frozen=True)
class SetPaused:
    """/pause (True) or /start_igen (False): reminders and check-in invitations stop or resume."""

    paused: bool
    at: datetime


@dataclass(frozen=True)
class EraseMe:
    """Delete everything stored about this young person now (the configuration allows it)."""

    at: datetime


@dataclass(frozen=True)
class RequestErasure:
    """Ask the coordinator to delete everything (after archiving); no more messages meanwhile."""

    at: datetime


@dataclass(frozen=True)
class WithdrawErasure:
    """The young person takes a deletion request back: taking part again, and the coordinator
    is told (as the request itself told them)."""

    at: datetime


@dataclass(frozen=True)
class SaveIdea:
    """Store an anonymous idea, with no link to the young person; the young person is added
    to the workshop's followers apart from it. `sealed_text` is the text as the `seal` port
    returned it."""

    workshop_id: int
    theme: str
    sealed_text: str


Effect = (
    AcceptInformation
    | DeclineInformation
    | AnswerMeeting
    | SaveMeetingReason
    | SetAgreementStatus
    | SaveFeedback
    | RaiseAlert
    | DropHeldAlerts
    | ReleaseHeldAlerts
    | AddTopic
    | PostponeCheckin
    | SetPaused
    | EraseMe
    | RequestErasure
    | WithdrawErasure
    | StartResponse
    | SaveAnswer
    | CompleteResponse
    | StopResponse
    | SaveTalkNextTime
    | SaveIdea
)
