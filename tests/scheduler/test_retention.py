"""Retention deletes exactly the young people without activity for the period, and prunes
exactly the old finished reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.outbox import ReminderKind, Subject, enqueue
from domain.people import create_young_person
from scheduler.retention import run_retention
from storage.models import (
    Erasure,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)


def person(session, name, created):
    return create_young_person(session, pseudonym=name, birth_year=2006, now=created).id


def reminder(session, person_id, key, due, status):
    row = enqueue(
        session,
        person_id,
        kind=ReminderKind.CHECKIN_INVITE,
        subject=Subject.checkin("who5"),
        due_at=due,
        latest_at=due + timedelta(hours=6),
        dedup_key=key,
    )
    assert row is not None
    row.status = status
    if status == ReminderStatus.SENT:
        row.sent_at = due


def test_retention_deletes_exactly_the_expired(database, clock):
    now = clock()
    long_ago = now - timedelta(days=400)
    with database.session() as session:
        gone = person(session, "Gone", long_ago)
        answered = person(session, "Answered", long_ago)
        session.add(
            QuestionnaireResponse(
                id="a" * 32,
                young_person_id=answered,
                questionnaire_id="who5",
                questionnaire_version=1,
                status=ResponseStatus.COMPLETED,
                started_at=now - timedelta(days=10),
                completed_at=now - timedelta(days=10),
            )
        )
        fresh = person(session, "Fresh", now - timedelta(days=3))
        reminder(session, answered, "old-sent", now - timedelta(days=100), ReminderStatus.SENT)
        reminder(session, answered, "old-missed", now - timedelta(days=95), ReminderStatus.MISSED)
        reminder(session, answered, "recent", now - timedelta(days=10), ReminderStatus.SENT)
        reminder(session, fresh, "pending", now + timedelta(days=1), ReminderStatus.PENDING)
    with database.session() as session:
        report = run_retention(session, now=now, keep_for=timedelta(days=365))
    assert (report.people, report.reminders_pruned) == (1, 2)
    assert report.rows == {"person_status_change": 1, "young_person": 1}
    with database.session() as session:
        assert session.get(YoungPerson, gone) is None
        assert {p.pseudonym for p in session.scalars(select(YoungPerson))} == {"Answered", "Fresh"}
        assert sorted(r.dedup_key for r in session.scalars(select(Reminder))) == [
            "pending",
            "recent",
        ]
        [audit] = session.scalars(select(Erasure)).all()
        assert audit.reason == "retention"
    with database.session() as session:  # a second run finds nothing more
        again = run_retention(session, now=now, keep_for=timedelta(days=365))
    assert (again.people, again.reminders_pruned) == (0, 0)
