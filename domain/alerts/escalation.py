"""The care loop's clock: what happens when time passes and nobody acts.

- A held alert whose time has come opens (the young person did not answer the question).
- An urgent alert nobody has acknowledged within `escalate_after` goes to everyone on the duty
  list (or, with no duty list, the administrators), once.
- Once a working day, each member of staff with new non-urgent alerts gets one digest e-mail.

Each function runs in the caller's transaction and is safe to run in several processes: rows
are locked while they are handled (PostgreSQL), and every e-mail has a unique dedup key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.locale import TIMEZONE
from domain.alerts.raising import duty_list, open_held, responsible_staff
from domain.alerts.staff_hours import StaffHours
from storage.models import (
    Alert,
    AlertStatus,
    NotificationKind,
    StaffNotification,
    YoungPerson,
)
from storage.upsert import dialect_insert

DEFAULT_ESCALATE_AFTER = timedelta(minutes=30)
DEFAULT_DIGEST_AT = time(8, 0)
# A digest counts alerts since the previous one; a first digest looks back this far.
FIRST_DIGEST_LOOKS_BACK = timedelta(days=7)


@dataclass(frozen=True, kw_only=True)
class CarePolicy:
    escalate_after: timedelta = DEFAULT_ESCALATE_AFTER
    digest_at: time = DEFAULT_DIGEST_AT  # Copenhagen wall-clock time, on working days
    staff_hours: StaffHours = field(default_factory=StaffHours)


def release_due_held(session: Session, *, now: datetime) -> int:
    held = session.scalars(
        select(Alert)
        .where(Alert.status == AlertStatus.HELD, Alert.release_at <= now)
        .with_for_update(skip_locked=True)
    ).all()
    for alert in held:
        open_held(session, alert, now=now)
    return len(held)


def escalate_unacknowledged(
    session: Session, *, now: datetime, after: timedelta = DEFAULT_ESCALATE_AFTER
) -> int:
    """Send each urgent alert still open after `after` to the duty list; how many went."""
    overdue = session.scalars(
        select(Alert)
        .where(
            Alert.status == AlertStatus.OPEN,
            Alert.urgent.is_(True),
            Alert.escalated_at.is_(None),
            Alert.created_at <= now - after,
        )
        .with_for_update(skip_locked=True)
    ).all()
    for alert in overdue:
        for staff in duty_list(session):
            _queue(
                session,
                staff_id=staff.id,
                alert_id=alert.id,
                kind=NotificationKind.ESCALATION,
                now=now,
                dedup_key=f"escalation:{alert.id}:{staff.id}",
            )
        alert.escalated_at = now
    return len(overdue)


def queue_digests(session: Session, *, now: datetime, policy: CarePolicy) -> int:
    """On a working day after `digest_at`, one digest per member of staff with open non-urgent
    alerts raised since their previous digest; how many were queued."""
    local = now.astimezone(TIMEZONE)
    if not policy.staff_hours.working_day(local.date()) or local.time() < policy.digest_at:
        return 0
    today = local.date().isoformat()
    waiting = session.execute(
        select(Alert.young_person_id, Alert.created_at)
        .join(YoungPerson, YoungPerson.id == Alert.young_person_id)
        .where(Alert.status == AlertStatus.OPEN, Alert.urgent.is_(False))
    ).all()
    newest: dict[int, datetime] = {}
    for person_id, created_at in waiting:
        for staff in responsible_staff(session, person_id):
            newest[staff.id] = max(created_at, newest.get(staff.id, created_at))
    queued = 0
    for staff_id, latest in sorted(newest.items()):
        previous = session.scalar(
            select(func.max(StaffNotification.created_at)).where(
                StaffNotification.staff_user_id == staff_id,
                StaffNotification.kind == NotificationKind.DIGEST,
            )
        )
        if latest <= (previous or now - FIRST_DIGEST_LOOKS_BACK):
            continue
        queued += _queue(
            session,
            staff_id=staff_id,
            alert_id=None,
            kind=NotificationKind.DIGEST,
            now=now,
            dedup_key=f"digest:{staff_id}:{today}",
        )
    return queued


def _queue(
    session: Session,
    *,
    staff_id: int,
    alert_id: int | None,
    kind: NotificationKind,
    now: datetime,
    dedup_key: str,
) -> int:
    """Insert a notification unless its dedup key exists (another process queued it)."""
    values = {
        "staff_user_id": staff_id,
        "alert_id": alert_id,
        "kind": kind,
        "created_at": now,
        "due_at": now,
        "status": "pending",
        "attempts": 0,
        "dedup_key": dedup_key,
    }
    statement = (
        dialect_insert(session, StaffNotification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
    )
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
