"""The staff notifier: the care loop's clock job.

Every few seconds it applies the clock's rules (held alerts open, unacknowledged urgent alerts
go to the duty list, the daily digest is queued), then claims due e-mails from the staff
outbox and sends them. A send that fails is retried with growing pauses and stays visible on
the dashboard as not sent; an e-mail about an alert someone has since acknowledged is dropped.
Without an SMTP server configured, e-mails wait in the outbox (and the dashboard says so).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.alerts import escalation, outbox
from domain.alerts.email import Mail, MailFacts
from domain.alerts.escalation import CarePolicy
from domain.alerts.raising import responsible_for
from domain.errors import MailError
from storage import Database
from storage.models import (
    Alert,
    AlertStatus,
    NotificationKind,
    StaffNotification,
    StaffUser,
)

logger = logging.getLogger(__name__)

NOTIFY_EVERY_SECONDS = 5


Render = Callable[[MailFacts], tuple[str, str]]  # facts -> (subject, body)
Mailer = Callable[[Mail], None]  # blocking; raises MailError


@dataclass
class NotifyReport:
    released: int = 0
    escalated: int = 0
    digests: int = 0
    sent: int = 0
    retried: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


class Notifier:
    def __init__(
        self,
        database: Database,
        *,
        render: Render,
        mailer: Mailer | None,
        clock: Callable[[], datetime],
        policy: CarePolicy | None = None,
    ) -> None:
        self.database = database
        self.render = render
        self.mailer = mailer
        self.clock = clock
        self.policy = policy or CarePolicy()

    async def run_once(self) -> NotifyReport:
        report = NotifyReport()
        await asyncio.to_thread(self._tick, report)
        if self.mailer is None:
            return report
        ids = await asyncio.to_thread(self._claim)
        for notification_id in ids:  # one at a time: an SMTP server dislikes bursts
            await self._deliver(notification_id, self.mailer, report)
        return report

    def _tick(self, report: NotifyReport) -> None:
        now = self.clock()
        with self.database.session() as session:
            report.released = escalation.release_due_held(session, now=now)
            report.escalated = escalation.escalate_unacknowledged(
                session, now=now, after=self.policy.escalate_after
            )
            report.digests = escalation.queue_digests(session, now=now, policy=self.policy)

    def _claim(self) -> list[int]:
        with self.database.session() as session:
            return outbox.claim_due(session, now=self.clock(), sqlite=self.database.is_sqlite)

    async def _deliver(self, notification_id: int, mailer: Mailer, report: NotifyReport) -> None:
        mail = await asyncio.to_thread(self._prepare, notification_id)
        if mail is None:
            report.dropped += 1
            return
        try:
            await asyncio.to_thread(mailer, mail)
        except MailError as error:
            report.errors.append(str(error))
            report.retried += 1
            logger.warning("a staff e-mail could not be sent (%s); it is retried", error)
            await asyncio.to_thread(self._retry, notification_id, str(error))
        else:
            report.sent += 1
            await asyncio.to_thread(self._sent, notification_id)

    def _prepare(self, notification_id: int) -> Mail | None:
        """The e-mail for a claimed row, or None (and the row cancelled) when it is not needed."""
        with self.database.session() as session:
            notification = session.get(StaffNotification, notification_id)
            if notification is None:
                return None
            staff = session.get(StaffUser, notification.staff_user_id)
            facts, why_not = _facts(session, notification, staff)
            if facts is None or staff is None:
                outbox.mark_cancelled(session, notification_id, why=why_not)
                return None
            subject, body = self.render(facts)
            return Mail(to=staff.email, subject=subject, body=body)

    def _sent(self, notification_id: int) -> None:
        with self.database.session() as session:
            outbox.mark_sent(session, notification_id, now=self.clock())
        logger.info("staff e-mail %s sent", notification_id)

    def _retry(self, notification_id: int, error: str) -> None:
        with self.database.session() as session:
            outbox.retry_later(session, notification_id, error=error, now=self.clock())


def _facts(
    session: Session, notification: StaffNotification, staff: StaffUser | None
) -> tuple[MailFacts | None, str]:
    if staff is None:
        return None, "no such member of staff"
    kind = NotificationKind(notification.kind)
    if kind == NotificationKind.DIGEST:
        waiting = _kinds_waiting(session, staff.id)
        if not waiting:
            return None, "nothing waiting any more"
        return MailFacts(
            kind=kind,
            staff_name=staff.display_name,
            alert_kind=None,
            alert_id=None,
            raised_at=None,
            kinds_waiting=waiting,
        ), ""
    alert = session.get(Alert, notification.alert_id) if notification.alert_id else None
    if alert is None or alert.status != AlertStatus.OPEN:
        return None, "already acknowledged"
    return MailFacts(
        kind=kind,
        staff_name=staff.display_name,
        alert_kind=alert.kind,
        alert_id=alert.id,
        raised_at=alert.created_at,
        kinds_waiting={},
    ), ""


def _kinds_waiting(session: Session, staff_id: int) -> dict[str, int]:
    """Open non-urgent alerts this member of staff is responsible for, per kind."""
    counts: dict[str, int] = {}
    rows = session.execute(
        select(Alert.young_person_id, Alert.kind).where(
            Alert.status == AlertStatus.OPEN, Alert.urgent.is_(False)
        )
    ).all()
    responsible = responsible_for(session, {person_id for person_id, _kind in rows})
    for person_id, kind in rows:
        if any(staff.id == staff_id for staff in responsible[person_id]):
            counts[kind] = counts.get(kind, 0) + 1
    return counts
