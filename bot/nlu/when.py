"""When "later" is: a Danish time expression ("i morgen", "om to timer", "på fredag") as a moment.

Pure: the caller gives the current time and applies quiet hours. Unknown or missing expressions
mean "in a few hours".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.nlu.features import prepare
from core.locale import TIMEZONE

DEFAULT_DELAY = timedelta(hours=3)
_DAY_TIME = time(16, 0)
_NUMBERS = {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "halvanden": 1}
_WEEKDAYS = {
    "mandag": 0,
    "tirsdag": 1,
    "onsdag": 2,
    "torsdag": 3,
    "fredag": 4,
    "loerdag": 5,
    "soendag": 6,
}


def resolve(expression: str | None, now: datetime) -> datetime:
    """The moment `expression` points to, always after `now`."""
    text = f" {prepare(expression or '')} "
    local = now.astimezone(TIMEZONE)
    today = local.date()
    hours = re.search(r" om (\d{1,2}|en|et|to|tre|fire|fem|seks|halvanden) (?:time|timer|t) ", text)
    if hours:
        count = _NUMBERS.get(hours[1]) or int(hours[1])
        return now + timedelta(hours=max(1, min(count, 24)))
    if re.search(r" om (?:lidt|et kvarter|en halv time|30 min\w*) ", text):
        return now + timedelta(minutes=30)
    if re.search(r" (?:i ?morgen|i ?morn|imorn|imorgn|tomorrow)", text):
        early = re.search(r" (?:tidlig|formiddag)", text)
        return _at(today + timedelta(days=1), time(10, 0) if early else _DAY_TIME)
    if re.search(r" (?:i ?overmorgen) ", text):
        return _at(today + timedelta(days=2), _DAY_TIME)
    if re.search(r" (?:i ?aften|i ?nat) ", text):
        return _later_today(today, time(19, 0), now)
    if re.search(r" (?:i ?eftermiddag) ", text):
        return _later_today(today, time(15, 0), now)
    if re.search(r" (?:i ?weekend\w*|til weekend\w*) ", text):
        return _at(_next_weekday(today, 5), time(12, 0))
    if re.search(r" (?:naeste|naestes|nxt) uge ", text):
        return _at(_next_weekday(today, 0), _DAY_TIME)
    for name, weekday in _WEEKDAYS.items():
        if f" {name} " in text:
            return _at(_next_weekday(today, weekday), _DAY_TIME)
    return now + DEFAULT_DELAY


def _at(day: date, wall: time) -> datetime:
    return datetime.combine(day, wall, tzinfo=TIMEZONE)


def _later_today(today: date, wall: time, now: datetime) -> datetime:
    moment = _at(today, wall)
    return moment if moment > now else now + timedelta(hours=1)


def _next_weekday(today: date, weekday: int) -> date:
    """The next such day, never today ("på fredag" said on a Friday means next week)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
