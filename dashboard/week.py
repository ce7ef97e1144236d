"""The week view's data: which ISO week is asked for, and the meetings in it, day by day.

Weeks are ISO weeks (Monday to Sunday) on the Copenhagen calendar, as a Danish calendar shows
them ("uge 48"). The meetings are read in one query, with the young person's nickname.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from domain.reminder_timing import at_local, local_date
from storage.models import Meeting, YoungPerson

MIDNIGHT = datetime.min.time()


@dataclass(frozen=True)
class Week:
    """An ISO week: its Monday, and its number and year as the calendar names them."""

    monday: date

    @classmethod
    def containing(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, text: str) -> Week | None:
        """'2026-W48' (as <input type="week"> sends it); None for anything else."""
        year, _, number = text.partition("-W")
        if not (year.isascii() and year.isdigit() and number.isascii() and number.isdigit()):
            return None
        try:
            return cls(date.fromisocalendar(int(year), int(number), 1))
        except ValueError:  # week 54, year 0, ...
            return None

    @property
    def year(self) -> int:
        return self.monday.isocalendar().year

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=n) for n in range(7)]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shifted(self, weeks: int) -> Week:
        return Week(self.monday + timedelta(weeks=weeks))


@dataclass(frozen=True)
class WeekMeeting:
    id: int
    person_id: int
    pseudonym: str
    starts_at: datetime
    kind: str
    place: str
    status: str
    answer: str | None


def meetings_in(session: Session, week: Week, people: Select[int]) -> dict[date, list[WeekMeeting]]:
    """Every meeting of `people` in `week` (cancelled ones too, so a gap in the week is
    explained), by Copenhagen day, in time order; every day of the week has a list."""
    start = at_local(week.monday, MIDNIGHT)
    end = at_local(week.monday + timedelta(days=7), MIDNIGHT)
    rows = session.execute(
        select(Meeting, YoungPerson.pseudonym)
        .join(YoungPerson, YoungPerson.id == Meeting.young_person_id)
        .where(
            Meeting.young_person_id.in_(people),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    days: dict[date, list[WeekMeeting]] = {day: [] for day in week.days}
    for meeting, pseudonym in rows:
        days[local_date(meeting.starts_at)].append(
            WeekMeeting(
                id=meeting.id,
                person_id=meeting.young_person_id,
                pseudonym=pseudonym,
                starts_at=meeting.starts_at,
                kind=meeting.kind,
                place=meeting.place,
                status=meeting.status,
                answer=meeting.answer,
            )
        )
    return days
