"""What the engine may ask the outside world, and what it returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.engine.effects import Effect
from bot.engine.messages import Message
from bot.engine.state import State
from bot.nlu import Understanding


@dataclass(frozen=True)
class MeetingView:
    id: int
    kind: str
    starts_at: datetime
    place: str
    answer: str | None = None


@dataclass(frozen=True)
class AgreementView:
    id: int
    goal: str
    action: str
    deadline: date


@dataclass(frozen=True)
class WorkshopView:
    """A workshop that takes ideas now."""

    id: int
    title: str
    question: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class ReminderQuestion:
    """The yes/no question of a reminder the young person got lately and has not answered:
    the data of its yes button, and of its no button (None when it has none: a check-in
    invitation only has "yes, now")."""

    yes: str
    no: str | None = None


@dataclass(frozen=True)
class PastResult:
    """A completed response of the same questionnaire, for "since last time"."""

    completed_at: datetime
    score: int | None
    answers: Mapping[str, int]


class Ports(Protocol):
    """Read-only facts and fresh values; implemented on a database session by the service."""

    def now(self) -> datetime: ...

    def new_id(self) -> str: ...

    def accepted_information_version(self) -> int | None: ...

    def past_results(self, questionnaire_id: str) -> Sequence[PastResult]:
        """Completed responses of this questionnaire, oldest first (the newest few)."""
        ...

    def meeting(self, meeting_id: int) -> MeetingView | None:
        """One of this young person's planned meetings, or None (unknown, cancelled, another's)."""
        ...

    def agreement(self, agreement_id: int) -> AgreementView | None:
        """One of this young person's agreements that is not cancelled, or None."""
        ...

    def upcoming_meetings(self) -> Sequence[MeetingView]: ...

    def open_agreements(self) -> Sequence[AgreementView]: ...

    def understand(self, text: str) -> Understanding:
        """What a free text means, and whether the safety net caught it."""
        ...

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment`, or the end of the quiet hours it falls in."""
        ...

    def my_data(self) -> dict[str, list[dict[str, Any]]]:
        """Everything stored about the young person, per table, as JSON-ready values."""
        ...

    def erasure_mode(self) -> str:
        """How /slet deletes: "immediate", or "request" (the coordinator completes it)."""
        ...

    def paused(self) -> bool:
        """Whether the young person has paused reminders and check-ins (/pause)."""
        ...

    def deletion_requested(self) -> bool:
        """Whether the young person asked to have their data deleted (/slet as a request) and
        the coordinator has not yet done it."""
        ...

    def course_ended(self) -> bool:
        """Whether the coordinator has ended the young person's course (with an outcome): a
        deletion request can then no longer be taken back in the chat."""
        ...

    def open_invitation(self) -> str | None:
        """The questionnaire of a recent check-in invitation not yet answered, if any."""
        ...

    def reminder_question(self) -> ReminderQuestion | None:
        """The newest reminder of the last hours that asked a yes/no question and is not
        answered yet ("Kommer du?", "Nåede du det?", "Har du et par minutter?"), if any."""
        ...

    def open_workshops(self) -> Sequence[WorkshopView]:
        """The workshops taking ideas now (open, with at least one theme)."""
        ...

    def idea_problem(self, text: str) -> str | None:
        """What is wrong with an idea's text ("empty", "too_long", "no_words"), or None: the
        rule in domain/workshops.py, asked through the port so the engine stays pure."""
        ...

    def seal(self, text: str) -> str:
        """`text` encrypted, to keep a draft in the state without storing it readable."""
        ...

    def staff_away_until(self) -> datetime | None:
        """None while staff are at work; otherwise when the next working hours begin (so the
        bot can say truthfully when someone will see an alert)."""
        ...

    def administrators(self) -> Sequence[str]:
        """The names of the municipality's administrators, who can see every young person's
        answers (the information text names them)."""
        ...

    def recent_ideas(self) -> Sequence[datetime]:
        """When this young person sent ideas lately (kept in memory only, for the flood
        limit; never stored with the person)."""
        ...


@dataclass(frozen=True)
class Outcome:
    state: State
    messages: tuple[Message, ...] = ()
    effects: tuple[Effect, ...] = field(default=())
