"""APScheduler 3.11 inside the bot process fires the planner and the dispatcher.

The jobs live in APScheduler's memory store and hold no state: everything they act on is in the
database, so a restart loses nothing and several processes may run them side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from bot.content import Content
from scheduler.dispatcher import Dispatcher
from scheduler.planning import plan_checkins
from scheduler.rules import DEFAULT_RULES, ReminderRules
from storage import Database, ProcessedUpdate

logger = logging.getLogger(__name__)

DISPATCH_EVERY_SECONDS = 2
KEEP_UPDATE_IDS = timedelta(days=2)
PLAN_EVERY_MINUTES = 5


class Planner:
    def __init__(
        self,
        database: Database,
        content: Content,
        *,
        clock: Callable[[], datetime],
        rules: ReminderRules = DEFAULT_RULES,
    ) -> None:
        self.database = database
        self.content = content
        self.clock = clock
        self.rules = rules

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
                rules=self.rules,
            )
        logger.info("planner: %d reminders added", added)
        return added

    async def run(self) -> None:
        await asyncio.to_thread(self.plan)


async def _dispatch(dispatcher: Dispatcher) -> None:
    report = await dispatcher.dispatch_once()
    if report.sent or report.failed or report.missed:
        logger.info(
            "dispatcher: %d sent, %d retried, %d failed, %d missed",
            report.sent,
            report.retried,
            report.failed,
            report.missed,
        )


def start_scheduler(dispatcher: Dispatcher, planner: Planner) -> AsyncIOScheduler:
    """Start both jobs on the running event loop; call .shutdown() to stop them."""
    scheduler = AsyncIOScheduler(timezone=UTC)
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
    scheduler.start()
    return scheduler
