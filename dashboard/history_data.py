"""One young person's whole history as lines in time order: for the print view and the CSV and
XLSX downloads. Every line has a time (an instant) or a calendar day, what it is, its subject,
a part (a question, a place), a number where there is one, and words.

Read in one query per table; the words are Danish (through dashboard.labels), the numbers stay
numbers so the XLSX can store them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.content import Content, Questionnaire
from core.locale import local
from dashboard import labels
from dashboard.i18n import _
from domain.offers import offers_of
from domain.reminder_timing import at_local
from storage.models import (
    Agreement,
    CoordinatorChange,
    CoordinatorRating,
    Meeting,
    MeetingFeedback,
    PersonStatusChange,
    QuestionnaireResponse,
    ResponseStatus,
    StaffUser,
    YoungPerson,
)

MIDNIGHT = datetime.min.time()


@dataclass(frozen=True)
class Line:
    at: datetime | None  # an instant (UTC), or None for a line about a calendar day
    day: date  # the Copenhagen day of `at`, or the calendar day itself
    what: str
    subject: str
    part: str = ""
    value: int | None = None
    words: str = ""

    @property
    def order(self) -> datetime:
        return self.at if self.at is not None else at_local(self.day, MIDNIGHT)


@dataclass(frozen=True)
class Rated:
    """One questionnaire's values over time: (moment, item id -> value), oldest first."""

    own: list[tuple[datetime, dict[str, int]]]
    coordinator: list[tuple[datetime, dict[str, int]]]


@dataclass
class History:
    person: YoungPerson
    lines: list[Line]
    rated: dict[str, Rated]  # questionnaire id -> the young person's and coordinator's values
    who5: list[tuple[datetime, int]]


def at_day(moment: datetime) -> date:
    return local(moment).date()


