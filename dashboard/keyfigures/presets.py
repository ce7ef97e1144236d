"""The periods a report can be asked for: whole calendar quarters and half-years.

A report covers one of these fixed periods, never a free pair of dates, so two reports can never
differ by a day (the differencing attack of issue 16). A period is offered from a week after it
ends, when late check-in answers are in and its figures no longer change, and for the last
`YEARS` calendar years. Keys in links: "2026-H1" (half-year), "2026-K3" (kvartal, quarter).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from core.locale import LOCALE
from dashboard.i18n import _
from dashboard.keyfigures.period import Period

SETTLED = timedelta(days=7)  # check-ins count as completed up to 7 days after being sent
YEARS = 5
HALF, QUARTER = "H", "K"
_KEY = re.compile(r"(\d{4})-([HK])([1-4])")


@dataclass(frozen=True)
class Preset:
    year: int
    kind: str  # HALF or QUARTER
    number: int  # 1-2 for a half-year, 1-4 for a quarter

    def __post_init__(self) -> None:
        if (self.kind, self.number) not in {(HALF, 1), (HALF, 2)} | {
            (QUARTER, n) for n in range(1, 5)
        }:
            raise ValueError(f"no such period: {self.kind}{self.number}")

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind}{self.number}"

    @property
    def whole(self) -> bool:
        """A half-year: the whole report; a quarter shows counts only."""
        return self.kind == HALF

    @property
    def period(self) -> Period:
        months = 6 if self.whole else 3
        first = (self.number - 1) * months + 1
        last = first + months - 1
        end = date(self.year, last, calendar.monthrange(self.year, last)[1])
        return Period(date(self.year, first, 1), end)

    @property
    def label(self) -> str:
        """'1. halvår 2026', '3. kvartal 2026'."""
        words = {"number": self.number, "year": str(self.year)}
        if self.whole:
            return _("Half-year %(number)s %(year)s") % words
        return _("Quarter %(number)s %(year)s") % words

    @property
    def days(self) -> tuple[str, str]:
        """('1. januar 2026', '30. juni 2026'): the first and the last day, with the year."""
        period = self.period
        return _with_year(period.start), _with_year(period.end)

    @property
    def half(self) -> Preset:
        """The half-year this period lies in (a half-year's is itself)."""
        return self if self.whole else Preset(self.year, HALF, (self.number + 1) // 2)

    @property
    def quarters(self) -> tuple[Preset, Preset]:
        """The first and the second quarter of this period's half-year."""
        first = self.half.number * 2 - 1
        return Preset(self.year, QUARTER, first), Preset(self.year, QUARTER, first + 1)

    def available(self, today: date) -> bool:
        return today > self.period.end + SETTLED


def _with_year(day: date) -> str:
    return format_date(day, "d. MMMM y", locale=LOCALE)


def offered(today: date) -> list[Preset]:
    """Every period one may ask for today, the latest first (a half-year before its quarter)."""
    found = [
        Preset(year, kind, number)
        for year in range(today.year - YEARS + 1, today.year + 1)
        for kind, numbers in ((HALF, (1, 2)), (QUARTER, (1, 2, 3, 4)))
        for number in numbers
    ]
    usable = [preset for preset in found if preset.available(today)]
    return sorted(usable, key=lambda p: (p.period.end, p.whole), reverse=True)


def latest_half(today: date) -> Preset:
    return next(preset for preset in offered(today) if preset.whole)


def parse(key: str, today: date) -> Preset | None:
    """The offered period with this key, or None (unknown, not ended, or too old)."""
    found = _KEY.fullmatch(key.strip())
    if found is None:
        return None
    year, kind, number = int(found[1]), found[2], int(found[3])
    if kind == HALF and number > 2:
        return None
    preset = Preset(year, kind, number)
    return preset if preset in offered(today) else None


def matching(start: date, end: date, today: date) -> Preset | None:
    """The offered period from `start` to `end` (old links with fra/til), or None."""
    return next((p for p in offered(today) if (p.period.start, p.period.end) == (start, end)), None)


def by_year(presets: list[Preset]) -> list[tuple[int, list[Preset]]]:
    """The periods grouped by year, the latest year first, for the form's list."""
    years: dict[int, list[Preset]] = {}
    for preset in presets:
        years.setdefault(preset.year, []).append(preset)
    return list(years.items())
