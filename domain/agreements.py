"""Agreements from the goal-and-agreement form: create, change and cancel them, with their
reminders (before the deadline, on the day, "did you make it?" after) in the same transaction;
record their outcome (done, not done, dropped: when, and by whom); find the overdue ones.

Rules:
- A new agreement's deadline is today or later. An edit may keep a deadline that has passed
  (an overdue agreement can be corrected without moving it), but not move it into the past.
- An outcome ends the reminders. The coordinator can set or change any outcome, and reopen an
  agreement; the young person's answer never overrides an outcome the coordinator recorded.
- Overdue: still running (open or "not yet") and the deadline day has passed in Copenhagen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from domain.errors import PlanningError
from domain.outbox import Subject, latest_allowed, replace_reminders
from domain.reminder_timing import DEFAULT_RULES, ReminderRules, agreement_times, local_date, plan
from storage.models import (
    AGREEMENT_OUTCOMES,
    AGREEMENT_RUNNING,
    Actor,
    Agreement,
    AgreementStatus,
    YoungPerson,
)


@dataclass(frozen=True, kw_only=True)
class AgreementDetails:
    goal: str
    action: str
    responsible: str
    deadline: date


def create_agreement(
    session: Session,
    person_id: int,
    details: AgreementDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Agreement:
    if session.get(YoungPerson, person_id) is None:
        raise PlanningError(f"no young person {person_id}")
    agreement = Agreement(young_person_id=person_id, created_at=now, status=AgreementStatus.OPEN)
    _fill_agreement(agreement, details, now=now, previous=None)
    session.add(agreement)
    session.flush()
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def update_agreement(
    session: Session,
    agreement_id: int,
    details: AgreementDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Agreement:
    agreement = _agreement(session, agreement_id)
    _fill_agreement(agreement, details, now=now, previous=agreement.deadline)
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def cancel_agreement(session: Session, agreement_id: int, *, now: datetime) -> Agreement:
    agreement = _agreement(session, agreement_id)
    agreement.status = AgreementStatus.CANCELLED
    replace_reminders(
        session, agreement.young_person_id, Subject.agreement(agreement.id), [], now=now
    )
    return agreement


def record_outcome(
    session: Session,
    agreement_id: int,
    outcome: AgreementStatus,
    *,
    by: Actor,
    now: datetime,
    staff_id: int | None = None,
) -> bool:
    """Record done, not done or dropped, with when and who; pending reminders are cancelled.

    True if stored. The young person's answer is not stored (False) over the coordinator's
    outcome, nor on a cancelled agreement."""
    if outcome not in AGREEMENT_OUTCOMES:
        raise PlanningError(f"{outcome} is not an outcome")
    agreement = _agreement(session, agreement_id)
    if by == Actor.YOUNG_PERSON and (
        agreement.status == AgreementStatus.CANCELLED or agreement.outcome_by == Actor.COORDINATOR
    ):
        return False
    if agreement.status == AgreementStatus.CANCELLED:
        raise PlanningError("the agreement was cancelled")
    agreement.status = outcome
    agreement.outcome_at = now
    agreement.outcome_by = by
    agreement.outcome_staff_id = staff_id if by == Actor.COORDINATOR else None
    agreement.done_at = now if outcome == AgreementStatus.DONE else None
    replace_reminders(
        session, agreement.young_person_id, Subject.agreement(agreement.id), [], now=now
    )
    return True


def answer_from_young_person(
    session: Session, agreement_id: int, answer: str, *, now: datetime
) -> bool:
    """The young person's button on an agreement reminder: "done", "not_yet" or "dropped".

    "done" and "dropped" ("den er ikke aktuel mere") are those outcomes. "not_yet" before or
    on the deadline day keeps the agreement running (status not_yet, its reminders stay);
    after the deadline day it is the answer to "did you make it?", so the outcome is not done.
    True if something was stored."""
    agreement = _agreement(session, agreement_id)
    if answer == "done":
        return record_outcome(
            session, agreement_id, AgreementStatus.DONE, by=Actor.YOUNG_PERSON, now=now
        )
    if answer == "dropped":
        return record_outcome(
            session, agreement_id, AgreementStatus.DROPPED, by=Actor.YOUNG_PERSON, now=now
        )
    if answer != "not_yet":
        raise PlanningError(f"unknown answer {answer!r}")
    if local_date(now) > agreement.deadline:
        return record_outcome(
            session, agreement_id, AgreementStatus.NOT_DONE, by=Actor.YOUNG_PERSON, now=now
        )
    if agreement.status not in AGREEMENT_RUNNING:
        return False
    agreement.status = AgreementStatus.NOT_YET
    return True


def reopen_agreement(
    session: Session,
    agreement_id: int,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Agreement:
    """Undo an outcome (the coordinator's mistake, or a young person's wrong button): the
    agreement runs again, and its reminders still ahead are planned again."""
    agreement = _agreement(session, agreement_id)
    if agreement.status not in AGREEMENT_OUTCOMES:
        raise PlanningError("only an agreement with an outcome can be reopened")
    agreement.status = AgreementStatus.OPEN
    agreement.outcome_at = agreement.outcome_by = agreement.outcome_staff_id = None
    agreement.done_at = None
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def overdue_query(*, today: date, people: Select[int] | None = None) -> Select[Agreement]:
    """Agreements still running whose deadline day is before `today` (Copenhagen), oldest
    deadline first; `people` limits them to a set of young people's ids."""
    query = select(Agreement).where(
        Agreement.status.in_(AGREEMENT_RUNNING), Agreement.deadline < today
    )
    if people is not None:
        query = query.where(Agreement.young_person_id.in_(people))
    return query.order_by(Agreement.deadline, Agreement.id)


def overdue_agreements(
    session: Session, *, today: date, people: Select[int] | None = None
) -> list[Agreement]:
    return list(session.scalars(overdue_query(today=today, people=people)))


def is_overdue(agreement: Agreement, *, today: date) -> bool:
    return agreement.status in AGREEMENT_RUNNING and agreement.deadline < today


def _fill_agreement(
    agreement: Agreement, details: AgreementDetails, *, now: datetime, previous: date | None
) -> None:
    # A deadline that passed may stay as it is; a new or moved one must not lie in the past.
    if details.deadline != previous and details.deadline < local_date(now):
        raise PlanningError("the deadline has passed")
    for name in ("goal", "action", "responsible"):
        if not getattr(details, name).strip():
            raise PlanningError(f"an agreement needs a {name}")
    agreement.goal = details.goal.strip()
    agreement.action = details.action.strip()
    agreement.responsible = details.responsible.strip()
    agreement.deadline = details.deadline


def _plan_agreement(
    session: Session, agreement: Agreement, *, now: datetime, rules: ReminderRules
) -> None:
    if agreement.status not in AGREEMENT_RUNNING:  # an outcome or a cancel: nothing to remind
        replace_reminders(
            session, agreement.young_person_id, Subject.agreement(agreement.id), [], now=now
        )
        return
    planned = plan(agreement_times(agreement.deadline, rules), now=now, event_at=None, rules=rules)
    rows = [
        (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules))
        for item in planned
    ]
    replace_reminders(
        session, agreement.young_person_id, Subject.agreement(agreement.id), rows, now=now
    )


def _agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise PlanningError(f"no agreement {agreement_id}")
    return agreement
