"""The check-in planner reads everyone's history in a few grouped queries: a pass costs the same
number of statements for 3 young people as for 30 (it runs every 5 minutes over a whole
municipality); its new rows go in together, and only a new alert costs statements of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from domain.checkins import plan_checkins
from domain.people import create_young_person
from storage import Database
from storage.models import (
    Alert,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
)

QUESTIONNAIRES = {"who5", "bip"}
PLAN = {"who5": 30, "bip": 90}


def _people(database: Database, clock, count: int) -> None:
    """`count` active young people: a third answered lately, a third missed two invitations in a
    row, a third have a plan of their own and nothing yet."""
    now = clock()
    with database.session() as session:
        for i in range(count):
            person = create_young_person(
                session, pseudonym=f"P{i}", birth_year=2007, now=now - timedelta(days=70)
            )
            person.status = PersonStatus.ACTIVE
            person.information_accepted_at = now - timedelta(days=70)
            session.flush()
            if i % 3 == 0:
                session.add(
                    QuestionnaireResponse(
                        id=f"r{person.id}",
                        young_person_id=person.id,
                        questionnaire_id="who5",
                        questionnaire_version=1,
                        status=ResponseStatus.COMPLETED,
                        started_at=now - timedelta(days=3),
                        completed_at=now - timedelta(days=3),
                    )
                )
            elif i % 3 == 1:
                for weeks in (4, 8):
                    due = now - timedelta(weeks=weeks)
                    session.add(
                        Reminder(
                            young_person_id=person.id,
                            kind="checkin_invite",
                            subject="checkin:who5",
                            due_at=due,
                            latest_at=due + timedelta(hours=2),
                            status=ReminderStatus.SENT,
                            attempts=1,
                            sent_at=due,
                            dedup_key=f"test:{person.id}:{weeks}",
                        )
                    )
            else:
                person.checkin_plan = {"who5": 14}


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _pass(database: Database, clock) -> tuple[int, list[str]]:
    with _statements(database) as seen, database.session() as session:
        added = plan_checkins(
            session, now=clock(), questionnaires=QUESTIONNAIRES, default_plan=PLAN
        )
    return added, seen


def test_a_pass_costs_the_same_statements_for_3_and_30_people(database, clock):
    costs = []
    for count in (3, 30):
        with database.session() as session:
            before_rows = session.scalar(select(func.count()).select_from(Reminder))
        _people(database, clock, count)
        first_added, first = _pass(database, clock)
        again_added, again = _pass(database, clock)
        with database.session() as session:
            alerts = session.scalar(select(func.count()).select_from(Alert))
        # an invitation and a nudge for each questionnaire of a plan (one of their own: who5)
        assert first_added == count // 3 * (4 + 4 + 2)
        assert again_added == 0
        costs.append((len(again), first, alerts, before_rows))
    (quiet_small, _, alerts_small, _), (quiet_large, first_large, alerts_large, rows_before) = costs
    # A pass that adds nothing costs a handful of statements, however many people there are.
    assert quiet_small == quiet_large <= 6
    # The first pass at 33 people: a few grouped reads, one INSERT for its 100 rows, and per
    # new alert one look for an older one and its insert.
    assert alerts_small == 1
    assert alerts_large == 1 + 10  # everyone who missed two invitations in a row, once
    inserts = [s for s in first_large if s.lstrip().upper().startswith("INSERT INTO REMINDER")]
    assert len(inserts) == 1
    assert len(first_large) <= 6 + 1 + 2 * 10
    assert rows_before == 10 + 2


def test_a_key_that_exists_outside_the_window_read_ahead_is_still_not_planned_twice(
    database, clock
):
    _people(database, clock, 3)
    added, _ = _pass(database, clock)
    assert added == 10
    with database.session() as session:
        # A row whose time was moved far back: the pass does not read its key ahead of time.
        row = session.scalars(select(Reminder).order_by(Reminder.id.desc())).first()
        row.due_at = clock() - timedelta(days=400)
        row.status = ReminderStatus.CANCELLED
    again, _ = _pass(database, clock)
    assert again == 0
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 10 + 2
