"""Retention: young people with no activity for the configured period are deleted (ended ones
included), and old rows of the reminder outbox are pruned. Runs daily and on demand
(`ungeguide retention run`); it reports counts, never who.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, delete, func, select
from sqlalchemy.orm import Session

from storage.erasure import erase_person
from storage.models import (
    Agreement,
    ConversationStateRow,
    Meeting,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    YoungPerson,
)

logger = logging.getLogger(__name__)

DEFAULT_KEEP_FOR = timedelta(days=365)
# Sent, failed, missed and cancelled reminders are kept this long for the coordinator's view.
OUTBOX_KEEP_FOR = timedelta(days=90)
FINISHED = (
    ReminderStatus.SENT,
    ReminderStatus.FAILED,
    ReminderStatus.MISSED,
    ReminderStatus.CANCELLED,
    ReminderStatus.SKIPPED,
)


@dataclass(frozen=True)
class RetentionReport:
    people: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    reminders_pruned: int = 0


def last_activity(session: Session) -> dict[int, datetime]:
    """Each young person's newest sign of life: joining, answers, the chat, meetings, agreements
    and reminders (a meeting or deadline in the future keeps a person, too)."""
    newest: dict[int, datetime] = {}

    def take(rows: Iterable[Any]) -> None:
        for person_id, moment in rows:
            if moment is None:
                continue
            if isinstance(moment, date) and not isinstance(moment, datetime):
                moment = datetime.combine(moment, time(23, 59), tzinfo=UTC)
            if person_id not in newest or moment > newest[person_id]:
                newest[person_id] = moment

    person = YoungPerson
    for column in (person.created_at, person.invite_used_at, person.information_accepted_at):
        take(session.execute(select(person.id, column)))
    grouped: tuple[tuple[Any, ColumnElement[Any]], ...] = (
        (QuestionnaireResponse.young_person_id, func.max(QuestionnaireResponse.started_at)),
        (QuestionnaireResponse.young_person_id, func.max(QuestionnaireResponse.completed_at)),
        (ConversationStateRow.young_person_id, func.max(ConversationStateRow.updated_at)),
        (Meeting.young_person_id, func.max(Meeting.starts_at)),
        (Agreement.young_person_id, func.max(Agreement.deadline)),
        (Reminder.young_person_id, func.max(Reminder.sent_at)),
    )
    for key, newest_of in grouped:
        take(session.execute(select(key, newest_of).group_by(key)))
    return newest


def run_retention(
    session: Session, *, now: datetime, keep_for: timedelta = DEFAULT_KEEP_FOR
) -> RetentionReport:
    cutoff = now - keep_for
    expired = sorted(pid for pid, moment in last_activity(session).items() if moment < cutoff)
    rows: dict[str, int] = {}
    for person_id in expired:
        for table, count in erase_person(session, person_id, reason="retention", now=now).items():
            rows[table] = rows.get(table, 0) + count
    old = delete(Reminder).where(
        Reminder.status.in_(FINISHED), Reminder.due_at < now - OUTBOX_KEEP_FOR
    )
    pruned = cast("CursorResult[Any]", session.execute(old)).rowcount
    report = RetentionReport(len(expired), rows, pruned)
    logger.info(
        "retention: %d young people deleted (%s), %d old reminders pruned",
        report.people,
        ", ".join(f"{t} {n}" for t, n in sorted(rows.items())) or "no rows",
        report.reminders_pruned,
    )
    return report
