"""The demo's youth workshop, open now, with its ideas (one hidden by the facilitator)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.workshops import needs_review
from storage.models import Idea, StaffUser, Workshop
from ungeguide.demo.cast import IDEAS, WORKSHOP_QUESTION, WORKSHOP_THEMES, WORKSHOP_TITLE
from ungeguide.demo.year import daytime


def add_workshop(
    session: Session, rng: random.Random, now: datetime, facilitator: StaffUser
) -> None:
    opens = daytime(rng, now, 20)
    workshop = Workshop(
        title=WORKSHOP_TITLE,
        question=WORKSHOP_QUESTION,
        themes=list(WORKSHOP_THEMES),
        code="UNGE26",
        opens_at=opens,
        closes_at=daytime(rng, now, -25),
        created_by=facilitator.id,
        created_at=opens - timedelta(days=5),
        vote_salt=f"{rng.getrandbits(256):064x}",
    )
    session.add(workshop)
    session.flush()
    days = (now.date() - opens.date()).days
    for number, (theme, text) in enumerate(IDEAS, start=1):
        sent_on = opens.date() + timedelta(days=rng.randint(0, days))
        idea = Idea(
            workshop_id=workshop.id,
            theme=theme,
            text=text,
            sent_on=sent_on,
            shuffle=f"{rng.getrandbits(128):032x}",  # listed by this, never by arrival
            flagged=needs_review(text),
        )
        idea.hidden = number == len(IDEAS)
        session.add(idea)
