"""Check-ins: questionnaire responses, their answers, and the coordinator's own rating."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.crypto import EncryptedText
from storage.models.base import Base, _one_of

if TYPE_CHECKING:
    from storage.models.people import YoungPerson


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"


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
