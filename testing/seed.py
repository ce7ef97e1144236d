"""Bulk test data for load tests and benchmarks: active young people, one meeting each, and
due meeting reminders in the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert, select

from storage import Database
from storage.models import Meeting, PersonStatus, Reminder, YoungPerson

# The version of the information text in dialogues/: seeded people have accepted it.
INFORMATION_VERSION: int = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "dialogues" / "onboarding.yml").read_text("utf-8")
)["version"]


def seed_due_reminders(
    database: Database, now: datetime, *, people: int, per_person: int = 1
) -> None:
    with database.session() as session:
        session.execute(
            insert(YoungPerson),
            [
                {
                    "pseudonym": f"U{i}",
                    "birth_year": 2007,
                    "status": PersonStatus.ACTIVE,
                    "created_at": now,
                    "telegram_chat_id": 1_000_000 + i,
                    "information_version": INFORMATION_VERSION,
                    "information_accepted_at": now,
                }
                for i in range(people)
            ],
        )
        ids = session.scalars(select(YoungPerson.id)).all()
        session.execute(
            insert(Meeting),
            [
                {
                    "young_person_id": pid,
                    "kind": "individual",
                    "starts_at": now + timedelta(hours=3),
                    "place": "Ungehuset",
                    "participants": "",
                    "agenda": "",
                    "status": "planned",
                    "created_at": now,
                }
                for pid in ids
            ],
        )
        meetings = dict(session.execute(select(Meeting.young_person_id, Meeting.id)).all())
        session.execute(
            insert(Reminder),
            [
                {
                    "young_person_id": pid,
                    "kind": "meeting_soon",
                    "subject": f"meeting:{meetings[pid]}",
                    "due_at": now - timedelta(minutes=n),
                    "latest_at": now + timedelta(hours=1),
                    "status": "pending",
                    "attempts": 0,
                    "dedup_key": f"load:{pid}:{n}",
                }
                for pid in ids
                for n in range(per_person)
            ],
        )
