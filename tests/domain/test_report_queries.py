"""The report's queries on known numbers: a first quarter (1 January - 31 March 2026) with
people invited, paused and ended around it, offers, plans, new contact persons, meetings and
agreements, some just inside and some just outside the period's edges (Copenhagen days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from domain.offers import list_offers
from domain.reminder_timing import at_local
from domain.report_queries import (
    AgreementOutcomes,
    AttendanceFigures,
    ContactChanges,
    OfferFigure,
    PlanShare,
    add_months,
    agreement_outcomes,
    contact_person_changes,
    end_outcomes,
    has_long_term_plan,
    meetings_by_attendance,
    offers_received,
)
from storage.models import (
    Agreement,
    CoordinatorChange,
    EndOutcome,
    Meeting,
    MeetingKind,
    PersonOffer,
    PersonStatus,
    YoungPerson,
    change_status,
)
from tests.domain.report_reference import PeopleFlow, long_term_plan_share, people_flow

START, END = date(2026, 1, 1), date(2026, 3, 31)
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    """Noon (or the given time) in Copenhagen on an ISO day."""
    return at_local(date.fromisoformat(day), time(hour, minute))


def person(session, name: str, created: datetime, *changes: tuple[PersonStatus, datetime]) -> int:
    young = YoungPerson(pseudonym=name, birth_year=2007, created_at=created)
    session.add(young)
    session.flush()
    for status, when in changes:
        change_status(young, status, at=when)
        session.flush()
    return young.id


def agreement(session, person_id, made, deadline, status="open", outcome_at=None) -> None:
    session.add(
        Agreement(
            young_person_id=person_id,
            goal="Mål",
            action="Handling",
            responsible="Mig",
            deadline=date.fromisoformat(deadline),
            status=status,
            created_at=at(made),
            outcome_at=outcome_at,
            done_at=outcome_at if status == "done" else None,
        )
    )


def meeting(session, person_id, starts, attendance=None, status="planned") -> None:
    session.add(
        Meeting(
            young_person_id=person_id,
            kind=MeetingKind.INDIVIDUAL,
            starts_at=at(starts, 10),
            place="Her",
            status=status,
            attendance=attendance,
            created_at=at("2025-12-01"),
        )
    )


@pytest.fixture
def quarter(database) -> dict[str, int]:
    active, paused, ended = PersonStatus.ACTIVE, PersonStatus.PAUSED, PersonStatus.ENDED
    with database.session() as s:
        ids = {
            "A": person(
                s, "A", at("2025-12-01"), (active, at("2025-12-05")), (paused, at("2026-02-10"))
            ),
            "B": person(
                s, "B", at("2025-11-01"), (active, at("2025-11-02")), (ended, at("2026-03-15"))
            ),
            "C": person(s, "C", at("2026-02-01"), (active, at("2026-02-02"))),
            "D": person(s, "D", at("2026-04-02")),
            "E": person(
                s, "E", at("2025-06-01"), (active, at("2025-06-02")), (ended, at("2025-12-20"))
            ),
            "F": person(s, "F", at("2026-03-31", 23, 30)),  # the last minutes of the period
            "G": person(s, "G", at("2026-01-01", 0, 0)),  # its very first moment
        }
        a, b, c = ids["A"], ids["B"], ids["C"]
        s.get(YoungPerson, b).end_outcome, s.get(YoungPerson, b).ended_on = (
            "education",
            date(2026, 3, 15),
        )
        s.get(YoungPerson, ids["E"]).end_outcome = "work"
        s.get(YoungPerson, ids["E"]).ended_on = date(2025, 12, 20)

        offer = {o.name: o.id for o in list_offers(s, now=at("2025-01-01"))}
        for who, name, starts, ends in (
            (a, "Mentor", "2025-10-01", "2026-01-15"),
            (c, "Mentor", "2026-02-05", None),
            (b, "FGU", "2026-04-01", None),
            (a, "FGU", "2026-03-31", "2026-03-31"),
            (c, "Praktik", "2025-01-01", "2025-12-31"),
        ):
            s.add(
                PersonOffer(
                    young_person_id=who,
                    offer_id=offer[name],
                    starts_on=date.fromisoformat(starts),
                    ends_on=date.fromisoformat(ends) if ends else None,
                    created_at=at("2025-01-01"),
                )
            )

        agreement(s, a, "2026-01-10", "2026-06-01")  # long-term, running
        agreement(s, b, "2026-01-10", "2026-08-01")  # long-term, but B's course ended
        agreement(s, c, "2026-02-03", "2026-05-01")  # 3 months less 2 days: not long-term
        agreement(s, c, "2026-02-03", "2026-05-04", "done", at("2026-03-01"))  # done before
        agreement(s, c, "2026-02-03", "2026-06-30", "dropped", at("2026-04-05"))  # dropped after
        # Due in the quarter:
        agreement(s, a, "2026-01-05", "2026-02-01", "done", at("2026-01-30"))
        agreement(s, a, "2026-01-05", "2026-02-15", "done", at("2026-02-16"))
        agreement(s, c, "2026-02-03", "2026-03-01", "not_done", at("2026-03-02"))
        agreement(s, c, "2026-02-03", "2026-03-10", "dropped", at("2026-03-05"))
        agreement(s, c, "2026-02-03", "2026-03-20")
        agreement(s, c, "2026-02-03", "2026-03-25", "cancelled")

        for who, when in ((a, at("2026-02-01")), (a, at("2026-03-01"))):
            s.add(CoordinatorChange(young_person_id=who, changed_at=when))
        s.add(CoordinatorChange(young_person_id=c, changed_at=at("2026-04-01", 0, 30)))
        s.add(CoordinatorChange(young_person_id=b, changed_at=at("2025-12-31", 23, 30)))

        meeting(s, a, "2026-01-15", "attended")
        meeting(s, a, "2026-02-15", "no_show")
        meeting(s, c, "2026-03-01", "cancelled_late")
        meeting(s, c, "2026-03-10", "attended")
        meeting(s, c, "2026-03-20")
        meeting(s, b, "2026-03-05", status="cancelled")
        meeting(s, a, "2026-04-10", "attended")
    return ids


def counts(**given: int) -> dict[PersonStatus, int]:
    return {status: given.get(status.value, 0) for status in PersonStatus}


def test_people_at_the_start_and_end_and_new_in_the_period(database, quarter):
    with database.session() as session:
        assert people_flow(session, start=START, end=END) == PeopleFlow(
            at_start=counts(active=2, ended=1),  # A, B; E
            at_end=counts(invited=2, active=1, paused=1, ended=2),  # F, G; C; A; B, E
            new=3,  # C, F, G
            ended=1,  # B
        )
        only_a = select(YoungPerson.id).where(YoungPerson.id == quarter["A"])
        assert people_flow(session, start=START, end=END, people=only_a) == PeopleFlow(
            at_start=counts(active=1), at_end=counts(paused=1), new=0, ended=0
        )


def test_outcomes_by_the_day_the_course_ended(database, quarter):
    with database.session() as session:
        assert end_outcomes(session, start=START, end=END) == {
            EndOutcome.EDUCATION: 1,
            EndOutcome.WORK: 0,  # E ended in December
            EndOutcome.MOVED: 0,
            EndOutcome.NOT_WANTED: 0,
            EndOutcome.OTHER: 0,
        }


def test_offers_started_and_running_in_the_period(database, quarter):
    with database.session() as session:
        found = {f.name: f for f in offers_received(session, start=START, end=END)}
    assert found["Mentor"] == OfferFigure(
        offer_id=found["Mentor"].offer_id, name="Mentor", started=1, running=2, people=2
    )
    assert (found["FGU"].started, found["FGU"].running, found["FGU"].people) == (1, 1, 1)
    for name in ("Praktik", "STU", "Behandling"):
        assert (found[name].started, found[name].running, found[name].people) == (0, 0, 0)


def test_long_term_plans(database, quarter):
    with database.session() as session:
        share = long_term_plan_share(session, on=END)
        assert share == PlanShare(with_plan=2, followed=2)  # A and C; B has ended
        assert share.share == 1.0
        assert has_long_term_plan(session, quarter["A"], on=END)
        assert not has_long_term_plan(session, quarter["A"], on=date(2026, 1, 9))  # not made yet
        assert has_long_term_plan(session, quarter["C"], on=END)  # dropped only in April
        assert not has_long_term_plan(session, quarter["C"], on=date(2026, 4, 10))
        assert long_term_plan_share(session, on=date(2026, 4, 10)) == PlanShare(
            with_plan=1, followed=2
        )
        assert PlanShare(with_plan=0, followed=0).share is None
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_changes_of_contact_person(database, quarter):
    with database.session() as session:
        assert contact_person_changes(session, start=START, end=END) == ContactChanges(
            changes=2, people=1
        )


def test_meetings_held_by_attendance(database, quarter):
    with database.session() as session:
        figures = meetings_by_attendance(session, start=START, end=END, now=NOW)
        assert figures == AttendanceFigures(attended=2, no_show=1, cancelled_late=1, not_recorded=1)
        assert figures.held == 2
        # Before 12 March only the meetings that had begun count.
        early = meetings_by_attendance(session, start=START, end=END, now=at("2026-03-12"))
        assert early == AttendanceFigures(attended=2, no_show=1, cancelled_late=1, not_recorded=0)


def test_agreements_due_in_the_period_by_outcome(database, quarter):
    with database.session() as session:
        assert agreement_outcomes(session, start=START, end=END) == AgreementOutcomes(
            due=5, done=2, done_on_time=1, not_done=1, dropped=1, running=1, people=2
        )
