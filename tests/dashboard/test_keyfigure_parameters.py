"""The report binds no parameter per row: every statement it runs carries the same parameters for
3 young people as for 30 (issue 20 point 4). A list of ids in `IN (...)` would grow with the
municipality and, past 65,535 parameters, make PostgreSQL refuse the report. And what moved
into SQL to get there counts exactly as before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from dashboard.keyfigures import compute
from storage import Database
from storage.models import (
    Answer,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)
from tests.auxil.keyfigures_fixture import NOW, PERIOD, day

BIP = "bip_uddannelse"


def _people(database: Database, count: int) -> None:
    """`count` young people, each with two WHO-5s, two BIPs with an answer and an invitation in the
    period."""
    with database.session() as session:
        for n in range(count):
            person = YoungPerson(
                pseudonym=f"R{n}", birth_year=2008, status="active", created_at=day(1, 5)
            )
            session.add(person)
            session.flush()
            for month, questionnaire in ((2, "who5"), (5, "who5"), (2, BIP), (5, BIP)):
                at = day(month, 10)
                response_id = f"{person.id:05d}{questionnaire[:4]}{month:02d}"
                session.add(
                    QuestionnaireResponse(
                        id=response_id,
                        young_person_id=person.id,
                        questionnaire_id=questionnaire,
                        questionnaire_version=1,
                        status=ResponseStatus.COMPLETED,
                        started_at=at,
                        completed_at=at,
                        score=40 + month if questionnaire == "who5" else None,
                    )
                )
                session.flush()
                item = "glad" if questionnaire == "who5" else "tro"
                session.add(
                    Answer(response_id=response_id, item_id=item, value=month, answered_at=at)
                )
            session.add(
                Reminder(
                    young_person_id=person.id,
                    kind="checkin_invite",
                    subject="checkin:who5",
                    due_at=day(2, 9),
                    latest_at=day(2, 9) + timedelta(hours=6),
                    status=ReminderStatus.SENT,
                    sent_at=day(2, 9),
                    dedup_key=f"param:{person.id}",
                )
            )


@contextmanager
def _parameters(database: Database) -> Iterator[list[int]]:
    """The number of bound parameters of each statement run meanwhile."""
    counted: list[int] = []

    def count(_conn, _cursor, _statement, parameters, _context, _executemany) -> None:
        counted.append(len(parameters or ()))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _report_parameters(database: Database, content) -> list[int]:
    with database.session() as session, _parameters(database) as counted:
        figures = compute(session, PERIOD, now=NOW, people=None, content=content)
    bip = next(each for each in figures.bip if each.questionnaire_id == BIP)
    assert figures.who5 is not None
    assert figures.who5.measured == bip.measured  # every person's rows were read
    return counted


def test_the_reports_statements_bind_the_same_parameters_for_3_and_30_people(database, content):
    _people(database, 3)
    few = _report_parameters(database, content)
    _people(database, 27)
    many = _report_parameters(database, content)
    assert many == few
    assert max(many) < 30


def test_an_invitation_counts_as_completed_only_within_7_days_to_the_microsecond(database, content):
    """The week is counted in the database (an interval on PostgreSQL, text on SQLite): a
    response at the very instant of the invitation counts, one a microsecond short of 7 days
    counts, one at 7 days does not, whatever the fraction of a second."""
    week, tick = timedelta(days=7), timedelta(microseconds=1)
    sent = [
        (day(3, 1) + timedelta(microseconds=999_999), week),  # at 7 days: not completed
        (day(5, 1) + timedelta(microseconds=999_999), week - tick),  # completed
        (day(6, 1) + timedelta(microseconds=500_000), timedelta()),  # completed
    ]
    with database.session() as session:
        person = YoungPerson(pseudonym="U", birth_year=2008, status="active", created_at=day(1, 5))
        session.add(person)
        session.flush()
        for n, (at, after) in enumerate(sent):
            session.add(
                Reminder(
                    young_person_id=person.id,
                    kind="checkin_invite",
                    subject="checkin:who5",
                    due_at=at,
                    latest_at=at + timedelta(hours=6),
                    status=ReminderStatus.SENT,
                    sent_at=at,
                    dedup_key=f"week:{n}",
                )
            )
            session.add(
                QuestionnaireResponse(
                    id=f"week{n}",
                    young_person_id=person.id,
                    questionnaire_id="who5",
                    questionnaire_version=1,
                    status=ResponseStatus.COMPLETED,
                    started_at=at,
                    completed_at=at + after,
                    score=60,
                )
            )
    with database.session() as session:
        figures = compute(session, PERIOD, now=NOW, people=None, content=content)
    who5 = next(each for each in figures.checkins if each.questionnaire_id == "who5")
    assert (who5.sent, who5.completed, who5.people) == (3, 2, 1)
