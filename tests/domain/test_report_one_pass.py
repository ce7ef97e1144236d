"""The statuses at several moments and the plan share, counted in one pass (issue 20 point 4),
are what the one-statement-a-moment definitions count: statuses_at in Python, and
long_term_plan_share's "last change with none later" and its own plan rule, on random
histories (changes at the same instant, stored out of order, at the moments themselves) and
random agreements around the last day."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from domain.report_queries import (
    FOLLOWED,
    day_end,
    day_start,
    followed_and_plans,
    status_counts_at,
    status_counts_at_moments,
    statuses_at,
)
from storage.models import (
    Agreement,
    AgreementStatus,
    PersonStatus,
    PersonStatusChange,
    YoungPerson,
)
from tests.domain.report_reference import long_term_plan_share

START, END = date(2026, 1, 1), date(2026, 6, 30)
MOMENTS = [day_start(START), day_start(date(2026, 4, 1)), day_end(END)]


def _moment(rng: random.Random) -> datetime:
    """Mostly in the half-year, some exactly at a moment or a microsecond off it."""
    if rng.random() < 0.2:
        return rng.choice(MOMENTS) + timedelta(microseconds=rng.choice((-1, 0, 1)))
    return datetime(2025, 10, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(300 * 86400))


def _random_history(database, seed: int, people: int = 150) -> list[int]:
    rng = random.Random(seed)
    ids = []
    with database.session() as session:
        for n in range(people):
            person_id = session.execute(
                insert(YoungPerson)
                .values(
                    pseudonym=f"R{n}", birth_year=2008, status="active", created_at=_moment(rng)
                )
                .returning(YoungPerson.id)
            ).scalar_one()
            ids.append(person_id)
            changes = [
                (rng.choice(list(PersonStatus)), _moment(rng)) for _ in range(rng.randrange(5))
            ]
            if changes and rng.random() < 0.3:  # two changes at the same instant
                changes.append((rng.choice(list(PersonStatus)), changes[0][1]))
            for status, changed_at in changes:  # in random order, not by time
                session.execute(
                    insert(PersonStatusChange).values(
                        young_person_id=person_id, to_status=status, changed_at=changed_at
                    )
                )
            for _ in range(rng.randrange(4)):
                made = _moment(rng)
                outcome = rng.choice(list(AgreementStatus))
                running = outcome in (AgreementStatus.OPEN, AgreementStatus.NOT_YET)
                session.add(
                    Agreement(
                        young_person_id=person_id,
                        goal="Mål",
                        action="Handling",
                        responsible="den unge",
                        deadline=END + timedelta(days=rng.randrange(-100, 200)),
                        status=outcome,
                        created_at=made,
                        outcome_at=None if running else _moment(rng),
                    )
                )
    return ids


def test_statuses_at_several_moments_are_those_at_each(database):
    _random_history(database, seed=20)
    with database.session() as session:
        together = status_counts_at_moments(session, MOMENTS)
        one_by_one = [status_counts_at(session, at) for at in MOMENTS]
        in_python = [Counter(statuses_at(session, at).values()) for at in MOMENTS]
    assert together == one_by_one
    for counted, python in zip(together, in_python, strict=True):
        assert {status: n for status, n in counted.items() if n} == dict(python)
    assert sum(together[-1].values()) > 100


def test_followed_and_plans_in_one_pass_are_the_separate_figures(database):
    ids = _random_history(database, seed=4)
    some = select(YoungPerson.id).where(YoungPerson.id.in_(ids[::3]))
    with database.session() as session:
        for people in (None, some):
            found = followed_and_plans(session, start=START, end=END, people=people)
            at_start = status_counts_at(session, day_start(START), people=people)
            at_end = status_counts_at(session, day_end(END), people=people)
            assert found.at_start == sum(at_start[status] for status in FOLLOWED)
            assert found.at_end == sum(at_end[status] for status in FOLLOWED)
            assert found.plans == long_term_plan_share(session, on=END, people=people)
        assert 0 < found.plans.with_plan < found.plans.followed
