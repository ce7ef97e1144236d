"""A coordinator's caseload with known numbers, for the people filters, the week view and a young
person's history. The test clock stands at Tuesday 24 November 2026 14.00 (week 48).

Sara's young people:
- Asta: taking part; WHO-5 64 on 10 November; an open alert; a meeting on Wednesday 25 November
  at 10.00; a nudge planned 25 November (not an invitation) and the next invitation on
  10 December at 16.00; livsområder twice and one rating by the coordinator.
- Bo: paused; an agreement whose deadline passed on 20 November; an invitation in the outbox
  (not sent while paused, so not shown); last check-in 1 November.
- Cille: taking part; last check-in 1 October (54 days ago); a done agreement from before; a
  meeting next week (Tuesday 1 December 14.00) and one cancelled this Thursday.
- Dan: invited on 20 November, no check-in yet.
Jonas's young person Eva (quiet, alert, meeting this week) never shows for Sara.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.people import create_young_person
from storage import Database
from storage.models import (
    Agreement,
    AgreementStatus,
    Alert,
    Answer,
    CoordinatorRating,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    stamp_status,
)
from tests.auxil.web import Staff

WHO5_ANSWERS = {"glad": 4, "rolig": 3, "aktiv": 3, "udhvilet": 3, "interesse": 3}  # 16 x 4 = 64
LIFE_AREAS = ["skole", "netvaerk", "oekonomi", "psykisk", "fysisk", "kriminalitet", "rusmidler"]


@dataclass(frozen=True)
class Caseload:
    asta: int
    bo: int
    cille: int
    dan: int
    eva: int
    asta_meeting: int
    cille_meeting: int
    cancelled_meeting: int
    eva_meeting: int


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _response(
    person_id: int, questionnaire: str, when: datetime, answers: dict[str, int], *, number: int
) -> QuestionnaireResponse:
    score = sum(answers.values()) * 4 if questionnaire == "who5" else None
    response = QuestionnaireResponse(
        id=f"r{person_id}-{number}",
        young_person_id=person_id,
        questionnaire_id=questionnaire,
        questionnaire_version=1,
        status=ResponseStatus.COMPLETED,
        started_at=when,
        completed_at=when,
        score=score,
    )
    response.answers = [
        Answer(item_id=item, value=value, answered_at=when) for item, value in answers.items()
    ]
    return response


def _reminder(person_id: int, kind: str, due: datetime, *, status: str = ReminderStatus.PENDING):
    return Reminder(
        young_person_id=person_id,
        kind=kind,
        subject="checkin:who5",
        due_at=due,
        latest_at=due + timedelta(hours=2),
        status=status,
        attempts=0,
        dedup_key=f"seed:{person_id}:{kind}:{due.isoformat()}",
    )


def seed_caseload(database: Database, *, sara: Staff, jonas: Staff) -> Caseload:
    with database.session() as session:

        def person(name: str, coordinator: Staff, created: datetime, status: str) -> int:
            found = create_young_person(
                session, pseudonym=name, birth_year=2007, now=created, coordinator_id=coordinator.id
            )
            stamp_status(found, at=created)  # the status history gets the day it happened
            found.status = status
            if status != PersonStatus.INVITED:
                found.information_version = 1
                found.information_accepted_at = created
            session.flush()
            return found.id

        asta = person("Asta", sara, at(2026, 8, 1), PersonStatus.ACTIVE)
        bo = person("Bo", sara, at(2026, 8, 1), PersonStatus.PAUSED)
        cille = person("Cille", sara, at(2026, 8, 1), PersonStatus.ACTIVE)
        dan = person("Dan", sara, at(2026, 11, 20), PersonStatus.INVITED)
        eva = person("Eva", jonas, at(2026, 1, 5), PersonStatus.ACTIVE)

        session.add_all(
            [
                _response(asta, "who5", at(2026, 11, 10, 10), WHO5_ANSWERS, number=1),
                _response(
                    asta, "livsomraader", at(2026, 8, 15, 9), dict.fromkeys(LIFE_AREAS, 2), number=2
                ),
                _response(
                    asta,
                    "livsomraader",
                    at(2026, 11, 10, 10, 5),
                    dict.fromkeys(LIFE_AREAS, 4),
                    number=3,
                ),
                _response(bo, "who5", at(2026, 11, 1, 10), WHO5_ANSWERS, number=1),
                _response(cille, "who5", at(2026, 10, 1, 10), WHO5_ANSWERS, number=1),
                CoordinatorRating(
                    young_person_id=asta,
                    staff_user_id=sara.id,
                    questionnaire_id="livsomraader",
                    answers=dict.fromkeys(LIFE_AREAS, 3),
                    belief=None,
                    rated_at=at(2026, 11, 12, 9),
                ),
                Alert(
                    young_person_id=asta,
                    kind="who5_low",
                    urgent=False,
                    created_at=at(2026, 11, 10, 10),
                    details={},
                ),
                Alert(
                    young_person_id=eva,
                    kind="crisis",
                    urgent=True,
                    created_at=at(2026, 11, 20),
                    details={},
                ),
                _reminder(asta, "checkin_nudge", at(2026, 11, 25, 15)),
                _reminder(asta, "checkin_invite", at(2026, 12, 10, 15)),
                _reminder(asta, "checkin_invite", at(2026, 11, 10, 15), status=ReminderStatus.SENT),
                _reminder(bo, "checkin_invite", at(2026, 12, 1, 15)),
                Agreement(
                    young_person_id=bo,
                    goal="Søge praktik",
                    action="Ringe til tre steder",
                    responsible="Bo",
                    deadline=date(2026, 11, 20),
                    status=AgreementStatus.OPEN,
                    created_at=at(2026, 11, 1),
                ),
                Agreement(
                    young_person_id=cille,
                    goal="=SUM(A1)",  # a formula typed as a goal: stays text in the files
                    action="Møde op",
                    responsible="Cille",
                    deadline=date(2026, 11, 2),
                    status=AgreementStatus.DONE,
                    created_at=at(2026, 10, 1),
                ),
            ]
        )

        def meeting(
            person_id: int, starts: datetime, place: str, status: str = MeetingStatus.PLANNED
        ) -> int:
            row = Meeting(
                young_person_id=person_id,
                kind=MeetingKind.INDIVIDUAL,
                starts_at=starts,
                place=place,
                status=status,
                created_at=at(2026, 11, 1),
            )
            session.add(row)
            session.flush()
            return row.id

        return Caseload(
            asta=asta,
            bo=bo,
            cille=cille,
            dan=dan,
            eva=eva,
            asta_meeting=meeting(asta, at(2026, 11, 25, 9), "Jobcentret"),
            cille_meeting=meeting(cille, at(2026, 12, 1, 13), "Biblioteket"),
            cancelled_meeting=meeting(
                cille, at(2026, 11, 26, 9), "Caféen", MeetingStatus.CANCELLED
            ),
            eva_meeting=meeting(eva, at(2026, 11, 26, 12), "Hemmeligt sted"),
        )
