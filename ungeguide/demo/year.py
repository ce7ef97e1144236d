"""One young person's year as the demo generators share it: the dice, the clock, the alerts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.content import Content
from storage.models import Alert, AlertStatus, StaffUser, YoungPerson
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
        self, kind: str, at: datetime, details: dict[str, object], *, urgent: bool = False
    ) -> None:
        """An alert; one older than ten days the coordinator has acknowledged with a note."""
        alert = Alert(
            young_person_id=self.person_id, kind=kind, urgent=urgent, created_at=at, details=details
        )
        if at < self.now - timedelta(days=10):
            alert.acknowledged_by = alert.resolved_by = self.coordinator.id
            alert.acknowledged_at = at + timedelta(hours=self.rng.randint(1, 48))
            alert.resolved_at = alert.acknowledged_at
            alert.status = AlertStatus.RESOLVED
            alert.note = self.rng.choice(ALERT_NOTES)
        self.session.add(alert)

    @property
    def person_id(self) -> int:
        return self.person.id
