"""What the people pages show, read in a few batched queries (no query per young person)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from domain.agreements import overdue_query
from domain.outbox import ReminderKind
from domain.reminder_timing import local_date
from storage.models import (
    Agreement,
    Alert,
    AlertStatus,
    CoordinatorRating,
    Meeting,
    MeetingFeedback,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)

WHO5 = "who5"
BIPS = ("bip_uddannelse", "bip_beskaeftigelse")
LIFE_AREAS = "livsomraader"
# The alerts a young person's row and page show: seen by staff and not resolved yet (a held
# alert waits for the young person's answer and is not shown to anyone).
UNRESOLVED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
# The outbox rows that invite to a check-in (a nudge is not a new check-in).
INVITATIONS = (ReminderKind.CHECKIN_INVITE, ReminderKind.CHECKIN_LATER)
# "No check-in for 45 days": the filter on the people list.
QUIET_FOR = timedelta(days=45)


@dataclass(frozen=True)
class PersonRow:
    id: int
    pseudonym: str
    birth_year: int
    status: str
    last_checkin: datetime | None
    who5: int | None
    trend: int | None  # latest WHO-5 minus the one before
    next_meeting: datetime | None
    open_alerts: int
    urgent: bool
    created_at: datetime | None = None
    next_checkin: datetime | None = None  # the first invitation waiting in the outbox
    overdue_agreements: int = 0

    def quiet_since(self, now: datetime) -> bool:
        """No check-in for 45 days: the last one (or, with none, the invitation) is older."""
        since = self.last_checkin or self.created_at
        return since is not None and since <= now - QUIET_FOR


@dataclass(frozen=True, kw_only=True)
class Filters:
    """The people list's filters, from the query string; each one narrows the list."""

    status: str = ""
    alerts: bool = False
    quiet: bool = False
    overdue: bool = False

    @property
    def any(self) -> bool:
        return bool(self.status) or self.alerts or self.quiet or self.overdue

    def keeps(self, row: PersonRow, *, now: datetime) -> bool:
        return (
            (not self.status or row.status == self.status)
            and (not self.alerts or row.open_alerts > 0)
            and (not self.quiet or row.quiet_since(now))
            and (not self.overdue or row.overdue_agreements > 0)
        )


# What each sortable column sorts by; None sorts last whichever way.
SORTS: dict[str, Callable[[PersonRow], Any]] = {
    "name": lambda row: row.pseudonym.casefold(),
    "status": lambda row: (row.status, row.pseudonym.casefold()),
    "checkin": lambda row: row.last_checkin,
    "who5": lambda row: row.who5,
    "meeting": lambda row: row.next_meeting,
    "alerts": lambda row: (row.urgent, row.open_alerts),
    "next": lambda row: row.next_checkin,
}


def people_rows(session: Session, ids: Select[int], *, now: datetime) -> list[PersonRow]:
    people = session.scalars(select(YoungPerson).where(YoungPerson.id.in_(ids))).all()
    scores: defaultdict[int, list[int]] = defaultdict(list)
    last: dict[int, datetime] = {}
    for person_id, questionnaire, completed_at, score in session.execute(
        select(
            QuestionnaireResponse.young_person_id,
            QuestionnaireResponse.questionnaire_id,
            QuestionnaireResponse.completed_at,
            QuestionnaireResponse.score,
        )
        .where(
            QuestionnaireResponse.young_person_id.in_(ids),
            QuestionnaireResponse.status == ResponseStatus.COMPLETED,
        )
        .order_by(QuestionnaireResponse.completed_at)
    ):
        if completed_at is not None:
            last[person_id] = completed_at
        if questionnaire == WHO5 and score is not None:
            scores[person_id].append(score)
    meetings: dict[int, datetime] = dict(
        session.execute(
            select(Meeting.young_person_id, func.min(Meeting.starts_at))
            .where(
                Meeting.young_person_id.in_(ids),
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at > now,
            )
            .group_by(Meeting.young_person_id)
        ).all()
    )
    invitations: dict[int, datetime] = dict(
        session.execute(
            select(Reminder.young_person_id, func.min(Reminder.due_at))
            .join(YoungPerson, YoungPerson.id == Reminder.young_person_id)
            .where(
                Reminder.young_person_id.in_(ids),
                Reminder.kind.in_(INVITATIONS),
                Reminder.status == ReminderStatus.PENDING,
                Reminder.latest_at >= now,
                # The dispatcher sends to people taking part only: no promise to the others.
                YoungPerson.status == PersonStatus.ACTIVE,
            )
            .group_by(Reminder.young_person_id)
        ).all()
    )
    late = overdue_query(today=local_date(now), people=ids).order_by(None).subquery()
    overdue: dict[int, int] = dict(
        session.execute(
            select(late.c.young_person_id, func.count()).group_by(late.c.young_person_id)
        ).all()
    )
    alerts: defaultdict[int, list[bool]] = defaultdict(list)
    for person_id, urgent in session.execute(
        select(Alert.young_person_id, Alert.urgent).where(
            Alert.young_person_id.in_(ids), Alert.status.in_(UNRESOLVED)
        )
    ):
        alerts[person_id].append(urgent)
    return [
        PersonRow(
            id=person.id,
            pseudonym=person.pseudonym,
            birth_year=person.birth_year,
            status=person.status,
            last_checkin=last.get(person.id),
            who5=scores[person.id][-1] if scores[person.id] else None,
            trend=(scores[person.id][-1] - scores[person.id][-2])
            if len(scores[person.id]) > 1
            else None,
            next_meeting=meetings.get(person.id),
            open_alerts=len(alerts[person.id]),
            urgent=any(alerts[person.id]),
            created_at=person.created_at,
            next_checkin=invitations.get(person.id),
            overdue_agreements=overdue.get(person.id, 0),
        )
        for person in people
    ]


