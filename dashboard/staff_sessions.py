"""Staff sessions on the server, and the "known device" cookie.

The signed session cookie holds only a random token; the session itself is a `staff_session` row
(found by the token's SHA-256). Deleting the row ends the session, so a copied cookie stops
working at logout, a password change, a role change or when the account is disabled. A session
ends after `idle` without a request and, however busy, `absolute` after the login: nothing renews
that limit.

A successful login also leaves a long-lived signed cookie that names the account and a random
device id. Logging in to that account from that device uses the device's own attempt counter, not
the account's, so strangers guessing an account's password cannot lock its owner out
(`dashboard.login_guard`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.models import StaffSession

TOKEN_KEY = "sid"  # noqa: S105 - the session dict key the token sits under, not a secret
DEVICE_COOKIE = "ungeguide_device"
DEVICE_DAYS = 180
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


@dataclass(frozen=True, kw_only=True)
class SessionSettings:
    """How long a login lasts, and how the cookies are signed and sent."""

    secret: str
    idle: timedelta = timedelta(minutes=45)
    absolute: timedelta = timedelta(hours=10)
    secure_cookies: bool = False


@dataclass(frozen=True)
class KnownDevice:
    staff_id: int
    device_id: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, staff_id: int, settings: SessionSettings, *, now: datetime) -> str:
    """A new session for `staff_id`; returns the token for the cookie (only its hash is kept).
    Sessions that have run out, anybody's, are deleted here."""
    _forget_expired(session, settings, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_hash(token), staff_user_id=staff_id, created_at=now, last_seen_at=now
        )
    )
    return token


def current(
    session: Session, token: str, settings: SessionSettings, *, now: datetime
) -> StaffSession | None:
    """The live session for `token`, touched; None (and the row deleted) once it has run out."""
    found = session.scalars(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    live = found.first()
    if live is None:
        return None
    if _expired(live, settings, now=now):
        session.delete(live)
        return None
    if now - live.last_seen_at >= TOUCH_EVERY:
        live.last_seen_at = now
    return live


def _expired(live: StaffSession, settings: SessionSettings, *, now: datetime) -> bool:
    return now - live.last_seen_at >= settings.idle or now - live.created_at >= settings.absolute


def end(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash(token)))


def end_all(session: Session, staff_id: int) -> int:
    """End every session of `staff_id` (password, role or account changed); how many ended."""
    ended = session.execute(delete(StaffSession).where(StaffSession.staff_user_id == staff_id))
    count: int = getattr(ended, "rowcount", 0)
    return count


def _forget_expired(session: Session, settings: SessionSettings, *, now: datetime) -> None:
    # Rows another request holds are skipped (PostgreSQL): a purge never waits for a login.
    expired = (
        select(StaffSession.id)
        .where(
            or_(
                StaffSession.last_seen_at <= now - settings.idle,
                StaffSession.created_at <= now - settings.absolute,
            )
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(StaffSession).where(StaffSession.id.in_(expired)))


def _serializer(settings: SessionSettings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret, salt="known device")


def device_cookie(settings: SessionSettings, device: KnownDevice) -> str:
    return _serializer(settings).dumps([device.staff_id, device.device_id])


def new_device(staff_id: int) -> KnownDevice:
    return KnownDevice(staff_id, secrets.token_urlsafe(16))


def read_device(settings: SessionSettings, cookie: str | None) -> KnownDevice | None:
    """The device a valid, unexpired cookie names; None for a missing, forged or old one."""
    if not cookie:
        return None
    try:
        value = _serializer(settings).loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        return None
    return KnownDevice(value[0], value[1])
