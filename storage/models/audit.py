"""Audit lines: erasures, and who looked at or exported what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Erasure(Base):
    """The audit line left when a young person's data is deleted: when, why and how many rows,
    and nothing about the person."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(16))  # "request" or "retention"
    rows: Mapped[dict[str, Any]]


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
