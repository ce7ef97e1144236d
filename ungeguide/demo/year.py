"""One young person's year as the demo generators share it: the dice, the clock, the alerts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.content import Content
from domain.alerts.handling import resolve
from domain.alerts.raising import raise_alert
from storage.models import StaffUser, YoungPerson
from ungeguide.demo.cast import ALERT_NOTES


def daytime(rng: random.Random, now: datetime, days: int) -> datetime:
    """A daytime moment (07-18 UTC) `days` whole days before `now`, after it if negative."""
    day = now - timedelta(days=days)
    minute = rng.choice((0, 15, 30, 45))
    return day.replace(hour=rng.randint(7, 17), minute=minute, second=0, microsecond=0)


@dataclass
class Year:
    """One young person's year with one coordinator, which checkins.py and plans.py fill."""

    session: Session
    content: Content
    rng: random.Random
    now: datetime
    coordinator: StaffUser
    person: YoungPerson

    def at(self, days: int) -> datetime:
        return daytime(self.rng, self.now, days)

    def alert(
        self, kind: str, at: datetime, details: dict[str, str | int], *, urgent: bool = False
    ) -> None:
        """An alert, raised as the bot raises it (an urgent one queues its e-mail); one older than
        ten days the coordinator has resolved with a note."""
        alert = raise_alert(
            self.session, self.person_id, kind, now=at, urgent=urgent, details=details
        )
        if at < self.now - timedelta(days=10):
            handled = at + timedelta(hours=self.rng.randint(1, 48))
            note = self.rng.choice(ALERT_NOTES)
            resolve(self.session, alert, staff_id=self.coordinator.id, note=note, now=handled)

    @property
    def person_id(self) -> int:
        return self.person.id
