"""When staff are at work: weekdays 08-16, Danish public holidays and closing days off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.alerts.staff_hours import StaffHours
from ungeguide.errors import SettingsError
from ungeguide.settings import Settings

HOURS = StaffHours()


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_at_work_on_a_weekday_afternoon():
    # Tuesday 24 November 2026, 14.00 in Copenhagen (13.00 UTC).
    assert HOURS.away_until(utc(2026, 11, 24, 13, 0)) is None


def test_after_hours_someone_is_back_the_next_morning():
    # Tuesday 17.30 in Copenhagen: back Wednesday 08.00 (07.00 UTC).
    assert HOURS.away_until(utc(2026, 11, 24, 16, 30)) == utc(2026, 11, 25, 7, 0)


def test_before_opening_someone_is_there_the_same_morning():
    assert HOURS.away_until(utc(2026, 11, 25, 5, 0)) == utc(2026, 11, 25, 7, 0)


def test_a_friday_evening_waits_for_monday():
    assert HOURS.away_until(utc(2026, 11, 27, 19, 0)) == utc(2026, 11, 30, 7, 0)


def test_christmas_waits_for_the_next_working_day():
    # 23 December 2026 is a Wednesday; 24-27 are closed (Christmas Eve, two holidays, Sunday).
    assert HOURS.away_until(utc(2026, 12, 23, 16, 0)) == utc(2026, 12, 28, 7, 0)


def test_easter_and_summer_time():
    # Maundy Thursday 2 April 2026 to Easter Monday 6 April are closed; summer time: 06.00 UTC.
    assert HOURS.away_until(utc(2026, 4, 1, 15, 0)) == utc(2026, 4, 7, 6, 0)


def test_a_custom_window_and_bad_windows():
    settings = Settings.from_env({"UNGEGUIDE_STAFF_HOURS": "10:00-18:00"})
    late = StaffHours(opens=settings.staff_hours[0], closes=settings.staff_hours[1])
    assert late.away_until(utc(2026, 11, 24, 16, 30)) is None  # 17.30 in Copenhagen
    for raw in ("16:00-08:00", "8-16x", "08:00-08:00"):
        with pytest.raises(SettingsError):
            Settings.from_env({"UNGEGUIDE_STAFF_HOURS": raw})
