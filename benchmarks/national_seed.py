"""Seed a national month: young people in steady state, and the month's meetings and agreements.

Bulk SQL (`insert(...)` with many rows, a few statements per thousand people), because the
domain services (`create_meeting`, `create_agreement`) would take hours at 43,000 people: each
call scans the pending outbox for its subject. Every reminder row is still computed by the
domain's own pure timing rules (`meeting_times`, `agreement_times`, `plan`, `latest_allowed`)
and stored in the shape `domain.outbox.replace_reminders` gives it, so the outbox holds what
the dashboard would have planned (tests/scheduler/test_national_small.py checks one person
against `create_meeting` and `create_agreement`).

Steady state: each young person joined 30-400 days before the month, has a WHO-5 every 30 days
and one of the two BIPs every 91 days, default check-in time (16.00). Their last invitation of
each questionnaire went out 1..cadence days before the month, and was answered by a share of
them, so the planner spreads the month's invitations over its days as it would in real life.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.content import Content
from domain.meetings import FEEDBACK_AFTER
from domain.outbox import ReminderKind, Subject, latest_allowed
from domain.reminder_timing import (
    DEFAULT_RULES,
    ReminderRules,
    agreement_times,
    at_local,
    local_date,
    meeting_times,
    plan,
)
from storage import Database
from storage.models import (
    Agreement,
    AgreementStatus,
    Answer,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)
from testing.seed import INFORMATION_VERSION

CHUNK = 2_000
BIPS = ("bip_uddannelse", "bip_beskaeftigelse")
PLACES = ("Ungehuset", "Jobcentret, mødelokale 2", "Biblioteket", "Online")
AGREEMENTS = (
    ("Komme i gang med en uddannelse", "Ringe til studievejlederen", "Den unge"),
    ("Bedre døgnrytme", "Stå op kl. 8 tre dage om ugen", "Den unge"),
    ("Finde et fritidsjob", "Sende to ansøgninger", "Den unge og koordinatoren"),
)


@dataclass(frozen=True, kw_only=True)
class SeedShape:
    """What each young person gets in the month (the issue's figures)."""

    meetings_per_month: int = 2
    agreements_per_month: int = 2
    network_share: float = 0.3  # network meetings get three feedback questions afterwards
    answered_before: float = 0.6  # the last check-in before the month was answered


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_people(
    database: Database,
    content: Content,
    *,
    people: int,
    start: datetime,
    rng: random.Random,
    shape: SeedShape = SeedShape(),
) -> list[int]:
    """Young people with their last check-in cycle before `start`. Returns their ids."""
    ids: list[int] = []
    with database.session() as session:
        rows: list[dict[str, Any]] = [
            {
                "pseudonym": f"N{i}",
                "birth_year": rng.randint(2001, 2011),
                "status": PersonStatus.ACTIVE,
                "created_at": start - timedelta(days=rng.randint(31, 400)),
                "telegram_chat_id": 10_000_000 + i,
                "information_version": INFORMATION_VERSION,
                "checkin_plan": {"who5": 30, rng.choice(BIPS): 91},
            }
            for i in range(people)
        ]
        for row in rows:
            row["information_accepted_at"] = row["created_at"] + timedelta(hours=2)
            row["invite_used_at"] = row["information_accepted_at"]
        for chunk in _chunks(rows):
            ids += session.scalars(
                insert(YoungPerson).returning(YoungPerson.id, sort_by_parameter_order=True), chunk
            ).all()
        history: list[tuple[int, str, datetime, bool]] = []
        for pid, row in zip(ids, rows, strict=True):
            for qid, days in row["checkin_plan"].items():
                day = local_date(start) - timedelta(days=rng.randint(1, days))
                invited = at_local(day, DEFAULT_RULES.checkin_default_at)
                history.append((pid, qid, invited, rng.random() < shape.answered_before))
        for chunk in _chunks(history):
            _store_history(session, content, chunk, rng)
    return ids


def _store_history(
    session: Session,
    content: Content,
    history: Sequence[tuple[int, str, datetime, bool]],
    rng: random.Random,
) -> None:
    reminders, responses, answers = [], [], []
    for pid, qid, invited, answered in history:
        reminders.append(
            {
                "young_person_id": pid,
                "kind": ReminderKind.CHECKIN_INVITE,
                "subject": str(Subject.checkin(qid)),
                "due_at": invited,
                "latest_at": latest_allowed(invited, DEFAULT_RULES),
                "status": ReminderStatus.SENT,
                "attempts": 1,
                "sent_at": invited,
                "dedup_key": f"seed:{pid}:{qid}",
            }
        )
        if answered:
            response, items = completed_response(
                content, pid, qid, invited + timedelta(minutes=rng.randint(5, 300)), rng
            )
            responses.append(response)
            answers += items
    session.execute(insert(Reminder), reminders)
    if responses:
        session.execute(insert(QuestionnaireResponse), responses)
        session.execute(insert(Answer), answers)


def completed_response(
    content: Content, person_id: int, questionnaire_id: str, started: datetime, rng: random.Random
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A completed response and its answers as rows, as the check-in flow stores them."""
    questionnaire = content.questionnaires[questionnaire_id]
    values = [option.value for option in questionnaire.scale]
    response_id = uuid.UUID(int=rng.getrandbits(128)).hex
    moment = started
    answers: list[dict[str, Any]] = []
    for item in questionnaire.items:
        moment += timedelta(seconds=rng.randint(10, 60))
        answers.append(
            {
                "response_id": response_id,
                "item_id": item.id,
                "value": rng.choice(values),
                "answered_at": moment,
            }
        )
    score = None
    if questionnaire.scoring.method == "sum":
        score = sum(a["value"] for a in answers) * questionnaire.scoring.multiplier
    response = {
        "id": response_id,
        "young_person_id": person_id,
        "questionnaire_id": questionnaire_id,
        "questionnaire_version": questionnaire.version,
        "status": ResponseStatus.COMPLETED,
        "started_at": started,
        "completed_at": moment + timedelta(seconds=20),
        "score": score,
    }
    return response, answers


def meeting_rows(
    person_id: int,
    meeting_id: int,
    kind: MeetingKind,
    starts: datetime,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> list[dict[str, Any]]:
    """The reminder rows `domain.meetings._plan_meeting` stores for a new meeting."""
    rows = [
        (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules, before=starts))
        for item in plan(meeting_times(starts, rules), now=now, event_at=starts, rules=rules)
    ]
    if kind == MeetingKind.NETWORK:
        after = {ReminderKind.MEETING_FEEDBACK: starts + FEEDBACK_AFTER}
        rows += [
            (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules))
            for item in plan(after, now=now, event_at=None, rules=rules)
        ]
    return _outbox_rows(person_id, Subject.meeting(meeting_id), rows)


def agreement_rows(
    person_id: int,
    agreement_id: int,
    deadline: date,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> list[dict[str, Any]]:
    """The reminder rows `domain.agreements._plan_agreement` stores for a new agreement."""
    planned = plan(agreement_times(deadline, rules), now=now, event_at=None, rules=rules)
    rows = [
        (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules))
        for item in planned
    ]
    return _outbox_rows(person_id, Subject.agreement(agreement_id), rows)


def _outbox_rows(
    person_id: int, about: Subject, rows: list[tuple[str, datetime | None, datetime, datetime]]
) -> list[dict[str, Any]]:
    subject = str(about)
    return [
        {
            "young_person_id": person_id,
            "kind": kind,
            "subject": subject,
            "due_at": due or wanted,
            "latest_at": latest,
            "dedup_key": f"{subject}:{kind}:{wanted.isoformat()}",
            "attempts": 0,
            "status": ReminderStatus.PENDING if due else ReminderStatus.SKIPPED,
            "last_error": None if due else "quiet hours: the next allowed time is after the event",
        }
        for kind, due, wanted, latest in rows
    ]


def _weekdays(start: datetime, days: int) -> list[date]:
    first = local_date(start)
    every = (first + timedelta(days=n) for n in range(1, days + 1))
    return [day for day in every if day.weekday() < 5]


def seed_month(
    database: Database,
    ids: Sequence[int],
    *,
    start: datetime,
    days: int,
    rng: random.Random,
    shape: SeedShape = SeedShape(),
) -> None:
    """The month's meetings (09.00-15.30 on weekdays) and agreements (deadlines on weekdays),
    planned the day before the month begins, with their reminders."""
    workdays = _weekdays(start, days) or [local_date(start) + timedelta(days=1)]
    meetings_per = round(shape.meetings_per_month * days / 30) or 1
    agreements_per = round(shape.agreements_per_month * days / 30) or 1
    planned_at = start - timedelta(hours=12)
    for chunk in _chunks(ids, CHUNK // 4):
        with database.session() as session:
            meetings = [
                {
                    "young_person_id": pid,
                    "kind": MeetingKind.NETWORK
                    if rng.random() < shape.network_share
                    else MeetingKind.INDIVIDUAL,
                    "starts_at": at_local(
                        rng.choice(workdays), time(rng.randint(9, 15), 30 * rng.randint(0, 1))
                    ),
                    "place": rng.choice(PLACES),
                    "participants": "Koordinator",
                    "agenda": "Hvordan går det?",
                    "status": MeetingStatus.PLANNED,
                    "created_at": planned_at,
                }
                for pid in chunk
                for _ in range(meetings_per)
            ]
            meeting_ids = session.scalars(
                insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True), meetings
            ).all()
            agreements = [
                {
                    "young_person_id": pid,
                    "goal": goal,
                    "action": action,
                    "responsible": responsible,
                    "deadline": rng.choice(workdays),
                    "status": AgreementStatus.OPEN,
                    "created_at": planned_at,
                }
                for pid in chunk
                for goal, action, responsible in rng.choices(AGREEMENTS, k=agreements_per)
            ]
            agreement_ids = session.scalars(
                insert(Agreement).returning(Agreement.id, sort_by_parameter_order=True),
                agreements,
            ).all()
            reminders: list[dict[str, Any]] = []
            for mid, row in zip(meeting_ids, meetings, strict=True):
                reminders += meeting_rows(
                    row["young_person_id"], mid, row["kind"], row["starts_at"], now=planned_at
                )
            for aid, row in zip(agreement_ids, agreements, strict=True):
                reminders += agreement_rows(
                    row["young_person_id"], aid, row["deadline"], now=planned_at
                )
            session.execute(insert(Reminder), reminders)
