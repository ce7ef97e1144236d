"""The dispatcher: claims due outbox rows atomically, sends them, and records what happened.

Claiming is one statement per database: `SELECT ... FOR UPDATE SKIP LOCKED` then an UPDATE on
PostgreSQL, and a conditional `UPDATE ... WHERE status = 'pending' RETURNING id` on SQLite, so
two dispatchers (threads or processes) never claim the same row. A claimed row that was never
marked (the process died mid-send) is released again after `reclaim_after`: a reminder is then
sent once more rather than lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain import people
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.errors import Unreachable
from domain.reminder_timing import DEFAULT_RULES, ReminderRules, out_of_quiet_hours
from scheduler.ratelimit import RateLimiter
from storage import Database
from storage.models import (
    PersonStatus,
    Reminder,
    ReminderStatus,
    YoungPerson,
)

logger = logging.getLogger(__name__)

# Kinds queued with "now" as their time (not by the planner, which keeps quiet hours itself):
# one that comes due in the quiet hours waits until they end.
WAIT_FOR_DAY = frozenset({"workshop_outcome"})


# The messages a channel sends: the dispatcher passes them on and never looks inside.
M = TypeVar("M")
M_contra = TypeVar("M_contra", contravariant=True)


class Sender(Protocol[M_contra]):
    """Delivers messages to a young person; raises Unreachable, or anything for a retry."""

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[M_contra, ...]
    ) -> None: ...


# What a claimed reminder says, or None when it is no longer relevant (made by the channel's
# side, bot/service/reminders.py, so the scheduler needs nothing of the bot).
Compose = Callable[[Session, Reminder], tuple[M, ...] | None]


class _Later:
    """A claimed row that goes back to wait (see WAIT_FOR_DAY)."""


LATER = _Later()


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    missed: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


class Dispatcher(Generic[M]):
    def __init__(
        self,
        database: Database,
        compose: Compose[M],
        sender: Sender[M],
        *,
        clock: Callable[[], datetime],
        rules: ReminderRules = DEFAULT_RULES,
        limiter: RateLimiter | None = None,
        batch: int = 200,
        reclaim_after: timedelta = timedelta(minutes=5),
        only_person: int | None = None,
        concurrency: int = 8,
    ) -> None:
        self.database = database
        self.compose = compose
        self.sender = sender
        self.clock = clock
        self.rules = rules
        self.limiter = limiter or RateLimiter()
        self.batch = batch
        self.reclaim_after = reclaim_after
        self.concurrency = concurrency
        # The local chat dispatches for its demo young person only.
        self.only_person = only_person

    async def dispatch_once(self) -> Report:
        """Send what is due now (at most one batch). Safe to run in several processes."""
        report = Report()
        claimed = await asyncio.to_thread(self._claim, report)
        # Several sends in flight, so database round trips do not eat into Telegram's rate.
        slots = asyncio.Semaphore(self.concurrency)

        async def deliver(reminder_id: int) -> None:
            async with slots:
                await self._deliver(reminder_id, report)

        await asyncio.gather(*(deliver(reminder_id) for reminder_id in claimed))
        return report

    # --- claiming ---------------------------------------------------------------------------

    def _claim(self, report: Report) -> list[int]:
        now = self.clock()
        with self.database.session() as session:
            late = session.scalars(
                select(Reminder.id).where(
                    Reminder.status == ReminderStatus.PENDING, Reminder.latest_at < now
                )
            ).all()
            if late:
                session.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(late))
                    .values(status=ReminderStatus.MISSED, last_error="not sent in time")
                )
                report.missed += len(late)
            session.execute(
                update(Reminder)
                .where(
                    Reminder.status == ReminderStatus.SENDING,
                    Reminder.claimed_at < now - self.reclaim_after,
                )
                .values(status=ReminderStatus.PENDING)
            )
            due = (
                select(Reminder.id)
                .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now)
                .order_by(Reminder.due_at, Reminder.id)
                .limit(self.batch)
            )
            if self.only_person is not None:
                due = due.where(Reminder.young_person_id == self.only_person)
            if self.database.is_sqlite:
                claim = (
                    update(Reminder)
                    .where(
                        Reminder.id.in_(due.scalar_subquery()),
                        Reminder.status == ReminderStatus.PENDING,
                    )
                    .values(status=ReminderStatus.SENDING, claimed_at=now)
                    .returning(Reminder.id)
                )
                ids = list(session.scalars(claim))
            else:
                ids = list(session.scalars(due.with_for_update(skip_locked=True)))
                if ids:
                    session.execute(
                        update(Reminder)
                        .where(Reminder.id.in_(ids))
                        .values(status=ReminderStatus.SENDING, claimed_at=now)
                    )
        return sorted(ids)

    # --- sending ----------------------------------------------------------------------------

    async def _deliver(self, reminder_id: int, report: Report) -> None:
        prepared = await asyncio.to_thread(self._prepare, reminder_id)
        if isinstance(prepared, _Later):
            return
        if prepared is None:
            report.dropped += 1
            return
        person_id, chat_id, messages = prepared
        wait = self.limiter.reserve(chat_id if chat_id is not None else -person_id)
        if wait is None:
            await asyncio.to_thread(self._release, reminder_id)  # next round; 1 a second a chat
            return
        await asyncio.sleep(wait)
        try:
            await self.sender.send(person_id, chat_id, messages)
        except Unreachable:
            await asyncio.to_thread(self._unreachable, reminder_id, person_id)
            report.failed += 1
        except Exception as error:
            failed = await asyncio.to_thread(self._retry_later, reminder_id, type(error).__name__)
            report.errors.append(type(error).__name__)
            if failed:
                report.failed += 1
            else:
                report.retried += 1
        else:
            await asyncio.to_thread(self._mark_sent, reminder_id)
            report.sent += 1

    def _prepare(self, reminder_id: int) -> tuple[int, int | None, tuple[M, ...]] | _Later | None:
        """The messages for a claimed row, None when it is no longer relevant (dropped), or
        LATER when it waits for the quiet hours to end."""
        with self.database.session() as session:
            reminder = session.get(Reminder, reminder_id)
            if reminder is None:
                return None
            now = self.clock()
            allowed = out_of_quiet_hours(now, self.rules)
            if reminder.kind in WAIT_FOR_DAY and allowed > now:
                reminder.status = ReminderStatus.PENDING
                reminder.due_at = allowed
                return LATER
            person = session.get(YoungPerson, reminder.young_person_id)
            messages = self.compose(session, reminder) if person is not None else None
            if person is None or person.status != PersonStatus.ACTIVE or messages is None:
                reminder.status = ReminderStatus.CANCELLED
                reminder.last_error = "no longer relevant"
                return None
            return person.id, person.telegram_chat_id, messages

    def _release(self, reminder_id: int) -> None:
        with self.database.session() as session:
            session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id)
                .values(status=ReminderStatus.PENDING)
            )

    def _mark_sent(self, reminder_id: int) -> None:
        with self.database.session() as session:
            session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id)
                .values(
                    status=ReminderStatus.SENT, sent_at=self.clock(), attempts=Reminder.attempts + 1
                )
            )

    def _retry_later(self, reminder_id: int, error: str) -> bool:
        """Back off, or give up after max_attempts. True when the row is now failed."""
        with self.database.session() as session:
            reminder = session.get(Reminder, reminder_id)
            if reminder is None:
                return True
            reminder.attempts += 1
            reminder.last_error = error[:200]
            retry_at = self.clock() + timedelta(
                seconds=min(1800, 30 * 2 ** (reminder.attempts - 1))
            )
            if reminder.attempts >= self.rules.max_attempts or retry_at > reminder.latest_at:
                reminder.status = ReminderStatus.FAILED
                return True
            reminder.status = ReminderStatus.PENDING
            reminder.due_at = retry_at
            return False

    def _unreachable(self, reminder_id: int, person_id: int) -> None:
        with self.database.session() as session:
            reminder = session.get(Reminder, reminder_id)
            if reminder is not None:
                reminder.status = ReminderStatus.FAILED
                reminder.last_error = "unreachable: the bot is blocked"
            person = session.get(YoungPerson, person_id)
            if person is not None and people.mark_unreachable(person):
                raise_alert(session, person_id, AlertKind.UNREACHABLE, now=self.clock())
