"""Raising alerts, and who hears about them.

An urgent alert queues an e-mail to the responsible member of staff in the same transaction as
the alert itself, so an alert is never stored without its notification. Responsible is the
young person's coordinator; while they are marked absent, their stand-in (followed along a chain
of stand-ins); with nobody there, or nobody with an e-mail address, the duty list (vagt), and
with no duty list, the administrators.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from domain.alerts.kinds import AlertKind
from storage.models import (
    Alert,
    AlertStatus,
    NotificationKind,
    StaffNotification,
    StaffRole,
    StaffUser,
    YoungPerson,
)

# A flood from one young person (a string of crisis texts) becomes one e-mail per window.
COLLAPSE_WINDOW = timedelta(minutes=15)
MAX_STAND_INS = 5  # a chain of stand-ins is followed this far (and never round in a loop)


def raise_alert(
    session: Session,
    person_id: int,
    kind: AlertKind | str,
    *,
    now: datetime,
    urgent: bool = False,
    details: Mapping[str, str | int] | None = None,
    hold_until: datetime | None = None,
) -> Alert:
    """Store an alert; an urgent one also queues its e-mail. A held alert waits, unseen, until
    `hold_until` (see `release_held`)."""
    alert = Alert(
        young_person_id=person_id,
        kind=AlertKind(kind),
        urgent=urgent,
        created_at=now,
        details=dict(details or {}),
        status=AlertStatus.HELD if hold_until is not None else AlertStatus.OPEN,
        release_at=hold_until,
    )
    session.add(alert)
    session.flush()
    if urgent and hold_until is None:
        notify(session, alert, now=now)
    return alert


def open_held(session: Session, alert: Alert, *, now: datetime) -> None:
    """A held alert opens: from now on staff see it, and an urgent one is e-mailed."""
    alert.status = AlertStatus.OPEN
    alert.release_at = None
    alert.created_at = now  # the clock for acknowledging starts when staff can see it
    session.flush()
    if alert.urgent:
        notify(session, alert, now=now)


def release_held(session: Session, person_id: int, kind: AlertKind | str, *, now: datetime) -> int:
    """Open this young person's held alerts of `kind` now."""
    held = session.scalars(
        select(Alert).where(
            Alert.young_person_id == person_id,
            Alert.kind == AlertKind(kind),
            Alert.status == AlertStatus.HELD,
        )
    ).all()
    for alert in held:
        open_held(session, alert, now=now)
    return len(held)


def drop_held(session: Session, person_id: int, kind: AlertKind | str) -> None:
    """The young person answered: the held alerts of `kind` are not needed."""
    session.execute(
        delete(Alert).where(
            Alert.young_person_id == person_id,
            Alert.kind == AlertKind(kind),
            Alert.status == AlertStatus.HELD,
        )
    )


def take_held(session: Session, person_id: int, kind: AlertKind | str) -> dict[str, str | int]:
    """Remove this young person's held alerts of `kind`, returning the newest one's details
    (an alert that takes its place keeps them)."""
    held = session.scalars(
        select(Alert)
        .where(
            Alert.young_person_id == person_id,
            Alert.kind == AlertKind(kind),
            Alert.status == AlertStatus.HELD,
        )
        .order_by(Alert.created_at, Alert.id)
    ).all()
    details: dict[str, str | int] = dict(held[-1].details) if held else {}
    for alert in held:
        session.delete(alert)
    session.flush()
    return details


def merged_details(
    earlier: Mapping[str, str | int], details: Mapping[str, str | int]
) -> dict[str, str | int]:
    """`details`, plus what the held alert knew; its words are kept beside any new ones."""
    merged = {**earlier, **details}
    if "text" in earlier and earlier.get("text") != details.get("text", earlier["text"]):
        merged["text_before"] = earlier["text"]
    return merged


