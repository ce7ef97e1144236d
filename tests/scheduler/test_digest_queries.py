"""The digest's "what is waiting for you" reads a few queries whatever the number of open alerts
(issue 20 point 4: it asked who is responsible once per alert), and finds the same people."""

from __future__ import annotations

from sqlalchemy import event, select

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert, responsible_for, responsible_staff
from domain.people import create_young_person
from scheduler.notifier import _kinds_waiting
from storage.models import StaffUser, YoungPerson
from tests.scheduler.test_notifier import add_staff


def _statements(database, action):
    found = []

    def record(*args):
        found.append(args[2])

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.session() as session:
            result = action(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return result, len(found)


def _people(database, clock, count, *, coordinators):
    with database.session() as session:
        for n in range(count):
            person = create_young_person(
                session,
                pseudonym=f"U{n}",
                birth_year=2008,
                now=clock(),
                coordinator_id=coordinators[n % len(coordinators)],
            )
            raise_alert(session, person.id, AlertKind.CANNOT_COME, now=clock())


def test_the_digest_reads_the_same_queries_for_3_or_30_alerts(database, clock):
    with database.session() as session:
        session.info["now"] = clock()
        kim = add_staff(session, "Kim").id
        sara = add_staff(session, "Sara")
        sara.absent = True
        sara.stand_in_id = kim
        add_staff(session, "Vagt", on_duty=True)
        sara_id = sara.id
    coordinators = [kim, sara_id, None]
    _people(database, clock, 3, coordinators=coordinators)
    small, few = _statements(database, lambda session: _kinds_waiting(session, kim))
    _people(database, clock, 27, coordinators=coordinators)
    large, many = _statements(database, lambda session: _kinds_waiting(session, kim))
    assert many == few
    # Kim's own and absent Sara's (Kim stands in); those with nobody go to the duty list.
    assert (small, large) == ({"cannot_come": 2}, {"cannot_come": 20})


def test_responsible_for_many_is_responsible_staff_for_each(database, clock):
    with database.session() as session:
        session.info["now"] = clock()
        kim = add_staff(session, "Kim")
        gone = add_staff(session, "Gone", email="")  # cannot be e-mailed
        sara = add_staff(session, "Sara")
        sara.absent = True
        sara.stand_in_id = gone.id
        add_staff(session, "Vagt", on_duty=True)
        ids = [kim.id, gone.id, sara.id, None]
    _people(database, clock, 8, coordinators=ids)
    with database.session() as session:
        people = list(session.scalars(select(YoungPerson.id)))
        together = responsible_for(session, [*people, 10**6])
        for person_id in [*people, 10**6]:
            one = [s.id for s in responsible_staff(session, person_id)]
            assert [s.id for s in together[person_id]] == one, person_id
        vagt = session.scalar(select(StaffUser.id).where(StaffUser.display_name == "Vagt"))
        assert {s.id for p in people for s in together[p]} == {kim.id, vagt}
