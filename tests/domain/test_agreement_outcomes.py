"""Agreements through to the end: an outcome (done, not done, dropped) with when and who, from
the coordinator or from the young person's "did you make it?" answer; overdue agreements are
found, and can be saved without moving their deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.engine import Press, Reply
from bot.engine.messages import Toast
from bot.service import ConversationService
from domain.agreements import (
    AgreementDetails,
    answer_from_young_person,
    create_agreement,
    is_overdue,
    overdue_agreements,
    record_outcome,
    reopen_agreement,
    update_agreement,
)
from domain.errors import PlanningError
from domain.people import create_young_person
from storage.models import Actor, Agreement, AgreementStatus, Reminder, YoungPerson

DEADLINE = date(2026, 12, 4)  # a Friday; the clock starts on Tuesday 24 November 2026


def details(deadline: date = DEADLINE, action: str = "Ring til FGU") -> AgreementDetails:
    return AgreementDetails(goal="Uddannelse", action=action, responsible="Mig", deadline=deadline)


def agreement(database, person_id, clock, deadline: date = DEADLINE) -> int:
    with database.session() as session:
        return create_agreement(session, person_id, details(deadline), now=clock()).id


def pending(database, agreement_id) -> list[str]:
    with database.session() as session:
        rows = session.scalars(
            select(Reminder.kind).where(
                Reminder.subject == f"agreement:{agreement_id}", Reminder.status == "pending"
            )
        )
        return list(rows)


def stored(database, agreement_id) -> tuple[object, ...]:
    with database.session() as session:
        a = session.get(Agreement, agreement_id)
        return (a.status, a.outcome_by, a.outcome_staff_id, a.outcome_at, a.done_at)


def test_the_coordinator_records_each_outcome_and_the_reminders_stop(
    database, active_person, clock, coordinators
):
    kim = coordinators[0]
    ids = [agreement(database, active_person, clock) for _ in range(3)]
    assert pending(database, ids[0]) == ["agreement_soon", "agreement_today", "agreement_followup"]
    outcomes = (AgreementStatus.DONE, AgreementStatus.NOT_DONE, AgreementStatus.DROPPED)
    with database.session() as session:
        for agreement_id, outcome in zip(ids, outcomes, strict=True):
            assert record_outcome(
                session, agreement_id, outcome, by=Actor.COORDINATOR, now=clock(), staff_id=kim
            )
    assert stored(database, ids[0]) == ("done", "coordinator", kim, clock(), clock())
    assert stored(database, ids[1]) == ("not_done", "coordinator", kim, clock(), None)
    assert stored(database, ids[2]) == ("dropped", "coordinator", kim, clock(), None)
    assert [pending(database, i) for i in ids] == [[], [], []]


def test_only_outcomes_are_outcomes_and_a_cancelled_agreement_takes_none(
    database, active_person, clock
):
    agreement_id = agreement(database, active_person, clock)
    with database.session() as session:
        with pytest.raises(PlanningError, match="not an outcome"):
            record_outcome(
                session, agreement_id, AgreementStatus.OPEN, by=Actor.COORDINATOR, now=clock()
            )
        session.get(Agreement, agreement_id).status = AgreementStatus.CANCELLED
        with pytest.raises(PlanningError, match="cancelled"):
            record_outcome(
                session, agreement_id, AgreementStatus.DONE, by=Actor.COORDINATOR, now=clock()
            )
        assert not answer_from_young_person(session, agreement_id, "done", now=clock())


def test_the_young_person_answers_done_through_the_reminder_button(
    database, content, active_person, clock
):
    agreement_id = agreement(database, active_person, clock)
    service = ConversationService(database, content, clock=clock)
    service.handle(active_person, Press(f"g|{agreement_id}|done"))
    assert stored(database, agreement_id) == ("done", "young_person", None, clock(), clock())
    assert pending(database, agreement_id) == []


def test_not_yet_keeps_it_running_until_the_deadline_day_then_it_is_not_done(
    database, content, active_person, clock
):
    agreement_id = agreement(database, active_person, clock)
    service = ConversationService(database, content, clock=clock)
    service.handle(active_person, Press(f"g|{agreement_id}|not_yet"))
    assert stored(database, agreement_id) == ("not_yet", None, None, None, None)
    assert len(pending(database, agreement_id)) == 3  # still reminded
    clock.advance(days=11)  # Saturday 5 December: the answer to "did you make it?"
    service.handle(active_person, Press(f"g|{agreement_id}|not_yet"))
    assert stored(database, agreement_id) == ("not_done", "young_person", None, clock(), None)


def test_the_young_person_does_not_override_the_coordinator(
    database, active_person, clock, coordinators
):
    agreement_id = agreement(database, active_person, clock)
    with database.session() as session:
        record_outcome(
            session,
            agreement_id,
            AgreementStatus.DROPPED,
            by=Actor.COORDINATOR,
            now=clock(),
            staff_id=coordinators[0],
        )
        assert not answer_from_young_person(session, agreement_id, "done", now=clock())
        assert not answer_from_young_person(session, agreement_id, "not_yet", now=clock())
    assert stored(database, agreement_id)[:2] == ("dropped", "coordinator")


def test_a_button_pressed_after_the_coordinators_outcome_is_stale_and_promises_nothing(
    database, content, active_person, clock, coordinators
):
    agreement_id = agreement(database, active_person, clock)
    with database.session() as session:
        record_outcome(
            session,
            agreement_id,
            AgreementStatus.NOT_DONE,
            by=Actor.COORDINATOR,
            now=clock(),
            staff_id=coordinators[0],
        )
    service = ConversationService(database, content, clock=clock)
    messages = service.handle(active_person, Press(f"g|{agreement_id}|done"))
    assert [m.text for m in messages if isinstance(m, Toast)] == [content.texts.stale_button]
    assert not [m for m in messages if isinstance(m, Reply)]  # no "Det er skrevet ned"
    assert stored(database, agreement_id)[:2] == ("not_done", "coordinator")


def test_a_young_persons_own_answer_can_be_changed_and_reopened(database, active_person, clock):
    agreement_id = agreement(database, active_person, clock)
    with database.session() as session:
        answer_from_young_person(session, agreement_id, "done", now=clock())
        record_outcome(
            session, agreement_id, AgreementStatus.NOT_DONE, by=Actor.COORDINATOR, now=clock()
        )
        reopen_agreement(session, agreement_id, now=clock())
        with pytest.raises(PlanningError, match="reopened"):
            reopen_agreement(session, agreement_id, now=clock())
        with pytest.raises(PlanningError, match="unknown answer"):
            answer_from_young_person(session, agreement_id, "maybe", now=clock())
    assert stored(database, agreement_id) == ("open", None, None, None, None)
    assert pending(database, agreement_id) == [
        "agreement_soon",
        "agreement_today",
        "agreement_followup",
    ]


def test_overdue_agreements_are_found_and_saved_without_moving_the_deadline(
    database, active_person, clock
):
    due = agreement(database, active_person, clock, DEADLINE)
    later = agreement(database, active_person, clock, DEADLINE + timedelta(days=10))
    done = agreement(database, active_person, clock, DEADLINE)
    with database.session() as session:
        other = create_young_person(session, pseudonym="Noa", birth_year=2007, now=clock()).id
    theirs = agreement(database, other, clock, DEADLINE)
    with database.session() as session:
        record_outcome(session, done, AgreementStatus.DONE, by=Actor.COORDINATOR, now=clock())
    today = DEADLINE + timedelta(days=1)
    clock.advance(days=11)
    with database.session() as session:
        assert [a.id for a in overdue_agreements(session, today=DEADLINE)] == []
        assert [a.id for a in overdue_agreements(session, today=today)] == [due, theirs]
        mine = select(YoungPerson.id).where(YoungPerson.id == active_person)
        assert [a.id for a in overdue_agreements(session, today=today, people=mine)] == [due]
        assert is_overdue(session.get(Agreement, due), today=today)
        assert not is_overdue(session.get(Agreement, later), today=today)
        # Saving it with its passed deadline: allowed; moving it to another past day: not.
        update_agreement(session, due, details(DEADLINE, action="Ring til FGU i dag"), now=clock())
        with pytest.raises(PlanningError, match="passed"):
            update_agreement(session, due, details(DEADLINE - timedelta(days=1)), now=clock())
        with pytest.raises(PlanningError, match="passed"):
            create_agreement(session, active_person, details(DEADLINE), now=clock())
    with database.session() as session:
        assert session.get(Agreement, due).action == "Ring til FGU i dag"
    assert pending(database, due) == []  # every reminder of a passed deadline is behind
