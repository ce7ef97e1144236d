"""What staff do with an alert: acknowledge it (I have seen it and am on it), then resolve it
with a note. Each step happens once; a second click changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.alerts.kinds import AlertKind
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


def resolve_cannot_come(
    session: Session, *, person_id: int, meeting_id: int, staff_id: int, note: str, now: datetime
) -> list[Alert]:
    """The coordinator answered the young person's "can't come" for this meeting: its open or
    acknowledged alerts are resolved, the answer as the note (cut to NOTE_MAX). Returns them."""
    found = session.scalars(
        select(Alert).where(
            Alert.young_person_id == person_id,
            Alert.kind == AlertKind.CANNOT_COME,
            Alert.status.in_([AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]),
        )
    ).all()
    # The meeting is inside the encrypted details, so it is matched here, not in SQL.
    mine = [alert for alert in found if alert.details.get("meeting_id") == meeting_id]
    for alert in mine:
        resolve(session, alert, staff_id=staff_id, note=note[:NOTE_MAX], now=now)
    return mine


def _cancel_pending_mail(session: Session, alert: Alert) -> None:
    session.execute(
        update(StaffNotification)
        .where(
            StaffNotification.alert_id == alert.id,
            StaffNotification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
    )
