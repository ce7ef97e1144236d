"""APScheduler 3.11 inside the bot process fires the planner, the dispatcher and the idea mixer.

The jobs live in APScheduler's memory store and hold no state: everything they act on is in the
database, so a restart loses nothing and several processes may run them side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from core.content import Content
from core.locale import TIMEZONE
from domain.checkins import plan_checkins
from domain.idea_pool import MixReport, mix
from domain.reminder_timing import DEFAULT_RULES, ReminderRules
from domain.workshops import forget_voters
from scheduler.dispatcher import Dispatcher
from scheduler.notifier import NOTIFY_EVERY_SECONDS, Notifier
from scheduler.retention import DEFAULT_KEEP_FOR, RetentionReport, run_retention
from storage import Database, ProcessedUpdate

logger = logging.getLogger(__name__)

DISPATCH_EVERY_SECONDS = 2
KEEP_UPDATE_IDS = timedelta(days=2)
PLAN_EVERY_MINUTES = 5
# The idea pool is mixed onto the boards this often (domain.idea_pool.MAX_ROUNDS runs at most).
MIX_EVERY_MINUTES = 2
# Retention runs once a day, at night in Copenhagen.
RETENTION_AT = time(3, 15)


class Planner:
    def __init__(
        self,
        database: Database,
        content: Content,
        *,
        clock: Callable[[], datetime],
        rules: ReminderRules = DEFAULT_RULES,
        keep_for: timedelta = DEFAULT_KEEP_FOR,
    ) -> None:
        self.database = database
        self.content = content
        self.clock = clock
        self.rules = rules
        self.keep_for = keep_for

    def plan(self) -> int:
        with self.database.session() as session:
            # Telegram redelivers an update for at most a day, and may reuse ids after a week.
            session.execute(
                delete(ProcessedUpdate).where(
                    ProcessedUpdate.processed_at < self.clock() - KEEP_UPDATE_IDS
                )
            )
            added = plan_checkins(
                session,
                now=self.clock(),
                questionnaires=set(self.content.questionnaires),
                default_plan=self.content.default_plan,
                rules=self.rules,
            )
            # A closed workshop's voters are forgotten within one planner tick.
            forget_voters(session, now=self.clock())
        logger.info("planner: %d reminders added", added)
        return added

    async def run(self) -> None:
        await asyncio.to_thread(self.plan)

    def mix_ideas(self) -> MixReport:
        """Move pooled bot ideas onto the boards, in a transaction that touches no person (the
        local chat may call it between messages, like plan)."""
        with self.database.session() as session:
            return mix(session, now=self.clock())

    async def run_mix_ideas(self) -> None:
        await asyncio.to_thread(self.mix_ideas)

    def retain(self) -> RetentionReport:
        with self.database.session() as session:
            return run_retention(session, now=self.clock(), keep_for=self.keep_for)

    async def run_retention(self) -> None:
        await asyncio.to_thread(self.retain)


async def _dispatch(dispatcher: Dispatcher[Any]) -> None:
    report = await dispatcher.dispatch_once()
    if report.sent or report.failed or report.missed:
        logger.info(
            "dispatcher: %d sent, %d retried, %d failed, %d missed",
            report.sent,
            report.retried,
            report.failed,
            report.missed,
        )


async def _notify(notifier: Notifier) -> None:
    report = await notifier.run_once()
    if report.sent or report.retried or report.escalated or report.released:
        logger.info(
            "notifier: %d e-mails sent, %d retried, %d alerts escalated, %d held alerts opened",
            report.sent,
            report.retried,
            report.escalated,
            report.released,
        )


def start_scheduler(
    dispatcher: Dispatcher[Any], planner: Planner, notifier: Notifier | None = None
) -> AsyncIOScheduler:
    """Start the jobs (dispatch, plan, mix ideas, nightly retention, and the staff notifier) on the
    running event loop; call .shutdown() to stop them."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    if notifier is not None:
        scheduler.add_job(
            _notify,
            "interval",
            args=[notifier],
            seconds=NOTIFY_EVERY_SECONDS,
            id="notify",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
    scheduler.add_job(
        _dispatch,
        "interval",
        args=[dispatcher],
        seconds=DISPATCH_EVERY_SECONDS,
        id="dispatch",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        planner.run,
        "interval",
        minutes=PLAN_EVERY_MINUTES,
        id="plan",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        planner.run_mix_ideas,
        "interval",
        minutes=MIX_EVERY_MINUTES,
        id="mix_ideas",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        planner.run_retention,
        "cron",
        hour=RETENTION_AT.hour,
        minute=RETENTION_AT.minute,
        timezone=TIMEZONE,
        id="retention",
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
