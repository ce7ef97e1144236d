"""The entry of `ungeguide demo`: `fill_demo` stores the staff, the young people and a workshop."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.content import Content
from domain.people import hash_code
from storage.models import PersonStatus, StaffUser, YoungPerson
from ungeguide.demo.cast import PEOPLE, SARAS, STAFF
from ungeguide.demo.checkins import history, who5_alerts
from ungeguide.demo.plans import agreements, meetings
from ungeguide.demo.workshop import add_workshop
from ungeguide.demo.year import Year, daytime
from ungeguide.errors import DemoError


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    password: str


def fill_demo(
    session: Session, content: Content, *, now: datetime, seed: int = 7
) -> list[DemoLogin]:
    """Store the demo data set; returns the staff logins (with their plain demo passwords)
    to print."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(UTC)
    for table in (YoungPerson, StaffUser):
        if session.scalar(select(func.count()).select_from(table)):
            raise DemoError("demo data goes only into an empty database; this one has data")
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    hasher = PasswordHasher()
    users = [
        StaffUser(
            email=email,
            display_name=name,
            role=role,
            password_hash=hasher.hash(password),
            created_at=now - timedelta(days=420),
        )
        for email, name, role, password in STAFF
    ]
    session.add_all(users)
    session.flush()
    for index, (pseudonym, status, course, bip) in enumerate(PEOPLE):
        coordinator = users[1] if index < SARAS else users[2]
        plan = {q: content.questionnaires[q].cadence_days for q in ("who5", bip)}
        person = YoungPerson(
            pseudonym=pseudonym,
            birth_year=rng.randint(2001, 2011),
            coordinator_id=coordinator.id,
            status=status,
            checkin_plan=plan,
            created_at=daytime(rng, now, 3),
        )
        session.add(person)
        session.flush()
        if status == PersonStatus.INVITED:
            person.invite_code_hash = hash_code(f"demo-{rng.getrandbits(64):016x}")
            person.invite_expires_at = person.created_at + timedelta(days=14)
        else:
            _live(Year(session, content, rng, now, coordinator, person), status, course, bip)
    add_workshop(session, rng, now, users[3])
    session.flush()
    return [DemoLogin(email, role, password) for email, _, role, password in STAFF]


def _live(year: Year, status: PersonStatus, course: str, bip: str) -> None:
    """A joined young person's year, from `first` days ago until `stop` days ago."""
    rng, person = year.rng, year.person
    first = rng.randint(370, 390) + (30 if status == PersonStatus.UNREACHABLE else 0)
    last = {PersonStatus.PAUSED: 25, PersonStatus.UNREACHABLE: 80, PersonStatus.ENDED: 40}
    stop = last.get(status, 2 if course == "crisis" else rng.randint(1, 20))
    person.created_at = year.at(first + 3)
    person.invite_used_at = person.information_accepted_at = year.at(first + 1)
    person.information_version = year.content.onboarding.version
    who5s = history(year, course, bip, first, stop)
    limits = year.content.questionnaires["who5"].alerts
    if limits is not None:
        who5_alerts(year, who5s, limits)
    if course == "crisis":
        year.alert("crisis", year.now - timedelta(hours=20), {}, urgent=True)
    meetings(year, first, stop, upcoming=status == PersonStatus.ACTIVE)
    agreements(year, first, stop, ended=status == PersonStatus.ENDED)
    if status == PersonStatus.UNREACHABLE:
        year.alert("missed_checkins", year.at(45), {"questionnaire": "who5"})
        year.alert("unreachable", year.at(9), {})
