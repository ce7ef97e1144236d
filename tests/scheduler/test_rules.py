"""When reminders fall: Copenhagen wall-clock times across DST changes, and quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from core.locale import format_moment
from domain.reminder_timing import (
    agreement_times,
    at_local,
    meeting_times,
    out_of_quiet_hours,
    plan,
)


def local(moment: datetime | None) -> str:
    assert moment is not None
    return format_moment(moment)


def test_meeting_the_day_after_the_march_change():
    starts = at_local(date(2026, 3, 30), time(10, 0))  # summer time began on 29 March
    times = meeting_times(starts)
    assert local(times["meeting_day_before"]) == "søndag den 29. marts kl. 17.00"
    assert times["meeting_day_before"] == datetime(2026, 3, 29, 15, 0, tzinfo=UTC)
    assert local(times["meeting_soon"]) == "mandag den 30. marts kl. 08.00"


def test_meeting_the_day_after_the_october_change():
    starts = at_local(date(2026, 10, 26), time(10, 0))  # winter time began on 25 October
    times = meeting_times(starts)
    assert local(times["meeting_day_before"]) == "søndag den 25. oktober kl. 17.00"
    assert times["meeting_day_before"] == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)
    assert local(times["meeting_soon"]) == "mandag den 26. oktober kl. 08.00"


def test_half_past_two_on_change_days_exists_once():
    # Spring: 02.30 does not exist and moves forward by the gap. Autumn: 02.30 happens twice;
    # the first one is used.
    assert local(at_local(date(2026, 3, 29), time(2, 30))) == "søndag den 29. marts kl. 03.30"
    assert at_local(date(2026, 10, 25), time(2, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_quiet_hours_move_reminders_to_eight_in_the_morning():
    late = at_local(date(2026, 11, 24), time(22, 15))
    early = at_local(date(2026, 11, 24), time(6, 0))
    assert local(out_of_quiet_hours(late)) == "onsdag den 25. november kl. 08.00"
    assert local(out_of_quiet_hours(early)) == "tirsdag den 24. november kl. 08.00"
    day = at_local(date(2026, 11, 24), time(14, 0))
    assert out_of_quiet_hours(day) == day
    assert local(out_of_quiet_hours(at_local(date(2026, 11, 24), time(21, 0)))) == (
        "onsdag den 25. november kl. 08.00"
    )


def test_a_reminder_whose_allowed_time_is_after_the_event_is_skipped():
    now = at_local(date(2026, 11, 20), time(12, 0))
    early_meeting = at_local(date(2026, 11, 24), time(7, 30))
    planned = {
        p.kind: p for p in plan(meeting_times(early_meeting), now=now, event_at=early_meeting)
    }
    assert planned["meeting_soon"].due_at is None  # 05.30 -> 08.00 is after 07.30: skipped
    assert local(planned["meeting_day_before"].due_at) == "mandag den 23. november kl. 17.00"
    nine = at_local(date(2026, 11, 24), time(9, 0))
    planned = {p.kind: p for p in plan(meeting_times(nine), now=now, event_at=nine)}
    assert local(planned["meeting_soon"].due_at) == "tirsdag den 24. november kl. 08.00"


def test_agreement_reminders():
    times = agreement_times(date(2026, 12, 4))
    assert [local(t) for t in times.values()] == [
        "tirsdag den 1. december kl. 09.00",
        "fredag den 4. december kl. 09.00",
        "lørdag den 5. december kl. 10.00",
    ]
