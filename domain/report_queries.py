"""The key-figure report's queries for a young person's course (issue 18 point 6): plain reads
that take a period of Copenhagen calendar days (`start` and `end`, both included) and, as
`people`, an optional SELECT of the young people's ids that may be counted (None: everyone).

Definitions (each function says its own in full):
- Status at a moment: the status of each young person's last status change before it
  (person_status_change; people from before revision 0012 have their status of then from their
  creation). Erased young people are not counted anywhere: nothing about them is left.
- Counts at the start: statuses at 00.00 of the first day; at the end: at 24.00 of the last day.
- New: invited (created) in the period. Ended: changed to ended in the period.
- Outcomes: courses ended with an outcome whose end day is in the period.
- Offers: per offer, offers received that started in the period, those running at some time in
  the period, and the young people with one running.
- Long-term plan (`has_long_term_plan`): an agreement, rather than a separate plan flag, because
  the goal-and-agreement form already holds it and nothing more has to be registered (seed 002:
  manual registration is too costly).
- Changes of contact person: recorded reassignments (domain.lifecycle.reassign) in the period.
- Meetings held: not cancelled meetings that began in the period before `now`, by the
  attendance the coordinator recorded, and those with none recorded yet.
- Agreements: not cancelled agreements whose deadline is in the period, by their outcome.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, Subquery, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.locale import TIMEZONE
from storage.models import (
    AGREEMENT_RUNNING,
    Agreement,
    AgreementStatus,
    CoordinatorChange,
    EndOutcome,
    Meeting,
    MeetingAttendance,
    MeetingStatus,
    Offer,
    PersonOffer,
    PersonStatus,
    PersonStatusChange,
    YoungPerson,
)

People = Select[int] | None
PLAN_MONTHS = 3
# Followed by a coordinator at a moment: taking part, on a pause, or not reachable for now.
FOLLOWED = (PersonStatus.ACTIVE, PersonStatus.PAUSED, PersonStatus.UNREACHABLE)


def day_start(day: date) -> datetime:
    """The UTC instant of 00.00 on `day` in Copenhagen."""
    return datetime.combine(day, time(), tzinfo=TIMEZONE).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The UTC instant of 24.00 on `day` in Copenhagen (00.00 the day after; exclusive)."""
    return day_start(day + timedelta(days=1))


def _among(column: InstrumentedAttribute[int], people: People) -> list[ColumnElement[bool]]:
    return [] if people is None else [column.in_(people)]


# --- people ---------------------------------------------------------------------------------


def statuses_at(session: Session, at: datetime, *, people: People = None) -> dict[int, str]:
    """Each young person's status at the instant `at` (those invited before it)."""
    c = PersonStatusChange
    found: dict[int, str] = {}
    for person_id, status in session.execute(
        select(c.young_person_id, c.to_status)
        .where(c.changed_at < at, *_among(c.young_person_id, people))
        .order_by(c.young_person_id, c.changed_at, c.id)
    ):
        found[person_id] = status  # the last one wins
    return found


def _latest_statuses(at: datetime, people: People) -> Subquery:
    """As statuses_at, in the database: one row (person, status) per young person."""
    c = PersonStatusChange
    ranked = (
        select(
            c.young_person_id.label("person"),
            c.to_status.label("status"),
            func.row_number()
            .over(partition_by=c.young_person_id, order_by=(c.changed_at.desc(), c.id.desc()))
            .label("newest"),
        )
        .where(c.changed_at < at, *_among(c.young_person_id, people))
        .subquery()
    )
    return select(ranked.c.person, ranked.c.status).where(ranked.c.newest == 1).subquery()


def status_counts_at(
    session: Session, at: datetime, *, people: People = None
) -> dict[PersonStatus, int]:
    """How many young people had each status at the instant `at` (every status, 0 included)."""
    latest = _latest_statuses(at, people)
    counted: dict[str, int] = dict(
        session.execute(select(latest.c.status, func.count()).group_by(latest.c.status)).all()
    )
    return {status: counted.get(status, 0) for status in PersonStatus}


