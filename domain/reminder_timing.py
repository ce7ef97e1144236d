"""When reminders are due: pure rules on aware datetimes, in Europe/Copenhagen wall-clock time.

All inputs and outputs are aware UTC instants except where a date or a wall-clock time is
named. Local times that do not exist (the spring-forward hour) move forward by the gap; local
times that exist twice (the fall-back hour) take the first occurrence, so a reminder planned for
such a time fires exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from core.locale import TIMEZONE


@dataclass(frozen=True, kw_only=True)
class ReminderRules:
    """The defaults the issue names; every one can be configured."""

    meeting_day_before_at: time = time(17, 0)
    meeting_hours_before: timedelta = timedelta(hours=2)
    agreement_days_before: int = 3
    agreement_morning_at: time = time(9, 0)
    agreement_followup_at: time = time(10, 0)
    checkin_default_at: time = time(16, 0)
    checkin_nudge_after_days: int = 2  # at the invitation's wall-clock time
    missed_checkins_for_alert: int = 2
    quiet_from: time = time(21, 0)
    quiet_until: time = time(8, 0)
    # A reminder that could not go out on time may still go out this late, never later.
    grace: timedelta = timedelta(hours=2)
    max_attempts: int = 5


DEFAULT_RULES = ReminderRules()


def at_local(day: date, wall: time) -> datetime:
    """The UTC instant of `wall` o'clock on `day` in Copenhagen (DST-safe, see module doc).

    fold=0 gives PEP 495's rules: a wall time in the spring-forward gap is read with the offset
    before the change (02.30 becomes 03.30 summer time); a repeated wall time in the fall-back
    hour is its first occurrence.
    """
    return datetime.combine(day, wall, tzinfo=TIMEZONE).replace(fold=0).astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def days_later(moment: datetime, days: int) -> datetime:
    """The same Copenhagen wall-clock time `days` later: 16.00 stays 16.00 across a clock
    change, where adding 24-hour days would give 17.00 in spring and 15.00 in autumn."""
    local = moment.astimezone(TIMEZONE)
    return at_local(local.date() + timedelta(days=days), local.time())


def out_of_quiet_hours(due: datetime, rules: ReminderRules = DEFAULT_RULES) -> datetime:
    """`due`, or the end of the quiet hours it falls into (21.00-08.00 by default)."""
    local = due.astimezone(TIMEZONE)
    wall = local.timetz().replace(tzinfo=None)
    if rules.quiet_from <= wall:
        return at_local(local.date() + timedelta(days=1), rules.quiet_until)
    if wall < rules.quiet_until:
        return at_local(local.date(), rules.quiet_until)
    return due


def meeting_times(starts_at: datetime, rules: ReminderRules = DEFAULT_RULES) -> dict[str, datetime]:
    """Reminder kind -> planned instant, before quiet hours."""
    day_before = at_local(local_date(starts_at) - timedelta(days=1), rules.meeting_day_before_at)
    return {
        "meeting_day_before": day_before,
        "meeting_soon": starts_at - rules.meeting_hours_before,
    }


def agreement_times(deadline: date, rules: ReminderRules = DEFAULT_RULES) -> dict[str, datetime]:
    return {
        "agreement_soon": at_local(
            deadline - timedelta(days=rules.agreement_days_before), rules.agreement_morning_at
        ),
        "agreement_today": at_local(deadline, rules.agreement_morning_at),
        "agreement_followup": at_local(deadline + timedelta(days=1), rules.agreement_followup_at),
    }


@dataclass(frozen=True)
class Planned:
    kind: str
    due_at: datetime | None  # None: skipped, because the allowed time is after the event
    wanted_at: datetime


K = TypeVar("K", bound=str)


def plan(
    wanted: Mapping[K, datetime],
    *,
    now: datetime,
    event_at: datetime | None,
    rules: ReminderRules = DEFAULT_RULES,
) -> list[Planned]:
    """Apply quiet hours and drop past times; what would land after the event is skipped."""
    planned: list[Planned] = []
    for kind, moment in wanted.items():
        due = out_of_quiet_hours(moment, rules)
        if due <= now:
            continue
        if event_at is not None and due >= event_at:
            planned.append(Planned(kind, None, moment))
        else:
            planned.append(Planned(kind, due, moment))
    return planned
