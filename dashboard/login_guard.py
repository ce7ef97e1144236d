"""Slowing down password guessing, counted in the database so that every process shares the count.

Three kinds of counter, each a row in `login_counter` under a keyed hash (never the e-mail or the
address itself; a row is forgotten after a calm day):

- the account, for logins from devices that have not logged in to it before: 5 attempts, then a
  lock that doubles each time the attempts run out again (1, 2, 4 ... at most 30 minutes);
- the client address, over all accounts: 20 attempts, then the same growing lock;
- a known device (the signed cookie a successful login leaves, see `dashboard.devices`): its own
  5 attempts and growing lock. A login from a known device does not use the account's or the
  address's counter, so a stranger hammering an account cannot lock its owner out.

An attempt is *reserved* by one conditional UPDATE before its password is checked, and given back
when the password was right. Parallel requests therefore cannot slip past the limit together:
however many arrive at once, at most `attempts` passwords are checked per lock period. (SQLite
takes its write lock at BEGIN; PostgreSQL re-checks the WHERE of a row it waited for.)
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import LoginCounter
from storage.upsert import dialect_insert

FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class Limit:
    attempts: int
    window: timedelta = timedelta(minutes=15)
    first_lock: timedelta = timedelta(minutes=1)
    longest_lock: timedelta = timedelta(minutes=30)

    def lock(self, strikes: int) -> timedelta:
        """How long the lock lasts when the attempts run out for the `strikes`+1-th time."""
        doubled: timedelta = self.first_lock * (2 ** min(strikes, 20))
        return min(doubled, self.longest_lock)


ACCOUNT = Limit(attempts=5)
ADDRESS = Limit(attempts=20)
DEVICE = Limit(attempts=5)


@dataclass(frozen=True)
class Counter:
    kind: str  # "account", "address" or "device"
    key: str
    limit: Limit


def counter(secret: str, kind: str, value: str, limit: Limit) -> Counter:
    """The counter for e.g. ("account", e-mail): its key is an HMAC, so the table names nobody."""
    digest = hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return Counter(kind, digest.hexdigest(), limit)


def reserve(session: Session, counter: Counter, *, now: datetime) -> bool:
    """Take one attempt from `counter`; False (and nothing taken) while it is locked or spent."""
    _forget_calm(session, now=now)
    _ensure(session, counter, now=now)
    row = LoginCounter.key == counter.key
    session.execute(  # a new window once the old one has passed
        update(LoginCounter)
        .where(row, LoginCounter.window_ends_at <= now)
        .values(attempts=0, window_ends_at=now + counter.limit.window)
    )
    taken = session.execute(
        update(LoginCounter)
        .where(
            row,
            LoginCounter.attempts < counter.limit.attempts,
            or_(LoginCounter.locked_until.is_(None), LoginCounter.locked_until <= now),
        )
        .values(attempts=LoginCounter.attempts + 1)
    )
    return _rowcount(taken) == 1


def give_back(session: Session, counter: Counter) -> None:
    """The password was right (or was never checked): the attempt does not count."""
    session.execute(
        update(LoginCounter)
        .where(LoginCounter.key == counter.key, LoginCounter.attempts > 0)
        .values(attempts=LoginCounter.attempts - 1)
    )


def clear(session: Session, counter: Counter) -> None:
    """A right password from an unknown device: the account starts afresh."""
    session.execute(delete(LoginCounter).where(LoginCounter.key == counter.key))


def failed(session: Session, counter: Counter, *, now: datetime) -> bool:
    """A wrong password: when the attempts are spent, lock the counter for a growing time.
    True if this failure started a lock (once per lock, so a lock is logged once)."""
    strikes = session.scalar(select(LoginCounter.strikes).where(LoginCounter.key == counter.key))
    if strikes is None:
        return False
    until = now + counter.limit.lock(strikes)
    locked = session.execute(
        update(LoginCounter)
        .where(
            LoginCounter.key == counter.key,
            LoginCounter.attempts >= counter.limit.attempts,
            LoginCounter.strikes == strikes,  # a parallel failure may have locked it already
        )
        .values(
            attempts=0,
            strikes=strikes + 1,
            locked_until=until,
            window_ends_at=until + counter.limit.window,
        )
    )
    return _rowcount(locked) == 1


def _ensure(session: Session, counter: Counter, *, now: datetime) -> None:
    session.execute(
        dialect_insert(session, LoginCounter)
        .values(
            key=counter.key,
            attempts=0,
            window_ends_at=now + counter.limit.window,
            strikes=0,
            locked_until=None,
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _forget_calm(session: Session, *, now: datetime) -> None:
    # No attempt and no lock for a day: the counter (and how often it was locked) is forgotten.
    # Rows another attempt holds are skipped (PostgreSQL), so two purges never wait on each other.
    calm = now - FORGET_AFTER
    forgotten = (
        select(LoginCounter.key)
        .where(
            LoginCounter.window_ends_at < calm,
            or_(LoginCounter.locked_until.is_(None), LoginCounter.locked_until < calm),
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(LoginCounter).where(LoginCounter.key.in_(forgotten)))


def _rowcount(result: object) -> int:
    count: int = getattr(result, "rowcount", 0)
    return count
