"""Staff accounts: argon2id password hashes, the password policy, one-time set-password links,
and the lifecycle (disable, enable, role change, reset), each written to the audit log.

Disabling an account, changing its role, resetting or setting its password ends every session
it has (`dashboard.staff_sessions`). There is always at least one active administrator left.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.errors import AccountError
from dashboard.staff_sessions import end_all
from storage.models import AuditEvent, StaffRole, StaffUser

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
# zxcvbn's score 3 is "safely unguessable" (about 10^8 guesses or more); it also refuses anything
# on its lists of common passwords, words and names.
MIN_STRENGTH = 3
STRENGTH_CHECKED = 100  # zxcvbn slows down on long input; a longer password only gets stronger
SETUP_LINK_VALID = timedelta(days=3)
TOO_SHORT = "Use at least 12 characters."
TOO_EASY = (
    "This password is too easy to guess. Use a few words that do not belong together, "
    "or a longer password."
)


@functools.cache
def _dummy_hash() -> str:
    """An unknown e-mail is checked against this, so a login takes as long either way. Made at
    the first login, not at import: argon2id takes 64 MiB and a moment of every start-up."""
    return HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_problem(password: str, *, about: Sequence[str] = ()) -> str | None:
    """Why a new password cannot be used (English message id), or None. `about`: the person's
    e-mail and name, which make a password easier to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    inputs = [part for text in about for part in text.replace("@", " ").replace(".", " ").split()]
    # Imported here: its word lists take 13 MB, and only setting a password needs them.
    from zxcvbn import zxcvbn

    if zxcvbn(password[:STRENGTH_CHECKED], user_inputs=inputs)["score"] < MIN_STRENGTH:
        return TOO_EASY
    # zxcvbn weighs the person's own name lightly; "saraholm2026" is the first thing tried.
    letters = _letters(password)
    names = [text.split("@")[0] for text in about]  # the e-mail's local part, and the name
    own = {_letters(name) for name in names} | {
        _letters(part) for name in names for part in name.replace(".", " ").split()
    }
    if any(len(name) >= 4 and name in letters for name in own):
        return TOO_EASY
    return None


def _letters(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def record(
    session: Session, *, staff_id: int | None, action: str, now: datetime, detail: str = ""
) -> None:
    """An audit line about an account. `staff_id` is who acted (None: nobody logged in, or the
    command line); a password or a typed e-mail is never part of it."""
    session.add(AuditEvent(at=now, staff_user_id=staff_id, action=action, detail=detail[:120]))


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
    if password is not None and (problem := password_problem(password, about=(email,))):
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
    if (
        staff is None
        or staff.disabled_at is not None
        or staff.setup_expires_at is None
        or staff.setup_expires_at <= now
    ):
        return None
    return staff


def set_password(session: Session, staff: StaffUser, password: str) -> None:
    """The new password; every session the account had ends."""
    staff.password_hash = hash_password(password)
    staff.setup_token_hash = None
    staff.setup_expires_at = None
    end_all(session, staff.id)


def stored_hash(password_hash: str | None) -> str:
    """What a password is checked against: a dummy for an unknown e-mail or an account with no
    password yet, so the answer takes as long and says as little."""
    return password_hash or _dummy_hash()


def password_matches(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return HASHER.check_needs_rehash(stored)


# The lifecycle. Each function checks, changes, ends sessions where needed and writes the audit
# line; `actor` is the admin's id (None for the command line).


def active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                StaffUser.role == StaffRole.ADMIN, StaffUser.disabled_at.is_(None)
            )
        )
        or 0
    )


def _keep_an_admin(session: Session, staff: StaffUser) -> None:
    if staff.role == StaffRole.ADMIN and staff.disabled_at is None and active_admins(session) <= 1:
        raise AccountError(LAST_ADMIN)


LAST_ADMIN = "There must be at least one active administrator."


def disable(session: Session, staff: StaffUser, *, actor: int | None, now: datetime) -> bool:
    """Close the account: no login, no sessions, off the duty list. False if it already was."""
    if staff.disabled_at is not None:
        return False
    _keep_an_admin(session, staff)
    staff.disabled_at = now
    staff.on_duty = False
    staff.setup_token_hash = None
    staff.setup_expires_at = None
    end_all(session, staff.id)
    record(session, staff_id=actor, action="disable_staff", now=now, detail=staff.display_name)
    return True


def enable(session: Session, staff: StaffUser, *, actor: int | None, now: datetime) -> bool:
    """Open a closed account again (with the password it had). False if it was open."""
    if staff.disabled_at is None:
        return False
    staff.disabled_at = None
    record(session, staff_id=actor, action="enable_staff", now=now, detail=staff.display_name)
    return True


def change_role(
    session: Session, staff: StaffUser, role: StaffRole, *, actor: int | None, now: datetime
) -> bool:
    """A new role; the account's sessions end, so the new rights apply from the next login."""
    if staff.role == role:
        return False
    if role != StaffRole.ADMIN:
        _keep_an_admin(session, staff)
    staff.role = role
    if role == StaffRole.FACILITATOR:
        staff.on_duty = False  # the duty list is for those who see young people
    end_all(session, staff.id)
    record(
        session,
        staff_id=actor,
        action="change_role",
        now=now,
        detail=f"{staff.display_name}: {labels.role(role)}",
    )
    return True


def reset(session: Session, staff: StaffUser, *, actor: int | None, now: datetime) -> str:
    """The old password stops working now and every session ends; returns the one-time token
    for choosing a new one."""
    if staff.disabled_at is not None:
        raise AccountError(DISABLED)
    staff.password_hash = None
    end_all(session, staff.id)
    token = issue_setup_link(session, staff, now=now)
    record(session, staff_id=actor, action="reset_staff", now=now, detail=staff.display_name)
    return token


DISABLED = "The account is disabled. Enable it first."


def find_staff(session: Session, email: str) -> StaffUser:
    staff = session.scalars(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).first()
    if staff is None:
        raise AccountError(f"there is no account for {email.strip().lower()}")
    return staff
