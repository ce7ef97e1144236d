"""Every change of a young person's status is recorded, whoever makes it, with the time the
action gave (or the creation time for a new person)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.people import create_young_person
from storage.models import PersonStatus, PersonStatusChange, change_status


def history(database, person_id) -> list[tuple[object, ...]]:
    with database.session() as session:
        rows = session.scalars(
            select(PersonStatusChange)
            .where(PersonStatusChange.young_person_id == person_id)
            .order_by(PersonStatusChange.id)
        )
        return [(r.from_status, r.to_status, r.changed_at) for r in rows]


def test_a_change_on_an_expired_person_is_recorded_with_its_old_status(database, clock):
    created = clock()
    with database.session() as session:
        person = create_young_person(session, pseudonym="A", birth_year=2007, now=created)
        session.flush()
        session.expire(person)  # as after a commit: nothing on `person` is loaded
        later = created + timedelta(days=2)
        assert change_status(person, PersonStatus.ACTIVE, at=later)
        person_id = person.id
    assert history(database, person_id) == [
        (None, "invited", created),
        ("invited", "active", later),
    ]


def test_setting_the_same_status_records_nothing_and_keeps_no_time(database, clock):
    with database.session() as session:
        person = create_young_person(session, pseudonym="A", birth_year=2007, now=clock())
        session.flush()
        assert not change_status(person, PersonStatus.INVITED, at=clock() + timedelta(days=9))
        session.flush()
        person.status = "paused"  # no stamp left over: the wall clock, not the 9 days
        person_id = person.id
    rows = history(database, person_id)
    assert [row[:2] for row in rows] == [(None, "invited"), ("invited", "paused")]
    assert rows[1][2] != clock() + timedelta(days=9)
