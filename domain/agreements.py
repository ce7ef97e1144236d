"""Agreements from the goal-and-agreement form: create, change and cancel them, with their
reminders (before the deadline, on the day, "did you make it?" after) in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from domain.errors import PlanningError
from domain.outbox import Subject, latest_allowed, replace_reminders
from domain.reminder_timing import DEFAULT_RULES, ReminderRules, agreement_times, local_date, plan
from storage.models import Agreement, AgreementStatus, YoungPerson


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
    _fill_agreement(agreement, details, now=now)
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
    _fill_agreement(agreement, details, now=now)
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def cancel_agreement(session: Session, agreement_id: int, *, now: datetime) -> Agreement:
    agreement = _agreement(session, agreement_id)
    agreement.status = AgreementStatus.CANCELLED
    replace_reminders(
        session, agreement.young_person_id, Subject.agreement(agreement.id), [], now=now
    )
    return agreement


def _fill_agreement(agreement: Agreement, details: AgreementDetails, *, now: datetime) -> None:
    if details.deadline < local_date(now):
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