@dataclass(frozen=True, kw_only=True)
class PeopleFlow:
    at_start: dict[PersonStatus, int]  # at 00.00 on the first day
    at_end: dict[PersonStatus, int]  # at 24.00 on the last day
    new: int  # invited in the period
    ended: int  # young people whose status changed to ended in the period


def people_flow(session: Session, *, start: date, end: date, people: People = None) -> PeopleFlow:
    begins, ends = day_start(start), day_end(end)
    y, c = YoungPerson, PersonStatusChange
    new = session.scalar(
        select(func.count(y.id)).where(
            y.created_at >= begins, y.created_at < ends, *_among(y.id, people)
        )
    )
    ended = session.scalar(
        select(func.count(func.distinct(c.young_person_id))).where(
            c.to_status == PersonStatus.ENDED,
            c.changed_at >= begins,
            c.changed_at < ends,
            *_among(c.young_person_id, people),
        )
    )
    return PeopleFlow(
        at_start=status_counts_at(session, begins, people=people),
        at_end=status_counts_at(session, ends, people=people),
        new=new or 0,
        ended=ended or 0,
    )


def end_outcomes(
    session: Session, *, start: date, end: date, people: People = None
) -> dict[EndOutcome, int]:
    """Courses ended with each outcome, by the end day in the period (every outcome, 0 too)."""
    y = YoungPerson
    counted: dict[str | None, int] = dict(
        session.execute(
            select(y.end_outcome, func.count())
            .where(
                y.end_outcome.is_not(None),
                y.ended_on >= start,
                y.ended_on <= end,
                *_among(y.id, people),
            )
            .group_by(y.end_outcome)
        ).all()
    )
    return {outcome: counted.get(outcome, 0) for outcome in EndOutcome}


# --- offers ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OfferFigure:
    offer_id: int
    name: str
    started: int  # offers received that started in the period
    running: int  # offers received that ran on at least one day of the period
    people: int  # young people with this offer running in the period


def offers_received(
    session: Session, *, start: date, end: date, people: People = None
) -> list[OfferFigure]:
    """Per offer (retired ones too, by name), what was received in the period."""
    p = PersonOffer
    rows = session.execute(
        select(p.offer_id, p.young_person_id, p.starts_on).where(
            p.starts_on <= end,
            (p.ends_on.is_(None)) | (p.ends_on >= start),
            *_among(p.young_person_id, people),
        )
    ).all()
    figures = []
    for offer in session.scalars(select(Offer).order_by(func.lower(Offer.name), Offer.id)):
        mine = [row for row in rows if row.offer_id == offer.id]
        figures.append(
            OfferFigure(
                offer_id=offer.id,
                name=offer.name,
                started=sum(row.starts_on >= start for row in mine),
                running=len(mine),
                people=len({row.young_person_id for row in mine}),
            )
        )
    return figures


# --- long-term plans ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 January + 1 = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plans_on(on: date) -> Select[int, datetime, date]:
    """The young people with a long-term plan on day `on` (see has_long_term_plan)."""
    a = Agreement
    ends = day_end(on)
    return select(a.young_person_id, a.created_at, a.deadline).where(
        a.created_at < ends,
        a.deadline >= on,
        a.status != AgreementStatus.CANCELLED,
        a.status.in_(AGREEMENT_RUNNING) | (a.outcome_at >= ends),
    )


def _long_term(created_at: datetime, deadline: date) -> bool:
    made_on = created_at.astimezone(TIMEZONE).date()
    return deadline > add_months(made_on, PLAN_MONTHS)


def has_long_term_plan(session: Session, person_id: int, *, on: date) -> bool:
    """A young person has a long-term plan on day `on` when an agreement made on or before that
    day reaches more than 3 months ahead of the day it was made (deadline after made-on + 3
    months), and it still ran on that day: its deadline is that day or later, it is not
    cancelled, and it had no outcome yet by the end of that day."""
    query = _plans_on(on).where(Agreement.young_person_id == person_id)
    return any(_long_term(created, deadline) for _p, created, deadline in session.execute(query))


