"""A status at a moment, counted in SQL (issue 20 point 4: no later change before the moment),
is the one statuses_at finds in Python: the last change before it by time, then by id, so two
changes at the same instant and rows stored out of order count as they did."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from domain.report_queries import status_counts_at, statuses_at
from storage.models import PersonStatus, PersonStatusChange, YoungPerson

AT = datetime(2026, 4, 1, 22, 0, tzinfo=UTC)
EARLY, EARLIER = AT - timedelta(days=10), AT - timedelta(days=20)

# Per young person, their changes in the order they are stored (ids ascending).
CHANGES = {
    "plain": [("invited", EARLIER), ("active", EARLY)],
    "changed at the moment": [("active", EARLIER), ("paused", AT)],
    "same instant, paused stored last": [("active", EARLY), ("paused", EARLY)],
    "same instant, active stored last": [("paused", EARLY), ("active", EARLY)],
    "only after the moment": [("invited", AT + timedelta(microseconds=1))],
    "stored out of order": [("ended", EARLY), ("active", EARLIER)],
}


def test_the_status_at_a_moment_is_the_last_change_before_it(database):
    with database.session() as session:
        for name, changes in CHANGES.items():
            person_id = session.execute(
                insert(YoungPerson)
                .values(pseudonym=name, birth_year=2008, status="active", created_at=EARLIER)
                .returning(YoungPerson.id)
            ).scalar_one()
            for status, changed_at in changes:
                session.execute(
                    insert(PersonStatusChange).values(
                        young_person_id=person_id, to_status=status, changed_at=changed_at
                    )
                )
    with database.session() as session:
        counted = status_counts_at(session, AT)
        in_python = Counter(statuses_at(session, AT).values())
    assert {status: n for status, n in counted.items() if n} == {
        PersonStatus.ACTIVE: 3,  # plain, changed at the moment, active stored last
        PersonStatus.PAUSED: 1,
        PersonStatus.ENDED: 1,
    }
    assert {status: n for status, n in counted.items() if n} == dict(in_python)
