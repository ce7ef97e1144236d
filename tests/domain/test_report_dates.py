"""The report's Copenhagen dates, counted in SQL (issue 20 point 4), agree with Python's: the day
of a stored time (zoneinfo on PostgreSQL, the summer-time rule on SQLite) and the long-term plan's
"deadline after the day it was made plus 3 months" (add_months)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product

from sqlalchemy import select

from core.locale import TIMEZONE
from domain.report_queries import add_months, copenhagen_day, has_long_term_plan
from storage.models import Agreement, AgreementStatus, YoungPerson


def _agreement(person_id: int, created_at: datetime, deadline: date) -> Agreement:
    return Agreement(
        young_person_id=person_id,
        goal="Mål",
        action="Handling",
        responsible="den unge",
        deadline=deadline,
        status=AgreementStatus.OPEN,
        created_at=created_at,
    )


def _summer_time_edges(year: int) -> list[datetime]:
    """Instants around the changes to and from summer time and around Copenhagen midnight."""
    found = []
    for month in (3, 10):
        sunday = max(
            datetime(year, month, d, tzinfo=UTC)
            for d in range(25, 32)
            if date(year, month, d).weekday() == 6
        )
        change = sunday + timedelta(hours=1)
        found += [change + timedelta(microseconds=n) for n in (-1, 0, 1)]
        found += [change + timedelta(hours=n) for n in (-2, -1, 1, 21, 22, 23)]
        found += [sunday - timedelta(days=1, hours=n) for n in (1, 2, 3)]
    for month, hour, microsecond in product((1, 6, 12), (21, 22, 23), (0, 999_999)):
        found.append(datetime(year, month, 15, hour, 59, 59, microsecond, tzinfo=UTC))
        found.append(datetime(year, month, 15, hour, 0, tzinfo=UTC))
    return found


def test_the_day_of_a_stored_time_is_its_day_in_copenhagen(database):
    moments = [moment for year in range(2000, 2041) for moment in _summer_time_edges(year)]
    with database.session() as session:
        person = YoungPerson(pseudonym="D", birth_year=2008, created_at=moments[0])
        session.add(person)
        session.flush()
        session.add_all(_agreement(person.id, moment, date(2041, 1, 1)) for moment in moments)
    with database.session() as session:
        found = session.execute(
            select(Agreement.created_at, copenhagen_day(Agreement.created_at))
        ).all()
    wrong = [(moment, day) for moment, day in found if day != moment.astimezone(TIMEZONE).date()]
    assert len(found) == len(moments)
    assert wrong == []


def test_a_long_term_plan_reaches_past_the_day_it_was_made_plus_3_months(database):
    """Made late in the evening (the day in Copenhagen is the next one in UTC) at the end of a
    month, with deadlines on each side of add_months, short months included."""
    made = [
        datetime(2026, month, day, hour, 30, tzinfo=UTC)
        for month, day, hour in product((1, 3, 5, 8, 10, 11, 12), (28, 29, 30), (12, 22, 23))
        if not (month == 2 and day > 28)
    ]
    cases = []
    for created_at in made:
        made_on = created_at.astimezone(TIMEZONE).date()
        reach = add_months(made_on, 3)
        for deadline in (reach - timedelta(days=1), reach, reach + timedelta(days=1)):
            cases.append((created_at, made_on, deadline))
    with database.session() as session:
        ids = []
        for n, (created_at, _made_on, deadline) in enumerate(cases):
            person = YoungPerson(pseudonym=f"P{n}", birth_year=2008, created_at=created_at)
            session.add(person)
            session.flush()
            session.add(_agreement(person.id, created_at, deadline))
            ids.append(person.id)
    with database.session() as session:
        wrong = [
            (created_at, deadline)
            for person_id, (created_at, made_on, deadline) in zip(ids, cases, strict=True)
            if has_long_term_plan(session, person_id, on=made_on)
            != (deadline > add_months(made_on, 3))
        ]
    assert wrong == []
    assert sum(deadline > add_months(made_on, 3) for _c, made_on, deadline in cases) == len(made)
