"""A coordinator's caseload at a glance: the week's meetings, the filters of the people list,
and each young person's next planned check-in.

The filters return a SELECT of young people's ids, so the dashboard can combine them with its
own scope (`YoungPerson.id.in_(...)`) and keep one query per page whatever the caseload's size.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from domain.outbox import ReminderKind
from domain.report_queries import day_start
from storage.models import (
    AGREEMENT_RUNNING,
    Agreement,
    Alert,
    AlertStatus,
    Meeting,
    MeetingStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)

QUIET_FOR = timedelta(days=45)


def week_of(day: date) -> tuple[datetime, datetime]:
    """The UTC instants of Monday 00.00 of `day`'s week and of the Monday after (Copenhagen)."""
    monday = day - timedelta(days=day.weekday())
    return day_start(monday), day_start(monday + timedelta(days=7))


def meetings_between(
    session: Session, *, start: datetime, end: datetime, people: Select[int] | None = None
) -> list[Meeting]:
    """Planned (not cancelled) meetings starting in [start, end), in order of time."""
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= start, Meeting.starts_at < end
    )
    if people is not None:
        query = query.where(Meeting.young_person_id.in_(people))
    return list(session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def with_open_alerts() -> Select[int]:
    """Young people with an alert staff can see and have not resolved (open or acknowledged;
    a held alert waits for the young person and is not shown yet)."""
    return select(Alert.young_person_id).where(
        Alert.status.in_([AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
    )


def without_checkin(*, now: datetime, quiet_for: timedelta = QUIET_FOR) -> Select[int]:
    """Young people with no check-in completed in the last 45 days (or never), invited at
    least that long ago, so a new invitation is not flagged."""
    since = now - quiet_for
    recent = select(QuestionnaireResponse.young_person_id).where(
        QuestionnaireResponse.status == ResponseStatus.COMPLETED,
        QuestionnaireResponse.completed_at >= since,
    )
    return select(YoungPerson.id).where(
        YoungPerson.created_at < since, YoungPerson.id.not_in(recent)
    )


def with_overdue_agreements(*, today: date) -> Select[int]:
    """Young people with an agreement still running past its deadline day (Copenhagen)."""
    return select(Agreement.young_person_id).where(
        Agreement.status.in_(AGREEMENT_RUNNING), Agreement.deadline < today
    )


def next_checkins(session: Session, person_ids: list[int]) -> dict[int, datetime]:
    """Per young person, when the next check-in invitation is due (the planner's pending row);
    a young person with none planned is left out."""
    if not person_ids:
        return {}
    r = Reminder
    found = session.execute(
        select(r.young_person_id, func.min(r.due_at).label("due"))
        .where(
            r.young_person_id.in_(person_ids),
            r.kind == ReminderKind.CHECKIN_INVITE,
            r.status == ReminderStatus.PENDING,
        )
        .group_by(r.young_person_id)
    ).all()
    return {row.young_person_id: row.due for row in found}
