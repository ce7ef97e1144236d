"""A young person's course: pause, resume, end with an outcome, a new contact person, erasure.
Each action keeps its rule, and every status change is in the history with its time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.engine import Command
from bot.service import ConversationService
from domain import lifecycle
from domain.errors import LifecycleError
from domain.meetings import MeetingDetails, create_meeting
from domain.people import create_young_person, set_paused
from storage.models import (
    CoordinatorChange,
    EndOutcome,
    Erasure,
    MeetingKind,
    PersonStatus,
    PersonStatusChange,
    Reminder,
    YoungPerson,
)


def history(database, person_id) -> list[tuple[object, ...]]:
    with database.session() as session:
        rows = session.scalars(
            select(PersonStatusChange)
            .where(PersonStatusChange.young_person_id == person_id)
            .order_by(PersonStatusChange.id)
        )
        return [(r.from_status, r.to_status, r.changed_at, r.changed_by) for r in rows]


def status(database, person_id) -> str:
    with database.session() as session:
        return str(session.get(YoungPerson, person_id).status)


def test_pause_and_resume_are_recorded_with_who_and_when(
    database, active_person, clock, coordinators
):
    kim = coordinators[0]
    start = clock()
    clock.advance(days=1)
    with database.session() as session:
        lifecycle.pause(session, active_person, staff_id=kim, now=clock())
        with pytest.raises(LifecycleError, match="only someone taking part"):
            lifecycle.pause(session, active_person, staff_id=kim, now=clock())
    paused_at = clock()
    clock.advance(days=2)
    with database.session() as session:
        lifecycle.resume(session, active_person, staff_id=kim, now=clock())
        with pytest.raises(LifecycleError, match="only a pause"):
            lifecycle.resume(session, active_person, staff_id=kim, now=clock())
    assert status(database, active_person) == "active"
    rows = history(database, active_person)
    assert rows[0] == (None, "invited", start, None)  # created, at its creation time
    # The fixture set "active" directly, with no clock to stamp it: the wall clock's time.
    assert rows[1][:2] == ("invited", "active")
    assert rows[2:] == [("active", "paused", paused_at, kim), ("paused", "active", clock(), kim)]


def test_resume_without_consent_goes_back_to_invited(database, active_person, clock):
    with database.session() as session:
        person = session.get(YoungPerson, active_person)
        person.status = PersonStatus.PAUSED
        person.information_version = None
    with database.session() as session:
        lifecycle.resume(session, active_person, staff_id=None, now=clock())
    assert status(database, active_person) == "invited"


def test_the_bots_own_pause_is_in_the_history_too(database, content, active_person, clock):
    service = ConversationService(database, content, clock=clock)
    service.handle(active_person, Command("pause", ""))
    assert status(database, active_person) == "paused"
    assert history(database, active_person)[-1][:2] == ("active", "paused")
    with database.session() as session:
        set_paused(session.get(YoungPerson, active_person), paused=False)
    assert history(database, active_person)[-1][:2] == ("paused", "active")


def test_ending_stores_the_outcome_and_day_and_stops_reminders(
    database, active_person, clock, coordinators
):
    with database.session() as session:
        details = MeetingDetails(
            kind=MeetingKind.INDIVIDUAL, starts_at=clock() + timedelta(days=3), place="Her"
        )
        create_meeting(session, active_person, details, now=clock())
    with database.session() as session:
        with pytest.raises(LifecycleError, match="after today"):
            lifecycle.end_course(
                session,
                active_person,
                EndOutcome.WORK,
                ended_on=date(2026, 11, 25),
                staff_id=None,
                now=clock(),
            )
        with pytest.raises(LifecycleError, match="needs a note"):
            lifecycle.end_course(
                session,
                active_person,
                EndOutcome.OTHER,
                ended_on=date(2026, 11, 24),
                note=" ",
                staff_id=None,
                now=clock(),
            )
        with pytest.raises(LifecycleError, match="before the person was invited"):
            lifecycle.end_course(
                session,
                active_person,
                EndOutcome.WORK,
                ended_on=date(2026, 11, 1),
                staff_id=None,
                now=clock(),
            )
        lifecycle.end_course(
            session,
            active_person,
            EndOutcome.EDUCATION,
            ended_on=date(2026, 11, 24),
            note="Startet på FGU",
            staff_id=coordinators[0],
            now=clock(),
        )
    with database.session() as session:
        person = session.get(YoungPerson, active_person)
        assert (person.status, person.end_outcome, person.ended_on, person.end_note) == (
            "ended",
            "education",
            date(2026, 11, 24),
            "Startet på FGU",
        )
        pending = select(func.count()).where(Reminder.status == "pending")
        assert session.scalar(pending) == 0
        with pytest.raises(LifecycleError, match="already ended"):
            lifecycle.end_course(
                session,
                active_person,
                EndOutcome.WORK,
                ended_on=date(2026, 11, 24),
                staff_id=None,
                now=clock(),
            )
        # An ended course is not resumed: a new start is a new invitation.
        with pytest.raises(LifecycleError, match="only a pause"):
            lifecycle.resume(session, active_person, staff_id=None, now=clock())
    assert history(database, active_person)[-1] == ("active", "ended", clock(), coordinators[0])


def test_a_deletion_request_can_still_get_its_outcome(database, active_person, clock):
    with database.session() as session:
        session.get(YoungPerson, active_person).status = PersonStatus.ENDED  # /slet, as a request
    with database.session() as session:
        lifecycle.end_course(
            session,
            active_person,
            EndOutcome.MOVED,
            ended_on=date(2026, 11, 24),
            staff_id=None,
            now=clock(),
        )
    assert [row[1] for row in history(database, active_person)].count("ended") == 1


def test_a_new_contact_person_is_recorded(database, active_person, clock, coordinators):
    kim, sara, closed = coordinators
    with database.session() as session:
        session.get(YoungPerson, active_person).coordinator_id = kim
    with database.session() as session:
        change = lifecycle.reassign(
            session, active_person, to_coordinator_id=sara, staff_id=kim, now=clock()
        )
        assert (change.from_coordinator_id, change.to_coordinator_id, change.changed_by) == (
            kim,
            sara,
            kim,
        )
        for target, reason in ((sara, "already"), (closed, "open"), (999_999, "open")):
            with pytest.raises(LifecycleError, match=reason):
                lifecycle.reassign(
                    session, active_person, to_coordinator_id=target, staff_id=kim, now=clock()
                )
    with database.session() as session:
        assert session.get(YoungPerson, active_person).coordinator_id == sara
        assert session.scalar(select(func.count()).select_from(CoordinatorChange)) == 1


def test_erasing_is_the_command_lines_erasure(database, clock, coordinators):
    with database.session() as session:
        person = create_young_person(session, pseudonym="Eva", birth_year=2006, now=clock())
        kept = create_young_person(session, pseudonym="Ida", birth_year=2006, now=clock()).id
        lifecycle.reassign(
            session, person.id, to_coordinator_id=coordinators[0], staff_id=None, now=clock()
        )
        erased = person.id
    with database.session() as session:
        counts = lifecycle.erase(session, erased, reason="request", now=clock())
        with pytest.raises(LifecycleError, match="no young person"):
            lifecycle.erase(session, erased, reason="request", now=clock())
    assert counts == {"coordinator_change": 1, "person_status_change": 1, "young_person": 1}
    with database.session() as session:
        assert session.get(YoungPerson, erased) is None
        assert session.get(YoungPerson, kept) is not None
        [audit] = session.scalars(select(Erasure)).all()
        assert (audit.reason, audit.rows) == ("request", counts)
