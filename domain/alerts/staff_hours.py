"""When staff are at work: a daily window on weekdays, with Danish public holidays off (and
the days municipal offices close: Christmas Eve, New Year's Eve, Constitution Day).

Pure: no clock of its own. The bot uses it to tell a young person truthfully when someone
will see an alert; the escalation uses the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from core.locale import TIMEZONE
from domain.errors import StaffHoursError

# Not public holidays by law, but municipal offices are closed.
CLOSED_DAYS = frozenset({(12, 24), (12, 31), (6, 5)})
LOOK_AHEAD_DAYS = 30  # more than any run of closed days


@lru_cache(maxsize=8)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


@dataclass(frozen=True, kw_only=True)
class StaffHours:
    opens: time = time(8, 0)
    closes: time = time(16, 0)
    weekdays: frozenset[int] = field(default=frozenset(range(5)))  # Monday is 0

    def working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            and (day.month, day.day) not in CLOSED_DAYS
            and day not in _public_holidays(day.year)
        )

    def away_until(self, moment: datetime) -> datetime | None:
        """None while staff are at work; otherwise the start of the next working hours (UTC)."""
        local = moment.astimezone(TIMEZONE)
        if self.working_day(local.date()) and self.opens <= local.time() < self.closes:
            return None
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        for _ in range(LOOK_AHEAD_DAYS):
            if self.working_day(day):
                return datetime.combine(day, self.opens, tzinfo=TIMEZONE).astimezone(UTC)
            day += timedelta(days=1)
        raise StaffHoursError("no working day in the next 30 days")  # pragma: no cover
