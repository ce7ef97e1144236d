"""Danish time expressions for "later", resolved in Copenhagen time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.nlu.when import DEFAULT_DELAY, resolve
from core.locale import TIMEZONE

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # Tuesday, 14.00 in Copenhagen


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TIMEZONE)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("i morgen", local(25, 16)),
        ("imorn", local(25, 16)),
        ("i morgen tidlig", local(25, 10)),
        ("i overmorgen", local(26, 16)),
        ("i aften", local(24, 19)),
        ("iaften", local(24, 19)),
        ("om to timer", NOW + timedelta(hours=2)),
        ("om 3 timer", NOW + timedelta(hours=3)),
        ("på fredag", local(27, 16)),
        ("paa tirsdag", datetime(2026, 12, 1, 16, 0, tzinfo=TIMEZONE)),
        ("i weekenden", local(28, 12)),
        ("næste uge", local(30, 16)),
        ("senere", NOW + DEFAULT_DELAY),
        (None, NOW + DEFAULT_DELAY),
        ("kan vi tage det i morgen tak", local(25, 16)),
    ],
)
def test_expressions(expression, expected):
    assert resolve(expression, NOW) == expected


def test_this_evening_after_seven_means_in_an_hour():
    late = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    assert resolve("i aften", late) == late + timedelta(hours=1)


def test_always_in_the_future():
    for expression in ("om 0 timer", "om 99 timer", "i aften", "i eftermiddag"):
        assert resolve(expression, NOW) > NOW
