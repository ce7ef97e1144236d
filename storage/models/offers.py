"""Offers (tilbud) a young person can receive: a list an administrator keeps, and per young
person which offer, from which day, to which day (open while it runs)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Offer(Base):
    """One kind of offer ("Mentor", "FGU"). Names are not about any person: plain text.
    An offer in use is never deleted, only retired (`active` False), so history keeps its name."""

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class PersonOffer(Base):
    """A young person receives an offer: start day, and end day once it ended (Copenhagen)."""

    __tablename__ = "person_offer"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="RESTRICT"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