def notify(session: Session, alert: Alert, *, now: datetime) -> list[StaffUser]:
    """Queue the urgent alert's e-mail to whoever is responsible (collapsing floods)."""
    recipients = responsible_staff(session, alert.young_person_id)
    for staff in recipients:
        if _recently_told(session, staff.id, alert.young_person_id, now=now):
            continue
        session.add(
            StaffNotification(
                staff_user_id=staff.id,
                alert_id=alert.id,
                kind=NotificationKind.ALERT,
                created_at=now,
                due_at=now,
                dedup_key=f"alert:{alert.id}:{staff.id}",
            )
        )
    return recipients


def responsible_staff(session: Session, person_id: int) -> list[StaffUser]:
    """Who hears about this young person's alerts now (see the module's docstring)."""
    return responsible_for(session, [person_id])[person_id]


def responsible_for(session: Session, person_ids: Iterable[int]) -> dict[int, list[StaffUser]]:
    """`responsible_staff` for many young people in a few queries, whatever their number (the
    digest asks it for every open alert)."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    coordinators: dict[int, int | None] = dict(
        session.execute(
            select(YoungPerson.id, YoungPerson.coordinator_id).where(YoungPerson.id.in_(wanted))
        ).all()
    )
    absent = {
        row.id: row.stand_in_id
        for row in session.execute(
            select(StaffUser.id, StaffUser.stand_in_id).where(StaffUser.absent)
        )
    }
    covering = {
        person_id: stand_in_for(absent, coordinator) if coordinator in absent else coordinator
        for person_id, coordinator in coordinators.items()
        if coordinator is not None
    }
    chosen = {i for i in covering.values() if i is not None}
    staff = {
        each.id: each for each in session.scalars(select(StaffUser).where(StaffUser.id.in_(chosen)))
    }
    found: dict[int, list[StaffUser]] = {}
    duty: list[StaffUser] | None = None
    for person_id in wanted:
        one = staff.get(covering.get(person_id) or 0)
        if one is not None and reachable(one):
            found[person_id] = [one]
            continue
        if duty is None:
            duty = duty_list(session)
        found[person_id] = list(duty)
    return found


def stand_in_for(absent: Mapping[int, int | None], staff_id: int) -> int | None:
    """Who covers the absent `staff_id` now: the first one present along the chain of stand-ins
    (at most MAX_STAND_INS steps, never round a loop), or None (then the duty list is told).
    `absent` maps each absent member of staff to their stand-in. The dashboard shows the stand-in
    the absent colleague's young people by the same rule."""
    seen: set[int] = set()
    current: int | None = staff_id
    while current is not None and current in absent and len(seen) < MAX_STAND_INS:
        seen.add(current)
        following = absent[current]
        current = following if following is not None and following not in seen else None
    return None if current is None or current in absent else current


def covered_by(absent: Mapping[int, int | None], staff_id: int) -> set[int]:
    """The absent colleagues whose young people `staff_id` sees as their stand-in."""
    return {each for each in absent if stand_in_for(absent, each) == staff_id}


def duty_list(session: Session) -> list[StaffUser]:
    """Everyone on the duty list who can be e-mailed; with nobody on it, the administrators."""
    on_duty = [
        s for s in session.scalars(select(StaffUser).where(StaffUser.on_duty)) if reachable(s)
    ]
    if on_duty:
        return sorted(on_duty, key=lambda s: s.id)
    admins = session.scalars(select(StaffUser).where(StaffUser.role == StaffRole.ADMIN))
    return sorted((s for s in admins if reachable(s)), key=lambda s: s.id)


def reachable(staff: StaffUser) -> bool:
    return "@" in (staff.email or "")


def _recently_told(session: Session, staff_id: int, person_id: int, *, now: datetime) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    StaffNotification.staff_user_id == staff_id,
                    StaffNotification.kind == NotificationKind.ALERT,
                    StaffNotification.created_at > now - COLLAPSE_WINDOW,
                    StaffNotification.alert_id == Alert.id,
                    Alert.young_person_id == person_id,
                )
            )
        )
    )
