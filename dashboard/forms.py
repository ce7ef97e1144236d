"""Reading the meeting and agreement forms: pure, each error in Danish beside its field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from dashboard.i18n import _
from domain.agreements import AgreementDetails
from domain.meetings import MeetingDetails
from domain.reminder_timing import at_local, local_date
from storage.models import MeetingKind

PLACE_MAX = 200
TEXT_MAX = 1000
RESPONSIBLE_MAX = 120


@dataclass
class MeetingForm:
    kind: str = MeetingKind.INDIVIDUAL
    day: str = ""
    at: str = ""
    place: str = ""
    participants: str = ""
    agenda: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def details(self, *, now: datetime) -> MeetingDetails | None:
        """The meeting, or None with `errors` filled in."""
        self.errors = {}
        if self.kind not in tuple(MeetingKind):
            self.errors["kind"] = _("Choose the kind of meeting.")
        day = _day(self.day)
        wall = _time(self.at)
        if day is None:
            self.errors["day"] = _("Choose a date.")
        if wall is None:
            self.errors["at"] = _("Write a time like 14:00.")
        starts_at = at_local(day, wall) if day is not None and wall is not None else None
        if starts_at is not None and starts_at <= now:
            self.errors["day"] = _("The meeting must be in the future.")
        if not self.place:
            self.errors["place"] = _("Write where you meet.")
        elif len(self.place) > PLACE_MAX:
            self.errors["place"] = _("Use at most 200 characters.")
        for name in ("participants", "agenda"):
            if len(getattr(self, name)) > TEXT_MAX:
                self.errors[name] = _("Use at most 1000 characters.")
        if self.errors or starts_at is None:
            return None
        return MeetingDetails(
            kind=MeetingKind(self.kind),
            starts_at=starts_at,
            place=self.place,
            participants=self.participants,
            agenda=self.agenda,
        )


@dataclass
class AgreementForm:
    goal: str = ""
    action: str = ""
    responsible: str = ""
    deadline: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def details(self, *, now: datetime, keep: date | None = None) -> AgreementDetails | None:
        """The agreement, or None with `errors`. `keep` is the deadline an edit started with:
        a passed deadline may stay as it is (an overdue agreement is saved without moving it)."""
        self.errors = {}
        if not self.goal:
            self.errors["goal"] = _("Write the goal.")
        if not self.action:
            self.errors["action"] = _("Write what is to be done.")
        if not self.responsible:
            self.errors["responsible"] = _("Write who does it.")
        elif len(self.responsible) > RESPONSIBLE_MAX:
            self.errors["responsible"] = _("Use at most 120 characters.")
        for name in ("goal", "action"):
            if len(getattr(self, name)) > TEXT_MAX:
                self.errors[name] = _("Use at most 1000 characters.")
        deadline = _day(self.deadline)
        if deadline is None:
            self.errors["deadline"] = _("Choose a date.")
        elif deadline < local_date(now) and deadline != keep:
            self.errors["deadline"] = _("The deadline cannot be in the past.")
        if self.errors or deadline is None:
            return None
        return AgreementDetails(
            goal=self.goal, action=self.action, responsible=self.responsible, deadline=deadline
        )


def _day(raw: str) -> date | None:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _time(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw.replace(".", ":"))
    except ValueError:
        return None
