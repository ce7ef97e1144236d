"""A report period: Copenhagen calendar days, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from core.locale import TIMEZONE


@dataclass(frozen=True)
class Period:
    start: date  # inclusive, Copenhagen calendar days
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def starts_at(self) -> datetime:
        """The UTC instant of 00.00 on the first day in Copenhagen."""
        return datetime.combine(self.start, time(), tzinfo=TIMEZONE).astimezone(UTC)

    @property
    def ends_at(self) -> datetime:
        """The UTC instant of 00.00 on the day after the last (exclusive)."""
        following = self.end + timedelta(days=1)
        return datetime.combine(following, time(), tzinfo=TIMEZONE).astimezone(UTC)

    def during(self, column: InstrumentedAttribute[datetime]) -> ColumnElement[bool]:
        return (column >= self.starts_at) & (column < self.ends_at)
