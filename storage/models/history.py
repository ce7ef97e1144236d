"""A young person's history: every change of status, and every change of contact person.

The report counts people "at a date" and changes of contact person in a period, so both are
kept as rows with a time. Status changes are recorded by a flush hook, so no code path that
sets `YoungPerson.status` (the bot, the dispatcher, the dashboard, the CLI) can forget it. The
time is the one a domain function gave through `change_status` (its clock), else the person's
`created_at` for a new person, else the wall clock. An UPDATE statement on young_person.status
would bypass the hook: status is changed through the objects only (domain.people, lifecycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ForeignKey, Index, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.clock import utc_now
from storage.models.base import Base, _one_of
from storage.models.people import PersonStatus, YoungPerson


class PersonStatusChange(Base):
    """One change of a young person's status; the first row of a person has no `from_status`."""

    __tablename__ = "person_status_change"
    __table_args__ = (
        _one_of("to_status", PersonStatus),
        Index("ix_person_status_change_person_at", "young_person_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime]
    # The staff member who did it; None for the young person's own doing or the system's.
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    person: Mapped[YoungPerson] = relationship()


class CoordinatorChange(Base):
    """A change of contact person (domain.lifecycle.reassign): from whom, to whom, when, by whom."""

    __tablename__ = "coordinator_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    from_coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    to_coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(index=True)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


@dataclass(frozen=True)
class _Stamp:
    at: datetime
    by: int | None


_stamps: WeakKeyDictionary[YoungPerson, _Stamp] = WeakKeyDictionary()


def stamp_status(person: YoungPerson, *, at: datetime, by: int | None = None) -> None:
    """The time (and staff member) to record for the person's next status change, set right
    before setting the status. Prefer `change_status`, which does both."""
    _stamps[person] = _Stamp(at, by)


def change_status(
    person: YoungPerson, status: PersonStatus, *, at: datetime, by: int | None = None
) -> bool:
    """Set the person's status, recorded with this time and staff member. False (and nothing
    recorded) when it already was that status."""
    if person.status == status:
        return False
    _stamps[person] = _Stamp(at, by)
    person.status = status
    return True


@event.listens_for(Session, "before_flush")
def _record_status_changes(session: Session, _context: Any, _instances: Any) -> None:
    for person in [*session.new, *session.dirty]:
        if not isinstance(person, YoungPerson):
            continue
        stamp = _stamps.pop(person, None)  # used here or dropped, never left for later
        fresh = person in session.new
        history = inspect(person).attrs.status.history
        if fresh:
            before, after = None, person.status or PersonStatus.INVITED
        elif history.added and history.deleted:
            before, after = history.deleted[0], history.added[0]
        else:
            continue
        if before == after:
            continue
        if stamp is not None:
            at, by = stamp.at, stamp.by
        else:
            at, by = (person.created_at if fresh else utc_now()), None
        session.add(
            PersonStatusChange(
                person=person, from_status=before, to_status=after, changed_at=at, changed_by=by
            )
        )
