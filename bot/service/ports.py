"""The engine's Ports, answered from the open database session of one event."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.engine import (
    AgreementView,
    MeetingView,
    PastResult,
    ReminderQuestion,
    WorkshopView,
)
from bot.nlu import Understanding
from bot.service.questions import reminder_question
from domain import workshops
from domain.alerts.kinds import AlertKind
from domain.checkins import open_invitation
from domain.reminder_timing import out_of_quiet_hours
from storage import (
    PersonStatus,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from storage.crypto import keyring
from storage.erasure import export_person
from storage.models import (
    Actor,
    Agreement,
    AgreementStatus,
    Alert,
    Meeting,
    MeetingStatus,
    StaffRole,
    StaffUser,
)

if TYPE_CHECKING:
    from bot.service.shell import ConversationService

# A text (as the engine cleans it) and what it means, parsed before the transaction.
Understood = dict[str, Understanding]
# How many earlier check-ins the young person's chart shows.
HISTORY_SHOWN = 12


class SessionPorts:
    """The engine's Ports, answered from the open session."""

    def meeting(self, meeting_id: int) -> MeetingView | None:
        meeting = owned(self._session, Meeting, meeting_id, self._person)
        if meeting is None or meeting.status != MeetingStatus.PLANNED:
            return None
        return meeting_view(meeting)

    def agreement(self, agreement_id: int) -> AgreementView | None:
        agreement = owned(self._session, Agreement, agreement_id, self._person)
        if agreement is None or agreement.status == AgreementStatus.CANCELLED:
            return None
        if agreement.outcome_by == Actor.COORDINATOR:
            return None  # the coordinator's outcome stands (domain.agreements.record_outcome)
        return agreement_view(agreement)

    def upcoming_meetings(self) -> list[MeetingView]:
        meetings = self._session.scalars(
            select(Meeting)
            .where(
                Meeting.young_person_id == self._person.id,
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at > self._clock(),
            )
            .order_by(Meeting.starts_at)
            .limit(10)
        )
        return [meeting_view(meeting) for meeting in meetings]

    def open_agreements(self) -> list[AgreementView]:
        agreements = self._session.scalars(
            select(Agreement)
            .where(
                Agreement.young_person_id == self._person.id,
                Agreement.status.in_([AgreementStatus.OPEN, AgreementStatus.NOT_YET]),
            )
            .order_by(Agreement.deadline)
            .limit(10)
        )
        return [agreement_view(agreement) for agreement in agreements]

    def __init__(
        self,
        session: Session,
        person: YoungPerson,
        service: ConversationService,
        understood: Understood,
    ) -> None:
        self._session = session
        self._person = person
        self._clock = service.clock
        self._new_id = service.new_id
        self._understander = service.understander
        self._rules = service.rules
        self._erasure_mode = service.erasure_mode
        self._staff_hours = service.staff_hours
        self._understood = understood
        self._recent_ideas = service.recent_ideas

    def understand(self, text: str) -> Understanding:
        known = self._understood.get(text)
        return known if known is not None else self._understander.understand(text)

    def next_allowed(self, moment: datetime) -> datetime:
        return out_of_quiet_hours(moment, self._rules)

    def paused(self) -> bool:
        return self._person.status == PersonStatus.PAUSED

    def deletion_requested(self) -> bool:
        # Ended, and the newest word about deletion is the request (not its withdrawal): a
        # course the coordinator ended without any request is not one.
        if self._person.status != PersonStatus.ENDED:
            return False
        newest = self._session.scalars(
            select(Alert.kind)
            .where(
                Alert.young_person_id == self._person.id,
                Alert.kind.in_([AlertKind.DELETE_REQUEST, AlertKind.DELETE_WITHDRAWN]),
            )
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .limit(1)
        ).first()
        return newest == AlertKind.DELETE_REQUEST

    def course_ended(self) -> bool:
        return self._person.end_outcome is not None

    def erasure_mode(self) -> str:
        return self._erasure_mode

    def my_data(self) -> dict[str, list[dict[str, Any]]]:
        return export_person(self._session, self._person.id)

    def open_invitation(self) -> str | None:
        return open_invitation(self._session, self._person.id, now=self._clock())

    def reminder_question(self) -> ReminderQuestion | None:
        return reminder_question(self._session, self._person.id, now=self._clock())

    def open_workshops(self) -> list[WorkshopView]:
        return [
            WorkshopView(w.id, w.title, w.question, tuple(w.themes))
            for w in workshops.open_workshops(self._session, self._clock())
            if w.themes
        ]

    def idea_problem(self, text: str) -> str | None:
        problem = workshops.idea_problem(text)
        return None if problem is None else problem.value

    def seal(self, text: str) -> str:
        return keyring().encrypt(text)

    def staff_away_until(self) -> datetime | None:
        return self._staff_hours.away_until(self._clock())

    def administrators(self) -> list[str]:
        names = self._session.scalars(
            select(StaffUser.display_name)
            .where(StaffUser.role == StaffRole.ADMIN)
            .order_by(StaffUser.display_name)
        )
        return list(names)

    def recent_ideas(self) -> list[datetime]:
        return self._recent_ideas.of(self._person.id, self._clock())

    def now(self) -> datetime:
        return self._clock()

    def new_id(self) -> str:
        return self._new_id()

    def accepted_information_version(self) -> int | None:
        return self._person.information_version

    def past_results(self, questionnaire_id: str) -> list[PastResult]:
        responses = self._session.scalars(
            select(QuestionnaireResponse)
            .where(
                QuestionnaireResponse.young_person_id == self._person.id,
                QuestionnaireResponse.questionnaire_id == questionnaire_id,
                QuestionnaireResponse.status == ResponseStatus.COMPLETED,
            )
            .order_by(QuestionnaireResponse.completed_at.desc())
            .limit(HISTORY_SHOWN)
            .options(selectinload(QuestionnaireResponse.answers))
        ).all()
        return [
            PastResult(
                completed_at=response.completed_at,
                score=response.score,
                answers={answer.item_id: answer.value for answer in response.answers},
            )
            for response in reversed(responses)
            if response.completed_at is not None
        ]


Owned = TypeVar("Owned", Meeting, Agreement)


def owned(session: Session, model: type[Owned], row_id: int, person: YoungPerson) -> Owned | None:
    """The row, if it exists and belongs to this young person (ids in buttons can be forged)."""
    row = session.get(model, row_id)
    return row if row is not None and row.young_person_id == person.id else None


def meeting_view(meeting: Meeting) -> MeetingView:
    return MeetingView(meeting.id, meeting.kind, meeting.starts_at, meeting.place, meeting.answer)


def agreement_view(agreement: Agreement) -> AgreementView:
    return AgreementView(agreement.id, agreement.goal, agreement.action, agreement.deadline)
