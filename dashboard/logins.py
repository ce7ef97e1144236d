"""One login attempt, from the typed e-mail and password to a session or a refusal.

Blocking work (the database and argon2, which is slow on purpose), so the page runs it in a
thread. The steps each have their own transaction: look the account up; reserve an attempt on
the counters (`dashboard.login_guard`) and commit, so other requests and processes see it; check
the password outside any transaction; then record the outcome: a session, or a failure that may
start a lock. Every checked password leaves exactly one audit line (`login` or `login_failed`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from dashboard import login_guard, staff_sessions
from dashboard.accounts import (
    hash_password,
    needs_rehash,
    password_matches,
    record,
    stored_hash,
)
from dashboard.i18n import _
from dashboard.login_guard import Counter
from dashboard.staff_sessions import KnownDevice, SessionSettings
from storage import Database
from storage.models import StaffUser


class Result(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # the e-mail or the password is not right
    LOCKED = "locked"  # too many attempts: the password was not checked
    DISABLED = "disabled"  # right password, closed account


@dataclass(frozen=True)
class Outcome:
    result: Result
    staff_id: int | None = None
    role: str | None = None
    token: str | None = None  # the new session's token
    device: KnownDevice | None = None  # the device cookie to leave (or renew)


@dataclass(frozen=True, kw_only=True)
class Attempt:
    email: str
    password: str
    address: str
    device: KnownDevice | None  # from the device cookie, if it had a valid one


@dataclass(frozen=True)
class _Account:
    id: int
    role: str
    stored: str | None  # None: no password chosen yet
    disabled: bool


class LoginGuard:
    """Runs login attempts; `checked` counts the passwords really checked (for tests and the
    curious: it is the number of argon2 verifications this process made)."""

    def __init__(self, *, secret: str) -> None:
        self._secret = secret
        self._lock = threading.Lock()
        self.checked = 0

    def _counters(self, attempt: Attempt, account: _Account | None) -> list[Counter]:
        device = attempt.device
        if device is not None and account is not None and device.staff_id == account.id:
            return [login_guard.counter(self._secret, "device", device.device_id, DEVICE)]
        return [
            login_guard.counter(self._secret, "account", attempt.email, ACCOUNT),
            login_guard.counter(self._secret, "address", attempt.address, ADDRESS),
        ]

    def attempt(
        self, database: Database, attempt: Attempt, settings: SessionSettings, *, now: datetime
    ) -> Outcome:
        account = _account(database, attempt.email)
        counters = self._counters(attempt, account)
        if not _reserve_all(database, counters, now=now):
            return Outcome(Result.LOCKED)
        with self._lock:
            self.checked += 1
        right = password_matches(stored_hash(account.stored if account else None), attempt.password)
        if account is None or account.stored is None or not right:
            _failed(database, counters, account, now=now)
            return Outcome(Result.WRONG)
        with database.session() as session:
            for counter in counters:
                if counter.kind == "account":
                    login_guard.clear(session, counter)
                else:
                    login_guard.give_back(session, counter)
            if account.disabled:
                record(session, staff_id=account.id, action="login_disabled", now=now)
                return Outcome(Result.DISABLED)
            if needs_rehash(account.stored):  # a stronger argon2 setting since it was made
                staff = session.get(StaffUser, account.id)
                if staff is not None:
                    staff.password_hash = hash_password(attempt.password)
            token = staff_sessions.start(session, account.id, settings, now=now)
            record(session, staff_id=account.id, action="login", now=now)
        device = attempt.device
        if device is None or device.staff_id != account.id:
            device = staff_sessions.new_device(account.id)
        return Outcome(Result.OK, account.id, account.role, token, device)


ACCOUNT = login_guard.ACCOUNT
ADDRESS = login_guard.ADDRESS
DEVICE = login_guard.DEVICE


def _account(database: Database, email: str) -> _Account | None:
    if not email:
        return None
    with database.session() as session:
        staff = session.scalars(select(StaffUser).where(StaffUser.email == email)).first()
        if staff is None:
            return None
        return _Account(staff.id, staff.role, staff.password_hash, staff.disabled_at is not None)


def _reserve_all(database: Database, counters: list[Counter], *, now: datetime) -> bool:
    with database.session() as session:
        taken: list[Counter] = []
        for counter in counters:
            if not login_guard.reserve(session, counter, now=now):
                for earlier in taken:
                    login_guard.give_back(session, earlier)
                return False
            taken.append(counter)
    return True


def _failed(
    database: Database, counters: list[Counter], account: _Account | None, *, now: datetime
) -> None:
    with database.session() as session:
        staff_id = account.id if account is not None else None
        # For an unknown e-mail nothing of what was typed is kept: the line says only that.
        detail = "" if account is not None else _("unknown e-mail")
        record(session, staff_id=staff_id, action="login_failed", now=now, detail=detail)
        for counter in counters:
            if login_guard.failed(session, counter, now=now):
                record(
                    session,
                    staff_id=staff_id,
                    action="login_locked",
                    now=now,
                    detail=_lock_detail(counter),
                )


def _lock_detail(counter: Counter) -> str:
    lock = {
        "account": _("the account, for unknown devices"),
        "address": _("the address"),
        "device": _("the device"),
    }
    return lock.get(counter.kind, "")
