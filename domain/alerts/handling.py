"""What staff do with an alert: acknowledge it (I have seen it and am on it), then resolve it
with a note. Each step happens once; a second click changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from domain.errors import AlertError
from storage.models import Alert, AlertStatus, NotificationStatus, StaffNotification

NOTE_MAX = 1000


def acknowledge(session: Session, alert: Alert, *, staff_id: int, now: datetime) -> bool:
    """Open -> acknowledged. True if this call did it. Any e-mail not sent yet is not needed."""
    if alert.status != AlertStatus.OPEN:
        return False
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = staff_id
    _cancel_pending_mail(session, alert)
    return True


def resolve(session: Session, alert: Alert, *, staff_id: int, note: str, now: datetime) -> bool:
    """Open or acknowledged -> resolved, with a note of what was done. True if this call did it;
    resolving an open alert acknowledges it at the same moment."""
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise AlertError(f"a note of 1 to {NOTE_MAX} characters is needed")
    if alert.status == AlertStatus.OPEN:
        acknowledge(session, alert, staff_id=staff_id, now=now)
    if alert.status != AlertStatus.ACKNOWLEDGED:
        return False
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = now
    alert.resolved_by = staff_id
    alert.note = note
    return True


def _cancel_pending_mail(session: Session, alert: Alert) -> None:
    session.execute(
        update(StaffNotification)
        .where(
            StaffNotification.alert_id == alert.id,
            StaffNotification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
    )
