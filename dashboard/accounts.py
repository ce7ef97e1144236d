"""Staff accounts: argon2id password hashes, one-time set-password links, login throttling."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.errors import AccountError
from storage.models import StaffRole, StaffUser

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10
SETUP_LINK_VALID = timedelta(days=3)
# An unknown e-mail is checked against this, so a login takes as long either way.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used (English message id), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "Use at least 10 characters."
    return None


def create_staff(
    session: Session,
    *,
    email: str,
    display_name: str,
    role: StaffRole,
    password: str | None,
    now: datetime,
) -> StaffUser:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    if session.scalar(select(func.count()).where(StaffUser.email == email)):
        raise AccountError(f"there is already an account for {email}")
    if password is not None and (problem := password_problem(password)):
        raise AccountError(problem)
    staff = StaffUser(
        email=email,
        display_name=display_name.strip() or email,
        role=StaffRole(role),
        password_hash=hash_password(password) if password is not None else None,
        created_at=now,
    )
    session.add(staff)
    session.flush()
    return staff


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_setup_link(session: Session, staff: StaffUser, *, now: datetime) -> str:
    """A one-time token for /adgangskode/<token>; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    staff.setup_token_hash = _token_hash(token)
    staff.setup_expires_at = now + SETUP_LINK_VALID
    session.flush()
    return token


def staff_for_setup(session: Session, token: str, *, now: datetime) -> StaffUser | None:
    staff = session.scalars(
        select(StaffUser).where(StaffUser.setup_token_hash == _token_hash(token))
    ).first()
    if staff is None or staff.setup_expires_at is None or staff.setup_expires_at <= now:
        return None
    return staff


def set_password(staff: StaffUser, password: str) -> None:
    staff.password_hash = hash_password(password)
    staff.setup_token_hash = None
    staff.setup_expires_at = None


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    staff = session.scalars(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).first()
    stored = staff.password_hash if staff is not None and staff.password_hash else _DUMMY_HASH
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if staff is None or not staff.password_hash:
        return None
    if HASHER.check_needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return staff


class LoginThrottle:
    """At most `limit` failed logins per key (e-mail, client address) in `window`, in memory.

    Addresses live only here, never in the database or the logs.
    """

    def __init__(self, *, limit: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self.limit = limit
        self.window = window
        self._failures: defaultdict[str, deque[datetime]] = defaultdict(deque)

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def blocked(self, keys: Iterable[str], *, now: datetime) -> bool:
        return any(len(self._recent(key, now)) >= self.limit for key in keys)

    def failed(self, keys: Iterable[str], *, now: datetime) -> None:
        for key in keys:
            self._failures[key].append(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)
