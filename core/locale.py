"""The one place that formats dates, times and numbers for people: Danish, Europe/Copenhagen.

Times are stored in UTC; they are shown in Copenhagen time through these functions only.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime, get_date_format
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


# With the year, for staff: a table or a report outlives the year it was made in. The short
# forms are CLDR's medium date for da ("24. nov. 2026"), for table cells; the long forms
# CLDR's full date ("tirsdag den 24. november 2026"), for sentences.
SHORT_DATE = get_date_format("medium", locale=LOCALE).pattern
LONG_DATE = get_date_format("full", locale=LOCALE).pattern
CLOCK = " 'kl.' HH.mm"


def format_date_short(day: date) -> str:
    """'24. nov. 2026' for a calendar day."""
    return babel_format_date(day, SHORT_DATE, locale=LOCALE)


def format_date_long(day: date) -> str:
    """'tirsdag den 24. november 2026' for a calendar day."""
    return babel_format_date(day, LONG_DATE, locale=LOCALE)


def format_moment_short(moment: datetime) -> str:
    """'24. nov. 2026 kl. 14.00'."""
    _require_aware(moment)
    return format_datetime(moment, SHORT_DATE + CLOCK, tzinfo=TIMEZONE, locale=LOCALE)


def format_moment_long(moment: datetime) -> str:
    """'tirsdag den 24. november 2026 kl. 14.00'."""
    _require_aware(moment)
    return format_datetime(moment, LONG_DATE + CLOCK, tzinfo=TIMEZONE, locale=LOCALE)


def format_number(number: float, *, decimals: int = 0) -> str:
    """'1.234,5' for 1234.5 with decimals=1."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=LOCALE)
