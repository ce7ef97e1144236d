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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    SQLColumnExpression,
    Subquery,
    case,
    extract,
    func,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from core.locale import TIMEZONE
from storage.models import (
    AGREEMENT_RUNNING,
    Agreement,
    AgreementStatus,
    CoordinatorChange,
    EndOutcome,
    Meeting,
    MeetingAnswer,
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


def _number_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition`, as an aggregate (NULL over no rows)."""
    return func.sum(case((condition, 1), else_=0))


class _CopenhagenDate(FunctionElement[date]):
    """The Copenhagen calendar day of a stored UTC time, in SQL, as
    `moment.astimezone(TIMEZONE).date()` gives it in Python."""

    type = Date()
    inherit_cache = True


@compiles(_CopenhagenDate)
def _zoned_date(element: _CopenhagenDate, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: the stored timestamptz as wall-clock time in Copenhagen (its own time zone
    # database, whatever the session's time zone), then the day.
    stored = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('{TIMEZONE.key}', {stored}) AS DATE)"


@compiles(_CopenhagenDate, "sqlite")
def _summer_time_date(element: _CopenhagenDate, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite knows no time zones: the rule Copenhagen has kept since 1996 (the EU's), one hour
    # ahead of UTC and two in summer time, from 01.00 UTC on the last Sunday of March to 01.00
    # UTC on the last Sunday of October (the first Sunday from the 25th). Text 'YYYY-MM-DD
    # HH:MM:SS.ffffff' compares as the instants do. tests/domain/test_report_dates.py checks it
    # against zoneinfo.
    stored = compiler.process(element.clauses, **kw)
    year = f"substr({stored}, 1, 4)"
    summer = (
        f"{stored} >= datetime({year} || '-03-25', 'weekday 0', '+1 hours') AND "
        f"{stored} < datetime({year} || '-10-25', 'weekday 0', '+1 hours')"
    )
    # The whole seconds only: date() would round .9995 and later up to the next second.
    shifted = f"CASE WHEN {summer} THEN '+2 hours' ELSE '+1 hours' END"
    return f"date(substr({stored}, 1, 19), {shifted})"


def copenhagen_day(moment: SQLColumnExpression[datetime | None]) -> ColumnElement[date]:
    """The Copenhagen calendar day of a stored time, in SQL (local_date in Python)."""
    return _CopenhagenDate(moment)


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


def _changes_in_force(
    before: datetime, people: People, *, planned_on: date | None = None
) -> Subquery:
    """Each status change made before `before`, with the time of the young person's next change
    (`next`, NULL for their last). A change is the status at a moment t when it was made before
    t and the next one was not: by time, then id, as statuses_at. The next change is found among
    those before `before` only; one made later than that is later than every moment counted, so
    its change is still in force there, as with no next one.

    With `planned_on`, `planned` is the young person's id if they had a long-term plan on that
    day (has_long_term_plan), else NULL: joined to the changes themselves, whose number the
    planner knows, not to the window's rows, whose number it cannot guess."""
    c = PersonStatusChange
    query = select(
        c.young_person_id.label("person"),
        c.to_status.label("status"),
        c.changed_at.label("changed_at"),
        func.lead(c.changed_at)
        .over(partition_by=c.young_person_id, order_by=(c.changed_at, c.id))
        .label("next"),
    ).where(c.changed_at < before, *_among(c.young_person_id, people))
    if planned_on is not None:
        planned = _planned(planned_on)
        query = query.add_columns(planned.c.person.label("planned")).outerjoin(
            planned, planned.c.person == c.young_person_id
        )
    return query.subquery()


def _in_force(changes: Subquery, at: datetime) -> ColumnElement[bool]:
    return (changes.c.changed_at < at) & (changes.c.next.is_(None) | (changes.c.next >= at))


def status_counts_at_moments(
    session: Session, moments: Sequence[datetime], *, people: People = None
) -> list[dict[PersonStatus, int]]:
    """status_counts_at for each of `moments`, in one pass over the status history (a window
    over each young person's changes, rather than one statement a moment)."""
    if not moments:
        return []
    changes = _changes_in_force(max(moments), people)
    found: dict[str, list[int]] = {
        status: counts
        for status, *counts in session.execute(
            select(
                changes.c.status, *(_number_of(_in_force(changes, at)) for at in moments)
            ).group_by(changes.c.status)
        )
    }
    zeros = [0] * len(moments)
    return [
        {status: found.get(status, zeros)[n] or 0 for status in PersonStatus}
        for n in range(len(moments))
    ]


def status_counts_at(
    session: Session, at: datetime, *, people: People = None
) -> dict[PersonStatus, int]:
    """How many young people had each status at the instant `at` (every status, 0 included)."""
    return status_counts_at_moments(session, [at], people=people)[0]


def invited_in(session: Session, *, start: date, end: date, people: People = None) -> int:
    """Young people invited (created) in the period."""
    y = YoungPerson
    new = session.scalar(
        select(func.count(y.id)).where(
            y.created_at >= day_start(start), y.created_at < day_end(end), *_among(y.id, people)
        )
    )
    return new or 0


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


def _day_number(day: SQLColumnExpression[date]) -> ColumnElement[int]:
    """A day as (months since year 0) * 100 + day of the month: 3 months later in the calendar
    is 300 more, and days compare as their numbers do."""
    months = extract("year", day) * 12 + extract("month", day)
    return months * 100 + extract("day", day)


def _reaches_past_plan_months() -> ColumnElement[bool]:
    """An agreement's deadline is after the day it was made (in Copenhagen) plus PLAN_MONTHS, as
    `deadline > add_months(made_on, PLAN_MONTHS)`: the deadline's month is later than the made-on
    day's month plus PLAN_MONTHS, or the same month and a later day. (When add_months cuts a
    day back to a short month's last day, no deadline in that month is after it, and none has
    a later day number either.)"""
    a = Agreement
    made_on = _day_number(copenhagen_day(a.created_at))
    return made_on + PLAN_MONTHS * 100 < _day_number(a.deadline)


def _plans_on(on: date) -> list[ColumnElement[bool]]:
    """The agreements that are a long-term plan on day `on` (see has_long_term_plan)."""
    a = Agreement
    ends = day_end(on)
    return [
        a.created_at < ends,
        a.deadline >= on,
        a.status != AgreementStatus.CANCELLED,
        a.status.in_(AGREEMENT_RUNNING) | (a.outcome_at >= ends),
        _reaches_past_plan_months(),
    ]


def has_long_term_plan(session: Session, person_id: int, *, on: date) -> bool:
    """A young person has a long-term plan on day `on` when an agreement made on or before that
    day reaches more than 3 months ahead of the day it was made (deadline after made-on + 3
    months), and it still ran on that day: its deadline is that day or later, it is not
    cancelled, and it had no outcome yet by the end of that day."""
    a = Agreement
    query = select(a.id).where(a.young_person_id == person_id, *_plans_on(on)).exists()
    return bool(session.scalar(select(query)))


@dataclass(frozen=True, kw_only=True)
class PlanShare:
    with_plan: int  # of `followed`, those with a long-term plan
    followed: int  # active, paused or unreachable at the end of the day

    @property
    def share(self) -> float | None:
        return self.with_plan / self.followed if self.followed else None


def _planned(on: date) -> Subquery:
    """The young people with a long-term plan on day `on`, each once."""
    a = Agreement
    return select(a.young_person_id.label("person")).where(*_plans_on(on)).distinct().subquery()


@dataclass(frozen=True, kw_only=True)
class FollowedAndPlans:
    at_start: int  # followed (active, paused or unreachable) at 00.00 on the first day
    at_end: int  # followed at 24.00 on the last day
    plans: PlanShare  # the followed at the end with a long-term plan that day


def followed_and_plans(
    session: Session, *, start: date, end: date, people: People = None
) -> FollowedAndPlans:
    """The young people followed at the start and at the end of the period, and the long-term
    plan share on its last day (whose `followed` are those followed at the end), in one pass
    over the status history: what a half-year's report shows of them (issue 20 point 4; they
    were three statements, and the plan share counted the followed at the end a second time)."""
    begins, ends = day_start(start), day_end(end)
    changes = _changes_in_force(ends, people, planned_on=end)
    in_force_at_end = _in_force(changes, ends)
    at_start, at_end, with_plan = session.execute(
        select(
            _number_of(_in_force(changes, begins)),
            _number_of(in_force_at_end),
            _number_of(in_force_at_end & changes.c.planned.is_not(None)),
        ).where(changes.c.status.in_(FOLLOWED))
    ).one()
    return FollowedAndPlans(
        at_start=at_start or 0,
        at_end=at_end or 0,
        plans=PlanShare(with_plan=with_plan or 0, followed=at_end or 0),
    )


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
    return meetings_in_period(session, start=start, end=end, now=now, people=people).attendance


@dataclass(frozen=True, kw_only=True)
class MeetingCounts:
    attendance: AttendanceFigures  # held: see meetings_by_attendance
    cancelled: int  # begun in the period, cancelled
    cannot_come: int  # begun in the period, the young person answered "can't come"


def meetings_in_period(
    session: Session, *, start: date, end: date, now: datetime, people: People = None
) -> MeetingCounts:
    """The meetings that began in the period, counted in one pass: those held by attendance
    (not cancelled and begun before `now`), the cancelled ones, and those with "can't come"."""
    m = Meeting
    held = (m.status == MeetingStatus.PLANNED) & (m.starts_at < now)
    row = session.execute(
        select(
            *(_number_of(held & (m.attendance == value)) for value in MeetingAttendance),
            _number_of(held & m.attendance.is_(None)),
            _number_of(m.status == MeetingStatus.CANCELLED),
            _number_of(m.answer == MeetingAnswer.CANNOT_COME),
        ).where(
            m.starts_at >= day_start(start),
            m.starts_at < day_end(end),
            *_among(m.young_person_id, people),
        )
    ).one()
    *attended, not_recorded, cancelled, cannot_come = (count or 0 for count in row)
    by_value = dict(zip(MeetingAttendance, attended, strict=True))
    return MeetingCounts(
        attendance=AttendanceFigures(
            attended=by_value[MeetingAttendance.ATTENDED],
            no_show=by_value[MeetingAttendance.NO_SHOW],
            cancelled_late=by_value[MeetingAttendance.CANCELLED_LATE],
            not_recorded=not_recorded,
        ),
        cancelled=cancelled,
        cannot_come=cannot_come,
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
    done = a.status == AgreementStatus.DONE
    due, *counts, people_due = session.execute(
        select(
            func.count(),
            _number_of(done),
            # On time: by the end of the deadline day in Copenhagen.
            _number_of(done & (copenhagen_day(a.outcome_at) <= a.deadline)),
            _number_of(a.status == AgreementStatus.NOT_DONE),
            _number_of(a.status == AgreementStatus.DROPPED),
            _number_of(a.status.in_(AGREEMENT_RUNNING)),
            func.count(func.distinct(a.young_person_id)),
        ).where(
            a.deadline >= start,
            a.deadline <= end,
            a.status != AgreementStatus.CANCELLED,
            *_among(a.young_person_id, people),
        )
    ).one()
    done_count, on_time, not_done, dropped, running = (count or 0 for count in counts)
    return AgreementOutcomes(
        due=due,
        done=done_count,
        done_on_time=on_time,
        not_done=not_done,
        dropped=dropped,
        running=running,
        people=people_due,
    )
