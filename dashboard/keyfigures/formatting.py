"""The report as Danish lines, small numbers already suppressed: what page, CSV and XLSX show.

Each line keeps its number next to its text (`number`, `kind`), so the XLSX can store a count as a
number and a share as a percentage, and a definition (`note`) that says what was counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.locale import format_number
from dashboard.i18n import _

SMALL = 5  # a count below this shows as "<5"; a share or mean over fewer people: HIDDEN
HIDDEN = "–"
COUNT, SHARE, MEAN, MINUTES, TEXT = "count", "share", "mean", "minutes", "text"


@dataclass(frozen=True)
class Cell:
    """A value as shown (`text`), and as a number when it is shown as one (else None)."""

    text: str
    number: float | None = None
    kind: str = TEXT  # COUNT, SHARE (a fraction: 0.62 shows as "62 %"), MEAN, MINUTES or TEXT


@dataclass(frozen=True)
class ReportRow:
    section: str  # Danish section heading
    label: str  # Danish label
    value: str  # formatted Danish text, already suppressed ("<5", HIDDEN, "62 %", "48,3")
    number: float | None = None  # the shown value as a number, None for "<5", HIDDEN or text
    kind: str = TEXT
    note: str = field(default="")  # the definition: what was counted


def format_count(count: int) -> str:
    return "<5" if count < SMALL else format_number(count)


def format_share(part: int, whole: int, *, people: int) -> str:
    return share(part, whole, people=people).text


def format_mean(mean: float | None, *, people: int) -> str:
    return HIDDEN if people < SMALL or mean is None else format_number(mean, decimals=1)


def format_minutes(minutes: float | None, *, people: int) -> str:
    """'20 min.', '1 t. 5 min.', '2 døgn 3 t.' (rounded to whole minutes)."""
    if people < SMALL or minutes is None:
        return HIDDEN
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s days %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


def count(value: int, *, hidden: bool = False) -> Cell:
    if hidden:
        return Cell(HIDDEN)
    if value < SMALL:
        return Cell("<5")
    return Cell(format_number(value), value, COUNT)


def share(part: int, whole: int, *, people: int) -> Cell:
    if people < SMALL or whole == 0:
        return Cell(HIDDEN)
    fraction = part / whole
    return Cell(format_number(100 * fraction) + " %", fraction, SHARE)


def mean(value: float | None, *, people: int) -> Cell:
    if people < SMALL or value is None:
        return Cell(HIDDEN)
    return Cell(format_number(value, decimals=1), round(value, 1), MEAN)


def minutes(value: float | None, *, people: int) -> Cell:
    """A time in whole minutes, shown as '1 t. 5 min.'."""
    text = format_minutes(value, people=people)
    return Cell(text) if value is None or text == HIDDEN else Cell(text, round(value), MINUTES)
