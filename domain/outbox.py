"""The young people's outbox: one `reminder` row per message to send at a time.

`dedup_key` makes planning idempotent: planning twice never sends twice. A reminder may go out
late only within the grace window, and never after the event it is about.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.reminder_timing import ReminderRules
from storage.models import Reminder, ReminderStatus

Row = tuple[str, datetime | None, datetime, datetime]  # kind, due (None: skipped), wanted, latest


def latest_allowed(
    due: datetime | None, rules: ReminderRules, *, before: datetime | None = None
) -> datetime:
    """The last moment a reminder may still go out: within the grace window, before the event."""
    if due is None:
        return before or datetime.max.replace(tzinfo=UTC)
    latest = due + rules.grace
    return min(latest, before) if before is not None else latest


def replace_reminders(
    session: Session, person_id: int, subject: str, rows: list[Row], *, now: datetime
) -> None:
    """Make the pending reminders of `subject` exactly `rows`: stale ones are cancelled."""
    keys: set[str] = set()
    for kind, due, wanted, latest in rows:
        key = f"{subject}:{kind}:{wanted.isoformat()}"
        keys.add(key)
        existing = session.scalars(select(Reminder).where(Reminder.dedup_key == key)).first()
        if existing is not None:
            if existing.status == ReminderStatus.CANCELLED:
                existing.status = ReminderStatus.PENDING if due else ReminderStatus.SKIPPED
            continue
        session.add(
            Reminder(
                young_person_id=person_id,
                kind=kind,
                subject=subject,
                due_at=due or wanted,
                latest_at=latest,
                dedup_key=key,
                attempts=0,
                status=ReminderStatus.PENDING if due else ReminderStatus.SKIPPED,
                last_error=None if due else "quiet hours: the next allowed time is after the event",
            )
        )
    for stale in session.scalars(
        select(Reminder).where(
            Reminder.subject == subject, Reminder.status == ReminderStatus.PENDING
        )
    ):
        if stale.dedup_key not in keys:
            stale.status = ReminderStatus.CANCELLED
    session.flush()


def enqueue(
    session: Session,
    person_id: int,
    *,
    kind: str,
    subject: str,
    due_at: datetime,
    latest_at: datetime,
    dedup_key: str,
    body: str | None = None,
) -> Reminder | None:
    """Add one outbox row unless its key exists. Returns the new row, or None."""
    if session.scalars(select(Reminder).where(Reminder.dedup_key == dedup_key)).first():
        return None
    reminder = Reminder(
        young_person_id=person_id,
        kind=kind,
        subject=subject,
        due_at=due_at,
        latest_at=latest_at,
        dedup_key=dedup_key,
        body=body,
        attempts=0,
        status=ReminderStatus.PENDING,
    )
    session.add(reminder)
    session.flush()
    return reminder
