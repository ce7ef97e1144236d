"""What the inbox and the alert page show about each alert, read in two queries for any number.

Who sees what (the brief of the care loop):

- The alert itself (kind, when, status, who took it, the note, the e-mails): whoever sees the
  young person, and any member of staff who was e-mailed about this alert (the duty list gets an
  escalation and must be able to act on it). Everyone else gets a 404.
- The young person's page and the alert's details (a WHO-5 score, a topic): only those who see
  the young person. A duty-list member sees the nickname and the coordinator's name, no more.
- The words of a crisis (what the young person wrote): only their own coordinator, or the
  stand-in while the coordinator is absent; each view goes in the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from dashboard.i18n import _
from dashboard.labels import short_time
from dashboard.web import Viewer, alerts_shown_to
from domain.alerts.kinds import AlertKind
from storage.models import (
    Alert,
    AlertStatus,
    NotificationKind,
    NotificationStatus,
    StaffNotification,
    StaffRole,
    StaffUser,
    YoungPerson,
)

CRISIS_KINDS = frozenset({AlertKind.CRISIS, AlertKind.CRISIS_POSSIBLE, AlertKind.SAFETY_OKAY})
# A queued e-mail not sent after this long is a problem someone should see.
MAIL_LATE = timedelta(minutes=5)


@dataclass(frozen=True)
class MailLine:
    text: str
    trouble: bool  # not sent when it should have been: shown in red, with words


@dataclass
class AlertCard:
    alert: Alert
    pseudonym: str
    coordinator: str | None
    sees_person: bool  # may open the young person's page and see the alert's details
    sees_words: bool  # may read what the young person wrote in a crisis
    acknowledged_by: str | None
    resolved_by: str | None
    mails: list[MailLine] = field(default_factory=list)

    @property
    def crisis(self) -> bool:
        return self.alert.kind in CRISIS_KINDS

    @property
    def words(self) -> str | None:
        """What the young person wrote, for a crisis (only for those who may read it)."""
        found = self.alert.details.get("text")
        return str(found) if found and self.crisis and self.sees_words else None

    @property
    def words_before(self) -> str | None:
        """The earlier words that raised a held "possible crisis" this crisis took over."""
        found = self.alert.details.get("text_before")
        return str(found) if found and self.crisis and self.sees_words else None

    @property
    def topic(self) -> str | None:
        found = self.alert.details.get("text")
        if found and self.alert.kind == AlertKind.TALK_TOPIC and self.sees_person:
            return str(found)
        return None

    @property
    def mail_trouble(self) -> bool:
        return any(line.trouble for line in self.mails)


def cards(
    session: Session,
    who: Viewer,
    *where: ColumnElement[bool],
    order: Sequence[ColumnElement[Any]] = (),
    offset: int = 0,
    limit: int | None = None,
    now: datetime,
) -> list[AlertCard]:
    """The alerts `who` may see that match `where`, with names and e-mail lines."""
    coordinator = aliased(StaffUser)
    taker = aliased(StaffUser)
    resolver = aliased(StaffUser)
    query = (
        select(
            Alert,
            YoungPerson.pseudonym,
            YoungPerson.coordinator_id,
            coordinator.display_name,
            taker.display_name,
            resolver.display_name,
        )
        .join(YoungPerson, YoungPerson.id == Alert.young_person_id)
        .outerjoin(coordinator, coordinator.id == YoungPerson.coordinator_id)
        .outerjoin(taker, taker.id == Alert.acknowledged_by)
        .outerjoin(resolver, resolver.id == Alert.resolved_by)
        .where(alerts_shown_to(who), *where)
        .order_by(*order, Alert.id.desc())
        .offset(offset)
        .limit(limit)
    )
    found = []
    for alert, pseudonym, coordinator_id, coordinator_name, took, resolved in session.execute(
        query
    ):
        mine = who.coordinates(coordinator_id)
        found.append(
            AlertCard(
                alert=alert,
                pseudonym=pseudonym,
                coordinator=coordinator_name,
                sees_person=who.role == StaffRole.ADMIN
                or (who.role == StaffRole.COORDINATOR and mine),
                sees_words=mine,
                acknowledged_by=took,
                resolved_by=resolved,
            )
        )
    _add_mail_lines(session, found, now=now)
    return found


def _add_mail_lines(session: Session, found: list[AlertCard], *, now: datetime) -> None:
    if not found:
        return
    sent: defaultdict[int, list[tuple[StaffNotification, str]]] = defaultdict(list)
    for notification, name in session.execute(
        select(StaffNotification, StaffUser.display_name)
        .join(StaffUser, StaffUser.id == StaffNotification.staff_user_id)
        .where(StaffNotification.alert_id.in_([card.alert.id for card in found]))
        .order_by(StaffNotification.created_at, StaffNotification.id)
    ):
        if notification.alert_id is not None:
            sent[notification.alert_id].append((notification, name))
    for card in found:
        card.mails = mail_lines(card.alert, sent[card.alert.id], now=now)


def mail_lines(
    alert: Alert, notifications: Sequence[tuple[StaffNotification, str]], *, now: datetime
) -> list[MailLine]:
    """Whether the alert's e-mails went out, in words; a failure is never left out."""
    lines = []
    first_wave = [(n, name) for n, name in notifications if n.kind == NotificationKind.ALERT]
    escalations = [(n, name) for n, name in notifications if n.kind == NotificationKind.ESCALATION]
    if alert.urgent and not first_wave and alert.status != AlertStatus.HELD:
        lines.append(MailLine(_("No e-mail was sent about this alert."), trouble=False))
    lines.extend(_mail_line(n, name, now=now) for n, name in first_wave)
    if alert.escalated_at is not None:
        when = short_time(alert.escalated_at, now)
        if escalations:
            text = _("Sent on to the duty list %(when)s.") % {"when": when}
            lines.append(MailLine(text, trouble=False))
        else:
            text = _("Sent on to the duty list %(when)s, but nobody there has an e-mail address.")
            lines.append(MailLine(text % {"when": when}, trouble=True))
    lines.extend(_mail_line(n, name, now=now, duty=True) for n, name in escalations)
    return lines


def _mail_line(
    notification: StaffNotification, name: str, *, now: datetime, duty: bool = False
) -> MailLine:
    values = {"name": name + (" " + _("(duty list)") if duty else "")}
    if notification.status == NotificationStatus.SENT and notification.sent_at is not None:
        values["when"] = short_time(notification.sent_at, now)
        return MailLine(_("E-mail sent %(when)s to %(name)s.") % values, trouble=False)
    if notification.status == NotificationStatus.CANCELLED:
        text = _("E-mail to %(name)s not sent: someone had already taken the alert.")
        return MailLine(text % values, trouble=False)
    values["when"] = short_time(notification.created_at, now)
    text = _("E-mail to %(name)s not sent yet (waiting since %(when)s).") % values
    if notification.attempts:
        text += " " + _("Attempts so far: %(attempts)s (all failed).") % {
            "attempts": notification.attempts
        }
        if notification.last_error:
            text += " " + _("Last error: %(error)s") % {"error": notification.last_error}
    late = now - notification.created_at > MAIL_LATE
    return MailLine(text, trouble=bool(notification.attempts) or late)
