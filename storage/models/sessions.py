"""Staff sessions kept on the server, and the counters that slow down password guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class StaffSession(Base):
    """One logged-in browser. Its cookie holds a random token and only the token's SHA-256 is
    stored, so this table cannot be used to log in; deleting the row ends the session."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]  # the absolute limit counts from here; nothing moves it
    last_seen_at: Mapped[datetime]  # the idle timeout counts from here


class LoginCounter(Base):
    """Login attempts under one key: an account, a client address or a known device, each as a
    keyed hash (never the e-mail or the address itself). See dashboard/login_guard.py."""

    __tablename__ = "login_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Attempts in the current window, those whose password is being checked included.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_ends_at: Mapped[datetime]
    # How often the attempts ran out: each lock lasts twice as long as the one before.
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