def search_and_sort(
    rows: Sequence[PersonRow],
    *,
    query: str,
    sort: str,
    descending: bool,
    filters: Filters | None = None,
    now: datetime | None = None,
) -> list[PersonRow]:
    wanted = query.strip().casefold()
    found = [row for row in rows if wanted in row.pseudonym.casefold()]
    if filters is not None and now is not None:
        found = [row for row in found if filters.keeps(row, now=now)]
    value = SORTS.get(sort, SORTS["name"])
    present = [row for row in found if value(row) is not None]
    missing = [row for row in found if value(row) is None]
    return sorted(present, key=value, reverse=descending) + sorted(missing, key=SORTS["name"])


@dataclass
class PersonDetail:
    person: YoungPerson
    responses: list[QuestionnaireResponse]
    ratings: dict[str, CoordinatorRating]  # latest per questionnaire
    meetings: list[Meeting]
    agreements: list[Agreement]
    reminders: dict[str, list[Reminder]]  # by subject, e.g. "meeting:3"
    feedback: dict[int, MeetingFeedback]
    alerts: list[Alert]
    bip: str = field(default=BIPS[0])

    def completed(self, questionnaire_id: str) -> list[QuestionnaireResponse]:
        return [
            response
            for response in self.responses
            if response.questionnaire_id == questionnaire_id
            and response.status == ResponseStatus.COMPLETED
        ]


def person_detail(session: Session, person: YoungPerson) -> PersonDetail:
    responses = list(
        session.scalars(
            select(QuestionnaireResponse)
            .where(QuestionnaireResponse.young_person_id == person.id)
            .order_by(QuestionnaireResponse.started_at)
            .options(selectinload(QuestionnaireResponse.answers))
        )
    )
    ratings: dict[str, CoordinatorRating] = {}
    for rating in session.scalars(
        select(CoordinatorRating)
        .where(CoordinatorRating.young_person_id == person.id)
        .order_by(CoordinatorRating.rated_at, CoordinatorRating.id)
    ):
        ratings[rating.questionnaire_id] = rating
    meetings = list(
        session.scalars(
            select(Meeting)
            .where(Meeting.young_person_id == person.id)
            .order_by(Meeting.starts_at.desc())
        )
    )
    reminders: defaultdict[str, list[Reminder]] = defaultdict(list)
    for reminder in session.scalars(
        select(Reminder)
        .where(
            Reminder.young_person_id == person.id,
            Reminder.subject.like("meeting:%") | Reminder.subject.like("agreement:%"),
        )
        .order_by(Reminder.due_at)
    ):
        reminders[reminder.subject].append(reminder)
    plan = person.checkin_plan or {}
    return PersonDetail(
        person=person,
        responses=responses,
        ratings=ratings,
        meetings=meetings,
        agreements=list(
            session.scalars(
                select(Agreement)
                .where(Agreement.young_person_id == person.id)
                .order_by(Agreement.deadline.desc())
            )
        ),
        reminders=dict(reminders),
        feedback={
            feedback.meeting_id: feedback
            for feedback in session.scalars(
                select(MeetingFeedback).where(
                    MeetingFeedback.meeting_id.in_([meeting.id for meeting in meetings])
                )
            )
        },
        alerts=list(
            session.scalars(
                select(Alert)
                .where(Alert.young_person_id == person.id, Alert.status.in_(UNRESOLVED))
                .order_by(Alert.created_at.desc())
            )
        ),
        bip=next((bip for bip in BIPS if bip in plan), BIPS[0]),
    )
