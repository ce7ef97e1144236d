"""What the person page shows about the course besides its tables: the confirmation of the last
action (post/redirect/get), overdue agreements, the coordinator's answers to "can't come", who
the young person can be handed over to, and whether they asked to be deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import ModuleType

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request

from dashboard import labels
from domain.agreements import is_overdue
from domain.lifecycle import CONTACT_ROLES
from domain.outbox import ReminderKind, SubjectKind
from domain.reminder_timing import local_date
from storage.models import (
    Agreement,
    PersonStatus,
    Reminder,
    StaffUser,
    YoungPerson,
)

NOTICE = "notice"  # session key: one short confirmation for the next page


def tell(request: Request, message: str) -> None:
    """Keep a confirmation (our own words, never a person's data) for the page redirected to."""
    request.session[NOTICE] = message


def take(request: Request) -> str | None:
    """The confirmation kept by `tell`, once."""
    message = request.session.pop(NOTICE, None)
    return message if isinstance(message, str) else None


@dataclass(frozen=True)
class Reply:
    at: datetime
    body: str
    status: str


@dataclass(frozen=True)
class CourseView:
    notice: str | None
    today: date
    contacts: list[tuple[int, str]]  # other open coordinator accounts, for a handover
    delete_requested: bool
    replies: dict[int, list[Reply]]  # meeting id -> the coordinator's answers to "can't come"
    labels: ModuleType = field(default=labels)

    def overdue(self, agreement: Agreement) -> bool:
        return is_overdue(agreement, today=self.today)


def course_view(
    request: Request, session: Session, person: YoungPerson, *, now: datetime
) -> CourseView:
    return CourseView(
        notice=take(request),
        today=local_date(now),
        contacts=contacts(session, but=person.coordinator_id),
        delete_requested=delete_requested(person),
        replies=replies(session, person.id),
    )


def contacts(session: Session, *, but: int | None) -> list[tuple[int, str]]:
    return [
        (staff.id, staff.display_name)
        for staff in session.scalars(
            select(StaffUser)
            .where(StaffUser.role.in_(CONTACT_ROLES), StaffUser.disabled_at.is_(None))
            .order_by(StaffUser.display_name, StaffUser.id)
        )
        if staff.id != but
    ]


def delete_requested(person: YoungPerson) -> bool:
    """/slet as a request not carried out yet: only a deletion request ends a course without an
    outcome (domain.people.end_for_erasure)."""
    return person.status == PersonStatus.ENDED and person.end_outcome is None


def replies(session: Session, person_id: int) -> dict[int, list[Reply]]:
    found: dict[int, list[Reply]] = {}
    prefix = f"{SubjectKind.MEETING}:"
    for reminder in session.scalars(
        select(Reminder)
        .where(
            Reminder.young_person_id == person_id,
            Reminder.kind == ReminderKind.COORDINATOR_REPLY,
        )
        .order_by(Reminder.due_at, Reminder.id)
    ):
        if reminder.subject.startswith(prefix) and reminder.subject[len(prefix) :].isdigit():
            meeting_id = int(reminder.subject[len(prefix) :])
            found.setdefault(meeting_id, []).append(
                Reply(at=reminder.due_at, body=reminder.body or "", status=reminder.status)
            )
    return found
