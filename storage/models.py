"""The tables. Instants are aware and stored in UTC (see storage/types.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.crypto import EncryptedInteger, EncryptedJSON, EncryptedText, keyring
from storage.types import UTCDateTime

# Stable constraint names, so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


def _one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


class StaffRole(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"


class PersonStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"
    UNREACHABLE = "unreachable"
    ENDED = "ended"


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (_one_of("role", StaffRole),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    # A one-time link to set the password: only its SHA-256 is stored, with an expiry.
    setup_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_expires_at: Mapped[datetime | None]
    # The care loop: an absent coordinator's alerts go to the stand-in; urgent alerts nobody
    # acknowledges in time go to everyone on the duty list (vagt).
    absent: Mapped[bool] = mapped_column(default=False)
    stand_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    on_duty: Mapped[bool] = mapped_column(default=False)


class YoungPerson(Base):
    """A pseudonymous young person: a nickname and a birth year, never a CPR number or name."""

    __tablename__ = "young_person"
    __table_args__ = (
        _one_of("status", PersonStatus),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_plausible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(80))
    birth_year: Mapped[int] = mapped_column(Integer)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=PersonStatus.INVITED)
    # The invite code itself is never stored: only its SHA-256, with an expiry.
    invite_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None]
    invite_used_at: Mapped[datetime | None]
    # Encrypted; found by its keyed hash (see storage/crypto.py), kept in step by an event below.
    telegram_chat_id: Mapped[int | None] = mapped_column(EncryptedInteger)
    telegram_chat_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    information_version: Mapped[int | None]
    information_accepted_at: Mapped[datetime | None]
    # A wall-clock time of day in Europe/Copenhagen (not an instant, so not UTC).
    preferred_checkin_time: Mapped[time | None] = mapped_column(Time)
    # Questionnaire id -> days between check-ins; None means the default plan.
    checkin_plan: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]

    responses: Mapped[list[QuestionnaireResponse]] = relationship(
        back_populates="young_person", cascade="all, delete-orphan", passive_deletes=True
    )


class QuestionnaireResponse(Base):
    """One filling-in of a questionnaire. The id is made by the engine (a UUID as 32 hex digits)."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (_one_of("status", ResponseStatus),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(32))
    questionnaire_version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=ResponseStatus.IN_PROGRESS)
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    score: Mapped[int | None]
    # "What would you like to talk about next time?" for the coordinator.
    talk_next_time: Mapped[str | None] = mapped_column(EncryptedText)
    # The meeting whose agenda the topic was put on.
    talk_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL")
    )

    young_person: Mapped[YoungPerson] = relationship(back_populates="responses")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Answer.id",
    )


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("questionnaire_response.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(16))
    value: Mapped[int]
    answered_at: Mapped[datetime]

    response: Mapped[QuestionnaireResponse] = relationship(back_populates="answers")


class ProcessedUpdate(Base):
    """A Telegram update_id already handled, so a redelivered update is not handled twice."""

    __tablename__ = "processed_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class ConversationStateRow(Base):
    """Where a young person is in a conversation; `version` guards against lost updates."""

    __tablename__ = "conversation_state"

    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


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


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (_one_of("kind", MeetingKind), _one_of("status", MeetingStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(EncryptedText, default="")
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PLANNED)
    # The young person's answer to a reminder, and an optional reason for "can't come".
    answer: Mapped[str | None] = mapped_column(String(16))
    answer_reason: Mapped[str | None] = mapped_column(EncryptedText)
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class AgreementStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_YET = "not_yet"
    CANCELLED = "cancelled"


class Agreement(Base):
    """A binding agreement from the goal-and-agreement form: goal, action, who, by when."""

    __tablename__ = "agreement"
    __table_args__ = (_one_of("status", AgreementStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    goal: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(120))
    # A calendar day in Copenhagen.
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=AgreementStatus.OPEN)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


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


class AlertStatus(StrEnum):
    HELD = "held"  # waiting for the young person's answer; nobody sees it yet
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # someone has seen it and is on it
    RESOLVED = "resolved"  # handled, with a note


class Alert(Base):
    """Something the coordinator should look at: open -> acknowledged (who, when) -> resolved
    (with a note). A held alert is released when the young person does not answer in time."""

    __tablename__ = "alert"
    __table_args__ = (_one_of("status", AlertStatus), Index("ix_alert_status", "status"))

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


class Erasure(Base):
    """The audit line left when a young person's data is deleted: when, why and how many rows,
    and nothing about the person."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(16))  # "request" or "retention"
    rows: Mapped[dict[str, Any]]


class CoordinatorRating(Base):
    """The coordinator's own BIP rating of a young person, kept beside the young person's.

    `belief` is the coordinator's belief that the young person will get into education or work
    (1-5), the strongest single BIP predictor; None for a livsområder rating.
    """

    __tablename__ = "coordinator_rating"
    __table_args__ = (CheckConstraint("belief BETWEEN 1 AND 5", name="belief_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    questionnaire_id: Mapped[str] = mapped_column(String(32))
    # Item id -> value on the questionnaire's scale.
    answers: Mapped[dict[str, Any]]
    belief: Mapped[int | None]
    rated_at: Mapped[datetime]


class AuditEvent(Base):
    """Who looked at or exported what, and when. The young person is a plain number, not a
    foreign key: the line stays when the person is erased, and says nothing about them."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(32))
    young_person_ref: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(120), default="")


class Workshop(Base):
    """A youth workshop (ungeværksted) collecting anonymous ideas."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(String(300))
    themes: Mapped[list[str]] = mapped_column(JSON)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    # Keys the voters' hashes; thrown away when the workshop closes, so no vote can be traced.
    vote_salt: Mapped[str | None] = mapped_column(String(64))
    # When the close-the-loop message went out (once per workshop).
    outcome_sent_at: Mapped[datetime | None]


class IdeaStatus(StrEnum):
    NEW = "new"
    DISCUSSED = "discussed"
    TAKEN_FORWARD = "taken_forward"


class Idea(Base):
    """An anonymous idea: no person, chat or session, and the day only, never the time.

    `shuffle` is random: ideas are listed by theme and by it, never in the order they came.
    """

    __tablename__ = "idea"
    __table_args__ = (_one_of("status", IdeaStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(EncryptedText)
    sent_on: Mapped[date] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(default=False)
    shuffle: Mapped[str] = mapped_column(String(32), default="")
    flagged: Mapped[bool] = mapped_column(default=False)  # a word from the review list
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=IdeaStatus.NEW)
    outcome: Mapped[str | None] = mapped_column(EncryptedText)


class IdeaVote(Base):
    """One vote: the voter is a keyed hash under the workshop's salt, never a person or chat."""

    __tablename__ = "idea_vote"
    __table_args__ = (UniqueConstraint("idea_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    voter: Mapped[str] = mapped_column(String(64))


class WorkshopFollower(Base):
    """A young person to tell what became of a workshop's ideas: who sent ideas through the
    bot, never which. Deleted once the message is queued."""

    __tablename__ = "workshop_follower"
    __table_args__ = (UniqueConstraint("workshop_id", "young_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )


@event.listens_for(YoungPerson.telegram_chat_id, "set")
def _index_chat(person: YoungPerson, chat_id: int | None, *_: object) -> None:
    person.telegram_chat_hash = None if chat_id is None else keyring().blind_index(str(chat_id))
