"""Dates for staff carry their year (CLDR da through Babel): short in tables, long in sentences."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.locale import (
    format_date_long,
    format_date_short,
    format_moment_long,
    format_moment_short,
)


def test_short_and_long_forms_with_the_year():
    moment = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert format_moment_short(moment) == "24. nov. 2026 kl. 14.00"
    assert format_moment_long(moment) == "tirsdag den 24. november 2026 kl. 14.00"
    assert format_date_short(date(2026, 12, 4)) == "4. dec. 2026"
    assert format_date_long(date(2026, 12, 4)) == "fredag den 4. december 2026"


def test_summer_time_and_the_turn_of_the_year_in_copenhagen():
    assert format_moment_short(datetime(2026, 7, 1, 6, 30, tzinfo=UTC)) == "1. jul. 2026 kl. 08.30"
    # 23.30 UTC on New Year's Eve is already the new year in Copenhagen.
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert format_moment_short(new_year) == "1. jan. 2027 kl. 00.30"
    assert format_date_short(date(2027, 5, 3)) == "3. maj 2027"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        format_moment_short(datetime(2026, 11, 24, 14, 0))  # noqa: DTZ001
