"""A young person's course as the coordinator steers it: pause, resume, end with an outcome,
change of contact person, and erasure. Each action checks its rule, records who and when, and
changes nothing when refused (LifecycleError, with the reason in English for the log; the
dashboard shows its own Danish words per action).

Rules:
- pause: only someone taking part (active). Reminders and check-ins stop; the young person can
  also resume with /start_igen.
- resume: only a pause. Back to active, or to invited if they have not accepted the
  information text (as domain.people.set_paused does for /start_igen).
- end: from any status but ended, with one of EndOutcome and the day it ended (not after today);
  "other" needs a note. Pending reminders stop. A person already ended by a deletion request
  (no outcome yet) can still be given an outcome before the erasure.
- An ended person cannot be resumed: the end outcome is a result in the report, and a course
  that starts again is a new invitation. (A young person's own /slet request taken back is
  domain.people.withdraw_erasure, not a resume.)
- reassign: to an open account of a coordinator or administrator, other than the present one;
  every change is a CoordinatorChange row (the report counts them).
- erase: everything about the person, the same code as `ungeguide people erase`
  (storage.erasure.erase_person), leaving one audit line without content. It completes a
  /slet request, and works in any status.

Status changes get their time and staff member through storage.models.change_status, so the
status history (person_status_change) holds the clock of the action.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from domain.errors import LifecycleError
from domain.reminder_timing import local_date
from storage.erasure import erase_person
from storage.models import (
    CoordinatorChange,
    EndOutcome,
    PersonStatus,
    Reminder,
    ReminderStatus,
    StaffRole,
    StaffUser,
    YoungPerson,
    change_status,
)

NOTE_MAX = 500
CONTACT_ROLES = (StaffRole.COORDINATOR, StaffRole.ADMIN)


def pause(session: Session, person_id: int, *, staff_id: int | None, now: datetime) -> YoungPerson:
    person = _person(session, person_id)
    if person.status != PersonStatus.ACTIVE:
        raise LifecycleError(f"only someone taking part can be paused (status {person.status})")
    _set_status(person, PersonStatus.PAUSED, staff_id=staff_id, now=now)
    return person


def resume(session: Session, person_id: int, *, staff_id: int | None, now: datetime) -> YoungPerson:
    person = _person(session, person_id)
    if person.status != PersonStatus.PAUSED:
        raise LifecycleError(f"only a pause can be resumed (status {person.status})")
    accepted = person.information_version is not None
    status = PersonStatus.ACTIVE if accepted else PersonStatus.INVITED
    _set_status(person, status, staff_id=staff_id, now=now)
    return person


def end_course(
    session: Session,
    person_id: int,
    outcome: EndOutcome,
    *,
    ended_on: date,
    note: str = "",
    staff_id: int | None,
    now: datetime,
) -> YoungPerson:
    """End the course with its outcome and day; pending reminders are cancelled."""
    person = _person(session, person_id)
    if person.status == PersonStatus.ENDED and person.end_outcome is not None:
        raise LifecycleError("the course has already ended")
    outcome = EndOutcome(outcome)
    note = note.strip()
    if ended_on > local_date(now):
        raise LifecycleError("the day it ended cannot be after today")
    if ended_on < local_date(person.created_at):
        raise LifecycleError("the day it ended cannot be before the person was invited")
    if len(note) > NOTE_MAX:
        raise LifecycleError(f"a note of at most {NOTE_MAX} characters")
    if outcome == EndOutcome.OTHER and not note:
        raise LifecycleError("the outcome 'other' needs a note")
    person.end_outcome = outcome
    person.ended_on = ended_on
    person.end_note = note or None
    if person.status != PersonStatus.ENDED:
        _set_status(person, PersonStatus.ENDED, staff_id=staff_id, now=now)
    session.execute(
        update(Reminder)
        .where(Reminder.young_person_id == person.id, Reminder.status == ReminderStatus.PENDING)
        .values(status=ReminderStatus.CANCELLED, last_error="the course ended")
    )
    return person


def reassign(
    session: Session, person_id: int, *, to_coordinator_id: int, staff_id: int | None, now: datetime
) -> CoordinatorChange:
    """Give the young person another contact person, and record the change."""
    person = _person(session, person_id)
    target = session.get(StaffUser, to_coordinator_id)
    if target is None or target.disabled_at is not None or target.role not in CONTACT_ROLES:
        raise LifecycleError("the new contact person must be an open coordinator account")
    if person.coordinator_id == to_coordinator_id:
        raise LifecycleError("that is already the contact person")
    change = CoordinatorChange(
        young_person_id=person.id,
        from_coordinator_id=person.coordinator_id,
        to_coordinator_id=to_coordinator_id,
        changed_at=now,
        changed_by=staff_id,
    )
    person.coordinator_id = to_coordinator_id
    session.add(change)
    session.flush()
    return change


def erase(session: Session, person_id: int, *, reason: str, now: datetime) -> dict[str, int]:
    """Delete everything about the person (see storage.erasure); rows deleted per table."""
    _person(session, person_id)
    return erase_person(session, person_id, reason=reason, now=now)


def _set_status(
    person: YoungPerson, status: PersonStatus, *, staff_id: int | None, now: datetime
) -> None:
    change_status(person, status, at=now, by=staff_id)


def _person(session: Session, person_id: int) -> YoungPerson:
    person = session.get(YoungPerson, person_id)
    if person is None:
        raise LifecycleError(f"no young person {person_id}")
    return person
