"""The caseload's week of meetings, its filters, and each young person's next check-in."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from domain import caseload
from domain.checkins import plan_checkins
from domain.people import create_young_person
from domain.reminder_timing import at_local
from storage.models import (
    Agreement,
    Alert,
    Meeting,
    MeetingKind,
    QuestionnaireResponse,
    YoungPerson,
)

# The clock: Tuesday 24 November 2026, 14.00 in Copenhagen.


def ids(session, query) -> set[int]:
    return set(session.scalars(select(YoungPerson.id).where(YoungPerson.id.in_(query))))


def test_the_week_runs_from_monday_to_monday_in_copenhagen():
    assert caseload.week_of(date(2026, 11, 26)) == (
        at_local(date(2026, 11, 23), time(0)),
        at_local(date(2026, 11, 30), time(0)),
    )


def test_the_weeks_meetings_and_the_filters(database, clock):
    now = clock()
    with database.session() as s:
        old = [
            create_young_person(s, pseudonym=n, birth_year=2007, now=now - timedelta(days=60))
            for n in ("A", "B", "C")
        ]
        new = create_young_person(s, pseudonym="N", birth_year=2007, now=now)
        a, b, c = (p.id for p in old)
        for person, starts, status in (
            (a, at_local(date(2026, 11, 23), time(0)), "planned"),  # Monday 00.00: in
            (b, at_local(date(2026, 11, 27), time(10)), "planned"),
            (b, at_local(date(2026, 11, 27), time(11)), "cancelled"),
            (c, at_local(date(2026, 11, 30), time(0)), "planned"),  # next Monday: out
        ):
            s.add(
                Meeting(
                    young_person_id=person,
                    kind=MeetingKind.INDIVIDUAL,
                    starts_at=starts,
                    place="Her",
                    status=status,
                    created_at=now,
                )
            )
        for person, status in ((a, "open"), (b, "resolved"), (c, "held")):
            s.add(
                Alert(
                    young_person_id=person,
                    kind="cannot_come",
                    created_at=now,
                    details={},
                    status=status,
                )
            )
        s.add(
            QuestionnaireResponse(
                id="r1",
                young_person_id=b,
                questionnaire_id="who5",
                questionnaire_version=1,
                status="completed",
                started_at=now - timedelta(days=44),
                completed_at=now - timedelta(days=44),
            )
        )
        for person, deadline, status in (
            (a, date(2026, 11, 23), "not_yet"),
            (b, date(2026, 11, 23), "done"),
            (c, date(2026, 11, 24), "open"),  # due today: not overdue yet
        ):
            s.add(
                Agreement(
                    young_person_id=person,
                    goal="g",
                    action="a",
                    responsible="r",
                    deadline=deadline,
                    status=status,
                    created_at=now,
                )
            )
        s.flush()
        start, end = caseload.week_of(date(2026, 11, 24))
        week = caseload.meetings_between(s, start=start, end=end)
        assert [m.young_person_id for m in week] == [a, b]
        only_b = select(YoungPerson.id).where(YoungPerson.id == b)
        assert [
            m.young_person_id
            for m in caseload.meetings_between(s, start=start, end=end, people=only_b)
        ] == [b]
        assert ids(s, caseload.with_open_alerts()) == {a}
        assert ids(s, caseload.without_checkin(now=now)) == {a, c}  # not B (44 days), not N
        assert new.id not in ids(s, caseload.without_checkin(now=now))
        assert ids(s, caseload.with_overdue_agreements(today=date(2026, 11, 24))) == {a}


def test_the_next_check_in_is_the_planned_invitation(database, active_person, clock):
    with database.session() as s:
        plan_checkins(s, now=clock(), questionnaires=["who5"], default_plan={"who5": 30})
    with database.session() as s:
        planned = caseload.next_checkins(s, [active_person, 999])
        assert list(planned) == [active_person]
        assert planned[active_person] > clock()
        assert caseload.next_checkins(s, []) == {}
