"""Youth workshops: anonymous ideas, votes and followers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models.base import Base, _one_of


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

    `id` is random (domain.workshops.new_idea_id), not a sequence, and `shuffle` is random:
    ideas are listed by theme and by it, never in the order they came. An idea sent through
    the bot arrives here from the IdeaPool, in a transaction of its own.
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


class IdeaPool(Base):
    """An idea sent through the bot, waiting to be moved onto the board (domain.idea_pool).

    The young person's transaction writes it, so it holds nothing but the workshop and a
    sealed, fixed-size payload (theme, text and day) under a random id: no person, time or
    sequence. On SQLite the table has no rowid (a rowid would count the arrivals).
    `rounds` counts the mixer runs it has waited.
    """

    __tablename__ = "idea_pool"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[str] = mapped_column(EncryptedText)
    rounds: Mapped[int] = mapped_column(default=0)