@dataclass(frozen=True, kw_only=True)
class PlanShare:
    with_plan: int  # of `followed`, those with a long-term plan
    followed: int  # active, paused or unreachable at the end of the day

    @property
    def share(self) -> float | None:
        return self.with_plan / self.followed if self.followed else None


def long_term_plan_share(session: Session, *, on: date, people: People = None) -> PlanShare:
    """Of the young people followed at the end of day `on` (active, paused or unreachable),
    how many had a long-term plan on that day."""
    latest = _latest_statuses(day_end(on), people)
    followed = select(latest.c.person).where(latest.c.status.in_(FOLLOWED)).subquery()
    count = session.scalar(select(func.count()).select_from(followed)) or 0
    a = Agreement
    planned = {
        person
        for person, created, deadline in session.execute(
            _plans_on(on).join(followed, followed.c.person == a.young_person_id)
        )
        if _long_term(created, deadline)
    }
    return PlanShare(with_plan=len(planned), followed=count)


# --- contact persons, meetings, agreements --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ContactChanges:
    changes: int
    people: int  # young people whose contact person changed at least once


def contact_person_changes(
    session: Session, *, start: date, end: date, people: People = None
) -> ContactChanges:
    c = CoordinatorChange
    changes, moved = session.execute(
        select(func.count(), func.count(func.distinct(c.young_person_id))).where(
            c.changed_at >= day_start(start),
            c.changed_at < day_end(end),
            *_among(c.young_person_id, people),
        )
    ).one()
    return ContactChanges(changes=changes, people=moved)


@dataclass(frozen=True, kw_only=True)
class AttendanceFigures:
    attended: int
    no_show: int
    cancelled_late: int
    not_recorded: int  # began, not cancelled, and the coordinator has not recorded it yet

    @property
    def held(self) -> int:
        """Meetings the young person came to."""
        return self.attended


def meetings_by_attendance(
    session: Session, *, start: date, end: date, now: datetime, people: People = None
) -> AttendanceFigures:
    m = Meeting
    counted: dict[str | None, int] = dict(
        session.execute(
            select(m.attendance, func.count())
            .where(
                m.status == MeetingStatus.PLANNED,
                m.starts_at >= day_start(start),
                m.starts_at < min(day_end(end), now),
                *_among(m.young_person_id, people),
            )
            .group_by(m.attendance)
        ).all()
    )
    return AttendanceFigures(
        attended=counted.get(MeetingAttendance.ATTENDED, 0),
        no_show=counted.get(MeetingAttendance.NO_SHOW, 0),
        cancelled_late=counted.get(MeetingAttendance.CANCELLED_LATE, 0),
        not_recorded=counted.get(None, 0),
    )


@dataclass(frozen=True, kw_only=True)
class AgreementOutcomes:
    due: int  # not cancelled, deadline in the period
    done: int
    done_on_time: int  # done on or before the deadline day (Copenhagen)
    not_done: int
    dropped: int
    running: int  # no outcome yet (open, or "not yet")
    people: int  # young people with an agreement due


def agreement_outcomes(
    session: Session, *, start: date, end: date, people: People = None
) -> AgreementOutcomes:
    a = Agreement
    rows = session.execute(
        select(a.young_person_id, a.status, a.deadline, a.outcome_at).where(
            a.deadline >= start,
            a.deadline <= end,
            a.status != AgreementStatus.CANCELLED,
            *_among(a.young_person_id, people),
        )
    ).all()
    statuses = Counter(row.status for row in rows)
    on_time = sum(
        row.status == AgreementStatus.DONE
        and row.outcome_at is not None
        and row.outcome_at.astimezone(TIMEZONE).date() <= row.deadline
        for row in rows
    )
    return AgreementOutcomes(
        due=len(rows),
        done=statuses[AgreementStatus.DONE],
        done_on_time=on_time,
        not_done=statuses[AgreementStatus.NOT_DONE],
        dropped=statuses[AgreementStatus.DROPPED],
        running=sum(statuses[status] for status in AGREEMENT_RUNNING),
        people=len({row.young_person_id for row in rows}),
    )
