"""The staff outbox: claim due notifications atomically, and record what happened to each.

Claiming works like the reminder dispatcher's: `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
conditional `UPDATE ... RETURNING` on SQLite, so two processes never send the same e-mail. A
claimed row whose process died is released after `RECLAIM_AFTER`. A failed send is retried
with growing pauses, for as long as it takes: an urgent alert's e-mail is never given up, and
the dashboard shows it as not sent meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import NotificationStatus, StaffNotification

RECLAIM_AFTER = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(minutes=10)


def claim_due(session: Session, *, now: datetime, sqlite: bool, batch: int = 50) -> list[int]:
    """Mark up to `batch` due notifications as being sent by this process; their ids."""
    session.execute(
        update(StaffNotification)
        .where(
            StaffNotification.status == NotificationStatus.SENDING,
            StaffNotification.claimed_at < now - RECLAIM_AFTER,
        )
        .values(status=NotificationStatus.PENDING)
    )
    due = (
        select(StaffNotification.id)
        .where(
            StaffNotification.status == NotificationStatus.PENDING,
            StaffNotification.due_at <= now,
        )
        .order_by(StaffNotification.due_at, StaffNotification.id)
        .limit(batch)
    )
    claiming = {"status": NotificationStatus.SENDING, "claimed_at": now}
    if sqlite:
        claim = (
            update(StaffNotification)
            .where(
                StaffNotification.id.in_(due.scalar_subquery()),
                StaffNotification.status == NotificationStatus.PENDING,
            )
            .values(**claiming)
            .returning(StaffNotification.id)
        )
        return sorted(session.scalars(claim))
    ids = sorted(session.scalars(due.with_for_update(skip_locked=True)))
    if ids:
        session.execute(
            update(StaffNotification).where(StaffNotification.id.in_(ids)).values(**claiming)
        )
    return ids


def mark_sent(session: Session, notification_id: int, *, now: datetime) -> None:
    session.execute(
        update(StaffNotification)
        .where(StaffNotification.id == notification_id)
        .values(
            status=NotificationStatus.SENT,
            sent_at=now,
            attempts=StaffNotification.attempts + 1,
            last_error=None,
        )
    )


def mark_cancelled(session: Session, notification_id: int, *, why: str) -> None:
    session.execute(
        update(StaffNotification)
        .where(StaffNotification.id == notification_id)
        .values(status=NotificationStatus.CANCELLED, last_error=why[:200])
    )


def retry_later(session: Session, notification_id: int, *, error: str, now: datetime) -> None:
    """Back to pending, due after a pause that doubles with each attempt (up to 10 minutes)."""
    notification = session.get(StaffNotification, notification_id)
    if notification is None:
        return
    notification.attempts += 1
    notification.last_error = error[:200]
    pause = min(FIRST_RETRY * 2 ** (notification.attempts - 1), LONGEST_PAUSE)
    notification.status = NotificationStatus.PENDING
    notification.due_at = now + pause