def person_history(session: Session, person: YoungPerson, content: Content) -> History:
    names: dict[int, str] = {
        row.id: row.display_name
        for row in session.execute(select(StaffUser.id, StaffUser.display_name))
    }
    lines: list[Line] = []
    rated: dict[str, Rated] = {}
    who5: list[tuple[datetime, int]] = []

    def rated_for(questionnaire_id: str) -> Rated:
        return rated.setdefault(questionnaire_id, Rated(own=[], coordinator=[]))

    for change in session.scalars(
        select(PersonStatusChange)
        .where(PersonStatusChange.young_person_id == person.id)
        .order_by(PersonStatusChange.changed_at, PersonStatusChange.id)
    ):
        lines.append(
            Line(
                change.changed_at,
                at_day(change.changed_at),
                _("Status"),
                labels.status(change.to_status),
                words=names.get(change.changed_by or 0, ""),
            )
        )
    for moved in session.scalars(
        select(CoordinatorChange).where(CoordinatorChange.young_person_id == person.id)
    ):
        lines.append(
            Line(
                moved.changed_at,
                at_day(moved.changed_at),
                _("Contact person"),
                names.get(moved.to_coordinator_id or 0, "–"),
                words=_("before: %(name)s")
                % {"name": names.get(moved.from_coordinator_id or 0, "–")},
            )
        )
    for response in session.scalars(
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.young_person_id == person.id)
        .order_by(QuestionnaireResponse.started_at)
        .options(selectinload(QuestionnaireResponse.answers))
    ):
        lines.extend(
            _response_lines(response, content.questionnaires.get(response.questionnaire_id))
        )
        done = response.status == ResponseStatus.COMPLETED and response.completed_at is not None
        if done and response.completed_at is not None:
            values = {answer.item_id: answer.value for answer in response.answers}
            rated_for(response.questionnaire_id).own.append((response.completed_at, values))
            if response.questionnaire_id == "who5" and response.score is not None:
                who5.append((response.completed_at, response.score))
    for rating in session.scalars(
        select(CoordinatorRating)
        .where(CoordinatorRating.young_person_id == person.id)
        .order_by(CoordinatorRating.rated_at, CoordinatorRating.id)
    ):
        questionnaire = content.questionnaires.get(rating.questionnaire_id)
        values = {item: int(value) for item, value in rating.answers.items()}
        rated_for(rating.questionnaire_id).coordinator.append((rating.rated_at, values))
        title = questionnaire.title if questionnaire else rating.questionnaire_id
        for item_id, value in values.items():
            lines.append(
                Line(
                    rating.rated_at,
                    at_day(rating.rated_at),
                    _("Coordinator's rating"),
                    title,
                    _item_name(questionnaire, item_id),
                    value,
                    _scale_words(questionnaire, value),
                )
            )
        if rating.belief is not None:
            lines.append(
                Line(
                    rating.rated_at,
                    at_day(rating.rated_at),
                    _("Coordinator's rating"),
                    title,
                    _("Belief in education or work (1-5)"),
                    rating.belief,
                )
            )
    meetings = list(session.scalars(select(Meeting).where(Meeting.young_person_id == person.id)))
    feedback = {
        row.meeting_id: row
        for row in session.scalars(
            select(MeetingFeedback).where(MeetingFeedback.meeting_id.in_([m.id for m in meetings]))
        )
    }
    for meeting in meetings:
        state = (
            _("Cancelled")
            if meeting.status == "cancelled"
            else f"{labels.meeting_answer(meeting.answer)}, {labels.attendance(meeting.attendance)}"
        )
        lines.append(
            Line(
                meeting.starts_at,
                at_day(meeting.starts_at),
                _("Meeting"),
                labels.meeting_kind(meeting.kind),
                meeting.place,
                words=state,
            )
        )
        answers = feedback.get(meeting.id)
        if answers is not None:
            for question, given in (
                (_("Was heard"), answers.heard),
                (_("Part of the decisions"), answers.part_of_decisions),
                (_("Knows what happens next"), answers.knows_next),
            ):
                lines.append(
                    Line(
                        answers.answered_at,
                        at_day(answers.answered_at),
                        _("Feedback after the meeting"),
                        labels.meeting_kind(meeting.kind),
                        question,
                        given,
                        labels.feedback_answer(given),
                    )
                )
    for agreement in session.scalars(
        select(Agreement).where(Agreement.young_person_id == person.id)
    ):
        lines.append(
            Line(
                None,
                agreement.deadline,
                _("Agreement (deadline)"),
                agreement.goal,
                agreement.action,
                words=f"{agreement.responsible}, {labels.agreement_status(agreement.status)}",
            )
        )
    for received, offer in offers_of(session, person.id):
        lines.append(Line(None, received.starts_on, _("Offer started"), offer.name))
        if received.ends_on is not None:
            lines.append(Line(None, received.ends_on, _("Offer ended"), offer.name))
    if person.ended_on is not None:
        lines.append(
            Line(
                None,
                person.ended_on,
                _("Course ended"),
                labels.end_outcome(person.end_outcome),
                words=person.end_note or "",
            )
        )
    lines.sort(key=lambda line: line.order)
    return History(person=person, lines=lines, rated=rated, who5=who5)


def _response_lines(
    response: QuestionnaireResponse, questionnaire: Questionnaire | None
) -> list[Line]:
    when = response.completed_at or response.started_at
    title = questionnaire.title if questionnaire else response.questionnaire_id
    state = {
        ResponseStatus.COMPLETED: _("Done"),
        ResponseStatus.STOPPED: _("Stopped"),
    }.get(ResponseStatus(response.status), _("Under way"))
    part = _("Score") if response.score is not None else ""  # a profile has no score
    found = [Line(when, at_day(when), _("Check-in"), title, part, response.score, state)]
    for answer in response.answers:
        found.append(
            Line(
                answer.answered_at,
                at_day(answer.answered_at),
                _("Answer"),
                title,
                _item_name(questionnaire, answer.item_id),
                answer.value,
                _scale_words(questionnaire, answer.value),
            )
        )
    if response.talk_next_time:
        found.append(
            Line(
                when,
                at_day(when),
                _("To talk about next time"),
                title,
                words=response.talk_next_time,
            )
        )
    return found


def _item_name(questionnaire: Questionnaire | None, item_id: str) -> str:
    if questionnaire is None:
        return item_id
    item = next((item for item in questionnaire.items if item.id == item_id), None)
    return (item.short or item.text) if item else item_id


def _scale_words(questionnaire: Questionnaire | None, value: int) -> str:
    option = questionnaire.option(value) if questionnaire else None
    return option.label if option else ""
