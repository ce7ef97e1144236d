"""The one place that formats dates, times and numbers for people: Danish, Europe/Copenhagen.

Times are stored in UTC; they are shown in Copenhagen time through these functions only.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime
from babel.numbers import format_decimal

LOCALE = "da_DK"
TIMEZONE = ZoneInfo("Europe/Copenhagen")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: store and pass times with a time zone (UTC)")


def local(moment: datetime) -> datetime:
    """The same instant on the Copenhagen wall clock."""
    _require_aware(moment)
    return moment.astimezone(TIMEZONE)


def format_day(moment: datetime) -> str:
    """'tirsdag den 24. november'."""
    _require_aware(moment)
    return format_datetime(moment, "EEEE 'den' d. MMMM", tzinfo=TIMEZONE, locale=LOCALE)


def format_date(day: date) -> str:
    """'fredag den 4. december' for a calendar day (no time, so no time zone)."""
    return babel_format_date(day, "EEEE 'den' d. MMMM", locale=LOCALE)


def format_moment(moment: datetime) -> str:
    """'tirsdag den 24. november kl. 14.00'."""
    _require_aware(moment)
    return format_datetime(moment, "EEEE 'den' d. MMMM 'kl.' HH.mm", tzinfo=TIMEZONE, locale=LOCALE)


def format_number(number: float, *, decimals: int = 0) -> str:
    """'1.234,5' for 1234.5 with decimals=1."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=LOCALE)
