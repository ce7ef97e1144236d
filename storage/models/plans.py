"""Meetings, agreements, and the young people's reminder outbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models.base import Base, _one_of


class MeetingKind(StrEnum):
    INDIVIDUAL = "individual"
    NETWORK = "network"
    OTHER = "other"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class MeetingAnswer(StrEnum):
    COMING = "coming"
    CANNOT_COME = "cannot_come"


class MeetingAttendance(StrEnum):
    """Whether the young person came, recorded by the coordinator after the meeting."""

    ATTENDED = "attended"
    NO_SHOW = "no_show"  # did not come, and did not say so in time
    CANCELLED_LATE = "cancelled_late"  # said so on the day, or too late to use the time


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (
        _one_of("kind", MeetingKind),
        _one_of("status", MeetingStatus),
        _one_of("attendance", MeetingAttendance),
        # All the key-figure report reads of a meeting, by start (migration 0015).
        Index(
            "ix_meeting_report", "starts_at", "status", "attendance", "answer", "young_person_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(EncryptedText)
    participants: Mapped[str] = mapped_column(EncryptedText, default="")
    agenda: Mapped[str] = mapped_column(EncryptedText, default="")
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PLANNED)
    # The young person's answer to a reminder, and an optional reason for "can't come".
    answer: Mapped[str | None] = mapped_column(String(16))
    answer_reason: Mapped[str | None] = mapped_column(EncryptedText)
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # After the meeting: did the young person come (domain.meetings.record_attendance).
    attendance: Mapped[str | None] = mapped_column(String(16))
    attendance_at: Mapped[datetime | None]
    attendance_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class MeetingFeedback(Base):
    """The young person's three answers after a network meeting (1 no, 2 partly, 3 yes)."""

    __tablename__ = "meeting_feedback"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    heard: Mapped[int | None]
    part_of_decisions: Mapped[int | None]
    knows_next: Mapped[int | None]
    answered_at: Mapped[datetime]


class AgreementStatus(StrEnum):
    """Open and not_yet are still running; done, not_done and dropped are outcomes (with when
    and who); cancelled is an agreement taken back by the coordinator, not an outcome."""

    OPEN = "open"
    DONE = "done"
    NOT_YET = "not_yet"  # the young person answered "not yet" before the deadline
    NOT_DONE = "not_done"
    DROPPED = "dropped"
    CANCELLED = "cancelled"


AGREEMENT_RUNNING = (AgreementStatus.OPEN, AgreementStatus.NOT_YET)
AGREEMENT_OUTCOMES = (AgreementStatus.DONE, AgreementStatus.NOT_DONE, AgreementStatus.DROPPED)


class Actor(StrEnum):
    """Who recorded an outcome."""

    COORDINATOR = "coordinator"
    YOUNG_PERSON = "young_person"


class Agreement(Base):
    """A binding agreement from the goal-and-agreement form: goal, action, who, by when."""

    __tablename__ = "agreement"
    __table_args__ = (
        _one_of("status", AgreementStatus),
        _one_of("outcome_by", Actor),
        # All the key-figure report reads of an agreement, by deadline (migration 0015).
        Index(
            "ix_agreement_report",
            "deadline",
            "status",
            "outcome_at",
            "young_person_id",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    goal: Mapped[str] = mapped_column(EncryptedText)
    action: Mapped[str] = mapped_column(EncryptedText)
    responsible: Mapped[str] = mapped_column(EncryptedText)
    # A calendar day in Copenhagen.
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=AgreementStatus.OPEN)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # The outcome (status done, not_done or dropped): when, and who recorded it.
    outcome_at: Mapped[datetime | None]
    outcome_by: Mapped[str | None] = mapped_column(String(16))
    outcome_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"  # its allowed time fell after the event (quiet hours)
    MISSED = "missed"  # not sent in time (downtime); never sent late


class Reminder(Base):
    """The outbox: one row per message to send at a time. `dedup_key` makes planning idempotent."""

    __tablename__ = "reminder"
    __table_args__ = (
        _one_of("status", ReminderStatus),
        Index("ix_reminder_due", "status", "due_at"),
        # The dispatcher's lateness check polls every 2 s: without this, a scan of the outbox.
        Index("ix_reminder_late", "status", "latest_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    # What it refers to: "meeting:12", "agreement:7", "checkin:who5".
    subject: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    # Send no later than this; afterwards the row is recorded as missed.
    latest_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    # Free text to relay (the coordinator's answer to "can't come").
    body: Mapped[str | None] = mapped_column(EncryptedText)
