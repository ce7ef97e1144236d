from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.locale import format_day, format_moment, format_number


def test_dates_are_danish_in_copenhagen_time():
    assert (
        format_moment(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
        == "tirsdag den 24. november kl. 14.00"
    )
    # Summer time: UTC+2.
    assert format_moment(datetime(2026, 7, 1, 6, 30, tzinfo=UTC)) == "onsdag den 1. juli kl. 08.30"
    # Late evening UTC is already the next day in Copenhagen.
    assert format_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "søndag den 29. marts"


def test_numbers_use_danish_separators():
    assert format_number(1234.5, decimals=1) == "1.234,5"
    assert format_number(52) == "52"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        format_moment(datetime(2026, 11, 24, 14, 0))  # noqa: DTZ001


def test_calendar_dates_need_no_time_zone():
    from datetime import date

    from core.locale import format_date

    assert format_date(date(2026, 12, 4)) == "fredag den 4. december"
