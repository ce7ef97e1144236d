"""The report's earlier queries, kept as references: the one-pass queries the page runs
(domain/report_queries.py: status_counts_at_moments, followed_and_plans) are checked against
them on random histories. Nothing outside the tests runs them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Subquery

from domain.report_queries import (
    FOLLOWED,
    People,
    PlanShare,
    _among,
    _planned,
    day_end,
    day_start,
    invited_in,
    status_counts_at_moments,
)
from storage.models import PersonStatus, PersonStatusChange


def _latest_statuses(at: datetime, people: People) -> Subquery:
    """As statuses_at, in the database: one row (person, status) per young person, their change
    before `at` with no later one before `at` (by time, then id). An anti-join rather than a
    row_number() window: PostgreSQL guessed a window's first rows at a handful and then looked
    up each young person's agreements one by one (long_term_plan_share)."""
    c, later = PersonStatusChange, aliased(PersonStatusChange)
    newer = (
        select(later.id)
        .where(
            later.young_person_id == c.young_person_id,
            later.changed_at < at,
            (later.changed_at > c.changed_at)
            | ((later.changed_at == c.changed_at) & (later.id > c.id)),
        )
        .exists()
    )
    return (
        select(c.young_person_id.label("person"), c.to_status.label("status"))
        .where(c.changed_at < at, *_among(c.young_person_id, people), ~newer)
        .subquery()
    )


@dataclass(frozen=True, kw_only=True)
class PeopleFlow:
    at_start: dict[PersonStatus, int]  # at 00.00 on the first day
    at_end: dict[PersonStatus, int]  # at 24.00 on the last day
    new: int  # invited in the period
    ended: int  # young people whose status changed to ended in the period


def people_flow(session: Session, *, start: date, end: date, people: People = None) -> PeopleFlow:
    begins, ends = day_start(start), day_end(end)
    c = PersonStatusChange
    ended = session.scalar(
        select(func.count(func.distinct(c.young_person_id))).where(
            c.to_status == PersonStatus.ENDED,
            c.changed_at >= begins,
            c.changed_at < ends,
            *_among(c.young_person_id, people),
        )
    )
    at_start, at_end = status_counts_at_moments(session, [begins, ends], people=people)
    return PeopleFlow(
        at_start=at_start,
        at_end=at_end,
        new=invited_in(session, start=start, end=end, people=people),
        ended=ended or 0,
    )


def long_term_plan_share(session: Session, *, on: date, people: People = None) -> PlanShare:
    """Of the young people followed at the end of day `on` (active, paused or unreachable),
    how many had a long-term plan on that day."""
    latest = _latest_statuses(day_end(on), people)
    planned = _planned(on)
    # One statement, each table read once: those followed, each beside their plan if they have
    # one (a hash join; looking up each one's agreements took three times as long).
    count, with_plan = session.execute(
        select(func.count(), func.count(planned.c.person))
        .select_from(latest)
        .outerjoin(planned, planned.c.person == latest.c.person)
        .where(latest.c.status.in_(FOLLOWED))
    ).one()
    return PlanShare(with_plan=with_plan, followed=count)
