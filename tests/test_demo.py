"""The demo data set: complete, consistent with the questionnaires, deterministic, and never
mixed into a database that already holds data."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.content import Content
from storage import Base, Database
from storage.models import (
    Agreement,
    Alert,
    CoordinatorRating,
    Idea,
    Meeting,
    MeetingFeedback,
    QuestionnaireResponse,
    StaffUser,
    Workshop,
    YoungPerson,
)
from tests.auxil.ports import INFORMATION_VERSION
from ungeguide.demo import DemoLogin, fill_demo
from ungeguide.errors import DemoError

NOW = datetime(2026, 3, 10, 11, 30, tzinfo=UTC)
ALERT_KINDS = {
    "who5_low",
    "who5_drop",
    "who5_item_low",
    "crisis",
    "missed_checkins",
    "cannot_come",
    "agreement_help",
    "unreachable",
}


@pytest.fixture
def logins(database: Database, content: Content) -> list[DemoLogin]:
    with database.session() as session:
        return fill_demo(session, content, now=NOW)


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def _fingerprint(database: Database) -> list[tuple[str, int, list[int | None]]]:
    with database.session() as session:
        people = session.scalars(select(YoungPerson).order_by(YoungPerson.id)).all()
        return [
            (
                person.pseudonym,
                person.birth_year,
                [r.score for r in sorted(person.responses, key=lambda r: r.started_at)],
            )
            for person in people
        ]


def test_staff_and_their_passwords(database: Database, logins: list[DemoLogin]) -> None:
    assert [(login.email, login.role) for login in logins] == [
        ("admin@demo.invalid", "admin"),
        ("sara@demo.invalid", "coordinator"),
        ("jonas@demo.invalid", "coordinator"),
        ("facilitator@demo.invalid", "facilitator"),
    ]
    hasher = PasswordHasher()
    with database.session() as session:
        staff = {user.email: user for user in session.scalars(select(StaffUser))}
        assert len(staff) == 4
        for login in logins:
            user = staff[login.email]
            assert user.role == login.role
            assert user.password_hash is not None
            assert user.password_hash.startswith("$argon2id$")
            assert hasher.verify(user.password_hash, login.password)


def test_young_people_belong_mostly_to_sara(database: Database, logins: list[DemoLogin]) -> None:
    with database.session() as session:
        people = session.scalars(select(YoungPerson)).all()
        names = {user.id: user.display_name for user in session.scalars(select(StaffUser))}
        owners = Counter(names.get(person.coordinator_id or 0) for person in people)
        statuses = Counter(person.status for person in people)
        empty = {person.status for person in people if not person.responses}
    assert len(people) == 20
    assert owners["Sara Holm"] >= 15
    assert owners["Jonas Berg"] >= 1
    assert owners["Sara Holm"] + owners["Jonas Berg"] == 20
    assert statuses == {"active": 14, "paused": 2, "unreachable": 1, "ended": 2, "invited": 1}
    assert empty == {"invited"}
    assert len({person.pseudonym for person in people}) == 20
    assert all(2001 <= person.birth_year <= 2011 for person in people)
    for person in people:
        assert person.telegram_chat_id is None
        if person.status == "invited":
            assert person.information_accepted_at is None
        else:
            assert person.information_version == INFORMATION_VERSION
            assert person.information_accepted_at is not None
        assert person.checkin_plan is not None
        assert person.checkin_plan["who5"] == 30
        assert set(person.checkin_plan) - {"who5"} in ({"bip_uddannelse"}, {"bip_beskaeftigelse"})


def test_a_year_of_check_ins(database: Database, logins: list[DemoLogin]) -> None:
    with database.session() as session:
        people = session.scalars(select(YoungPerson).where(YoungPerson.status != "invited")).all()
        for person in people:
            who5 = sorted(
                (
                    r.completed_at
                    for r in person.responses
                    if r.questionnaire_id == "who5"
                    and r.status == "completed"
                    and r.completed_at is not None
                ),
            )
            assert len(who5) >= 10, person.pseudonym
            assert who5[-1] - who5[0] >= timedelta(days=280), person.pseudonym
            kinds = {r.questionnaire_id for r in person.responses}
            assert kinds >= {"who5", "livsomraader"}
            assert kinds & {"bip_uddannelse", "bip_beskaeftigelse"}
        responses = session.scalars(select(QuestionnaireResponse)).all()
        statuses = Counter(r.status for r in responses)
        talks = [r.talk_next_time for r in responses if r.talk_next_time]
    assert statuses["stopped"] >= 1
    assert statuses["in_progress"] == 0
    assert len(talks) >= 20
    assert all(talk.startswith(talk[0].upper()) for talk in talks)


def test_answers_fit_their_questionnaire(
    database: Database, content: Content, logins: list[DemoLogin]
) -> None:
    with database.session() as session:
        responses = session.scalars(select(QuestionnaireResponse)).all()
        assert responses
        for response in responses:
            questionnaire = content.questionnaires[response.questionnaire_id]
            assert response.questionnaire_version == questionnaire.version
            allowed = {option.value for option in questionnaire.scale}
            items = [item.id for item in questionnaire.items]
            answered = [answer.item_id for answer in response.answers]
            assert all(answer.value in allowed for answer in response.answers)
            moments = [response.started_at, *(a.answered_at for a in response.answers)]
            assert moments == sorted(moments)
            if response.status == "stopped":
                assert answered == items[: len(answered)]
                assert response.completed_at is None
                assert response.score is None
                continue
            assert answered == items
            assert response.completed_at is not None
            assert moments[-1] <= response.completed_at <= NOW
            if questionnaire.scoring.method == "sum":
                values = [answer.value for answer in response.answers]
                assert response.score == sum(values) * 4
            else:
                assert response.score is None


def test_meetings_agreements_and_ratings(
    database: Database, content: Content, logins: list[DemoLogin]
) -> None:
    with database.session() as session:
        meetings = session.scalars(select(Meeting)).all()
        agreements = session.scalars(select(Agreement)).all()
        feedback = session.scalars(select(MeetingFeedback)).all()
        ratings = session.scalars(select(CoordinatorRating)).all()
        meeting_kinds = {m.id: m.kind for m in meetings}
        starts = {m.id: m.starts_at for m in meetings}
    past = [m for m in meetings if m.starts_at < NOW]
    upcoming = [m for m in meetings if m.starts_at > NOW]
    assert len(past) >= 100
    assert len(upcoming) >= 10
    assert {m.kind for m in past} == {m.kind for m in upcoming} == {"individual", "network"}
    assert any(m.status == "cancelled" for m in past)
    cannot = [m for m in meetings if m.answer == "cannot_come"]
    assert cannot
    assert all(m.answer_reason for m in cannot)
    for meeting in meetings:
        assert meeting.place
        assert meeting.created_at <= NOW
        assert meeting.answered_at is None or meeting.created_at <= meeting.answered_at <= NOW
    assert feedback
    for answer in feedback:
        assert meeting_kinds[answer.meeting_id] == "network"
        assert starts[answer.meeting_id] < answer.answered_at <= NOW
        assert {answer.heard, answer.part_of_decisions, answer.knows_next} <= {1, 2, 3}

    statuses = Counter(a.status for a in agreements)
    assert set(statuses) >= {"done", "open", "not_yet"}
    today = NOW.date()
    assert any(a.status == "open" and a.deadline < today for a in agreements)
    assert any(a.status == "open" and a.deadline > today for a in agreements)
    for agreement in agreements:
        assert all((agreement.goal, agreement.action, agreement.responsible))
        assert agreement.created_at <= NOW
        if agreement.status == "done":
            assert agreement.done_at is not None
            assert agreement.created_at <= agreement.done_at <= NOW
        if agreement.deadline > today:
            assert agreement.status in {"open", "cancelled"}

    assert len({r.young_person_id for r in ratings}) >= 4
    for rating in ratings:
        items = [item.id for item in content.questionnaires[rating.questionnaire_id].items]
        assert list(rating.answers) == items
        assert set(rating.answers.values()) <= {1, 2, 3, 4, 5}
        assert rating.belief in {1, 2, 3, 4, 5}
        assert rating.rated_at <= NOW


def test_alerts(database: Database, logins: list[DemoLogin]) -> None:
    with database.session() as session:
        alerts = session.scalars(select(Alert)).all()
        kinds = {alert.kind for alert in alerts}
        assert kinds == ALERT_KINDS
        for alert in alerts:
            assert alert.created_at <= NOW
            if alert.kind == "who5_low":
                assert alert.urgent == (alert.details["score"] <= 28)
            if alert.kind == "who5_drop":
                assert alert.details["before"] - alert.details["score"] >= 10
            if alert.kind == "who5_item_low":
                assert set(alert.details["items"].split(",")) <= {
                    "glad",
                    "rolig",
                    "aktiv",
                    "udhvilet",
                    "interesse",
                }
            if alert.kind == "crisis":
                assert alert.urgent
                assert alert.details == {}
            if alert.kind == "missed_checkins":
                assert alert.details == {"questionnaire": "who5"}
            if alert.kind == "cannot_come":
                meeting = session.get(Meeting, alert.details["meeting_id"])
                assert meeting is not None
                assert meeting.young_person_id == alert.young_person_id
                assert meeting.answer == "cannot_come"
            if alert.kind == "agreement_help":
                agreement = session.get(Agreement, alert.details["agreement_id"])
                assert agreement is not None
                assert agreement.young_person_id == alert.young_person_id
            if alert.acknowledged_at is not None:
                assert alert.acknowledged_by is not None
                assert alert.note
                assert alert.created_at <= alert.acknowledged_at <= NOW
    assert any(alert.acknowledged_at is None for alert in alerts)
    assert any(alert.acknowledged_at is not None for alert in alerts)
    assert any(alert.urgent and alert.acknowledged_at is None for alert in alerts)


def test_workshop_with_ideas(database: Database, logins: list[DemoLogin]) -> None:
    with database.session() as session:
        workshop = session.scalars(select(Workshop)).one()
        ideas = session.scalars(select(Idea)).all()
        facilitator = session.get(StaffUser, workshop.created_by)
    assert workshop.title == "Godt ungeliv i kommunen"
    assert workshop.question == "Hvad skal der til for et godt ungeliv i kommunen?"
    assert workshop.themes == ["fællesskab", "mental sundhed", "bolig", "fritid"]
    assert workshop.code == "UNGE26"
    assert workshop.opens_at < NOW < workshop.closes_at
    assert facilitator is not None
    assert facilitator.role == "facilitator"
    assert len(ideas) >= 15
    assert {idea.theme for idea in ideas} == set(workshop.themes)
    assert all(workshop.opens_at.date() <= idea.sent_on <= NOW.date() for idea in ideas)
    assert sum(idea.hidden for idea in ideas) == 1


def test_refuses_a_database_with_data(
    database: Database, content: Content, logins: list[DemoLogin]
) -> None:
    with database.session() as session:
        before = _counts(session)
    with pytest.raises(DemoError), database.session() as session:
        fill_demo(session, content, now=NOW + timedelta(days=1))
    with database.session() as session:
        assert _counts(session) == before


def test_refuses_a_database_with_only_staff(database: Database, content: Content) -> None:
    with database.session() as session:
        session.add(
            StaffUser(email="real@kommune.dk", display_name="Real", role="admin", created_at=NOW)
        )
    with pytest.raises(DemoError, match="empty database"), database.session() as session:
        fill_demo(session, content, now=NOW)
    with database.session() as session:
        assert _counts(session)["staff_user"] == 1
        assert _counts(session)["young_person"] == 0


def test_same_seed_same_data(
    database: Database, content: Content, logins: list[DemoLogin], tmp_path: Path
) -> None:
    def filled(name: str, seed: int) -> list[tuple[str, int, list[int | None]]]:
        other = Database(f"sqlite:///{tmp_path / name}")
        try:
            other.upgrade()
            with other.session() as session:
                fill_demo(session, content, now=NOW, seed=seed)
            return _fingerprint(other)
        finally:
            other.dispose()

    mine = _fingerprint(database)
    assert filled("same.db", 7) == mine
    assert filled("other.db", 8) != mine


def test_alert_thresholds_are_the_bots(
    database: Database, content: Content, logins: list[DemoLogin]
) -> None:
    """The demo raises WHO-5 alerts by the thresholds the bot uses (dialogues/who5.yml)."""
    limits = content.questionnaires["who5"].alerts
    assert limits is not None
    with database.session() as session:
        low = session.scalars(select(Alert).where(Alert.kind == "who5_low")).all()
    assert low
    for alert in low:
        assert alert.details["score"] <= limits.low
        assert alert.urgent == (alert.details["score"] <= limits.urgent)


def test_needs_an_aware_now(database: Database, content: Content) -> None:
    with pytest.raises(ValueError, match="aware"), database.session() as session:
        fill_demo(session, content, now=NOW.replace(tzinfo=None))
