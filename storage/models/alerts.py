"""Alerts and the staff notification outbox (the care loop)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedJSON, EncryptedText
from storage.models.base import Base, _one_of


class AlertStatus(StrEnum):
    HELD = "held"  # waiting for the young person's answer; nobody sees it yet
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # someone has seen it and is on it
    RESOLVED = "resolved"  # handled, with a note


class Alert(Base):
    """Something the coordinator should look at: open -> acknowledged (who, when) -> resolved
    (with a note). A held alert is released when the young person does not answer in time."""

    __tablename__ = "alert"
    __table_args__ = (
        _one_of("status", AlertStatus),
        Index("ix_alert_status", "status"),
        # The inbox's open alerts, urgent and newest first (dashboard/alert_inbox.py): a page
        # of 50 reads 50 entries instead of sorting every open alert.
        Index("ix_alert_inbox", "status", "urgent", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    details: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    status: Mapped[str] = mapped_column(String(16), default=AlertStatus.OPEN)
    # A held alert opens at this time unless the young person answers first.
    release_at: Mapped[datetime | None]
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    acknowledged_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    # When an unacknowledged urgent alert went to the duty list.
    escalated_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(EncryptedText)


class NotificationKind(StrEnum):
    ALERT = "alert"  # an urgent alert, to the responsible coordinator (or stand-in)
    ESCALATION = "escalation"  # an urgent alert nobody acknowledged, to the duty list
    DIGEST = "digest"  # the day's non-urgent alerts, one e-mail per coordinator


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"  # the alert was acknowledged before the e-mail went out


class StaffNotification(Base):
    """The staff outbox: one e-mail to one member of staff. Stored in the same transaction as
    the alert it is about, claimed atomically, retried until sent, never sent twice
    (`dedup_key`). It holds no health data and no name: the text is made when it is sent."""

    __tablename__ = "staff_notification"
    __table_args__ = (
        _one_of("kind", NotificationKind),
        _one_of("status", NotificationStatus),
        Index("ix_staff_notification_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    # None for a digest, which is about several alerts.
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
