"""Staff, young people, and where a young person is in the conversation."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    event,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.crypto import EncryptedInteger, EncryptedText, keyring
from storage.models.base import Base, _one_of

if TYPE_CHECKING:
    from storage.models.answers import QuestionnaireResponse


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


class EndOutcome(StrEnum):
    """Why a young person's course ended (domain.lifecycle.end_course)."""

    EDUCATION = "education"  # started an education
    WORK = "work"  # started work
    MOVED = "moved"  # moved away from the municipality
    NOT_WANTED = "not_wanted"  # does not want to take part
    OTHER = "other"


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
    # A closed account: no login, no sessions (dashboard.accounts.disable). None: open.
    disabled_at: Mapped[datetime | None]


class YoungPerson(Base):
    """A pseudonymous young person: a nickname and a birth year, never a CPR number or name."""

    __tablename__ = "young_person"
    __table_args__ = (
        _one_of("status", PersonStatus),
        _one_of("end_outcome", EndOutcome),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_plausible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(80))
    birth_year: Mapped[int] = mapped_column(Integer)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    # active_history: the old value is loaded before a change, so the status history
    # (storage/models/history.py) always knows what it changed from.
    status: Mapped[str] = mapped_column(
        String(16), default=PersonStatus.INVITED, active_history=True
    )
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
    # How the course ended, on which Copenhagen day, and the coordinator's note (for "other").
    end_outcome: Mapped[str | None] = mapped_column(String(16))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_note: Mapped[str | None] = mapped_column(EncryptedText)

    responses: Mapped[list[QuestionnaireResponse]] = relationship(
        back_populates="young_person", cascade="all, delete-orphan", passive_deletes=True
    )


# The people list's default order, by name whatever the case (dashboard/people_list.py): a page
# of 50 reads 50 entries of this index instead of sorting every young person. PostgreSQL only:
# SQLite cannot reflect an index on an expression (a batch migration would drop it), and a
# municipality's numbers of young people run on PostgreSQL.
Index("ix_young_person_name", func.lower(YoungPerson.pseudonym), YoungPerson.id).ddl_if(
    dialect="postgresql"
)


@event.listens_for(YoungPerson.telegram_chat_id, "set")
def _index_chat(person: YoungPerson, chat_id: int | None, *_: object) -> None:
    person.telegram_chat_hash = None if chat_id is None else keyring().blind_index(str(chat_id))


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
