"""A data set with known key figures, for the report's tests (in process and in Chromium).

The period is the first half of 2026, a whole half-year as the dashboard offers it; everything
happens in its second quarter, so the differencing rule (dashboard/keyfigures/release.py) hides
nothing. The coordinator owns eight young people and six who left in the period (five to an
education, one to work); one more belongs to someone else, so a coordinator's report and an
admin's differ by exactly that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dashboard.accounts import create_staff
from dashboard.keyfigures import Period
from domain.lifecycle import end_course
from domain.offers import give_offer, list_offers
from storage import Database
from storage.models import (
    Actor,
    Agreement,
    AgreementStatus,
    Alert,
    AlertStatus,
    Answer,
    CoordinatorChange,
    EndOutcome,
    Idea,
    Meeting,
    MeetingAnswer,
    MeetingAttendance,
    MeetingFeedback,
    MeetingStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    StaffRole,
    Workshop,
    YoungPerson,
)
from tests.auxil.web import PASSWORD, Staff

EMAIL = "tal@kommune.invalid"
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
BEFORE = datetime(2025, 11, 1, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 13, tzinfo=UTC)

# Per young person: status, created in the period?, WHO-5 scores in the period (in order).
PEOPLE = [
    ("active", False, [40, 60]),  # +20, first low
    ("active", False, [48, 52]),  # first low
    ("active", False, [70, 80]),  # +10
    ("active", True, [30, 28]),  # low both times
    ("active", True, [60, 72]),  # +12
    ("active", True, [56]),  # one measurement
    ("paused", True, []),
    ("ended", True, []),
]
BIP_TRO = [(1, 2), (2, 3), (3, 4), (4, 5), (5, 5)]  # first and latest "tro" of 5 people
# Urgent alerts of six of the coordinator's young people: minutes until someone took each (None:
# nobody yet) and whether it went on to the duty list. Median of 5, 10, 20, 40, 90: 20 minutes;
# 3 of 6 taken within 30 minutes; 3 escalated.
# Six young people active from before the period who left in it: the outcome of each.
LEAVERS = [EndOutcome.EDUCATION] * 5 + [EndOutcome.WORK]
# After the five meetings the young people came to: (heard, part of decisions, knows next).
FEEDBACK = [(3, 3, 3), (3, 3, 3), (3, 3, 1), (2, 3, 2), (1, 3, None)]
URGENT_ALERTS = [(5, False), (10, False), (20, False), (40, True), (90, True), (None, True)]


@dataclass(frozen=True)
class Known:
    period: Period
    coordinator_id: int

    @property
    def coordinator(self) -> Staff:
        return Staff(self.coordinator_id, EMAIL, StaffRole.COORDINATOR)

    # (Danish label, value) pairs that the coordinator's report must show.
    expected_rows: list[tuple[str, str]]


def day(month: int, of: int, hour: int = 10) -> datetime:
    return datetime(2026, month, of, hour, tzinfo=UTC)


def store_known_data(database: Database) -> Known:
    with database.session() as session:
        coordinator = create_staff(
            session,
            email=EMAIL,
            display_name="Tal",
            role=StaffRole.COORDINATOR,
            password=PASSWORD,
            now=BEFORE,
        )
        other = create_staff(
            session,
            email="andre@kommune.invalid",
            display_name="Andre",
            role=StaffRole.COORDINATOR,
            password=None,
            now=BEFORE,
        )
        ids = []
        for n, (status, new, scores) in enumerate(PEOPLE):
            person = YoungPerson(
                pseudonym=f"K{n}",
                birth_year=2008,
                status=status,
                coordinator_id=coordinator.id,
                created_at=day(4, 2) if new else BEFORE,
            )
            session.add(person)
            session.flush()
            ids.append(person.id)
            for month, score in enumerate(scores):
                _who5(session, person.id, day(4 + 2 * month, 10), score)
        outsider = YoungPerson(
            pseudonym="Ude",
            birth_year=2008,
            status="active",
            coordinator_id=other.id,
            created_at=day(4, 2),
        )
        session.add(outsider)
        session.flush()
        _who5(session, outsider.id, day(5, 1), 96)
        _who5(session, ids[0], BEFORE, 8)  # before the period: not the first in it
        # Two invitations nobody answered (the rest are each followed by a WHO-5 a day later).
        for person_id in ids[:2]:
            _invite(session, person_id, day(6, 20), "unanswered")
        for n, (first, latest) in enumerate(BIP_TRO):
            _bip(session, ids[n], day(4, 20), first)
            _bip(session, ids[n], day(6, 20), latest)
        # Meetings: 5 the young person came to (one answered "coming"), each with feedback; 2
        # cancelled; 1 "can't come", recorded as cancelled too late; 1 not recorded; 1 to come.
        for n, answers in enumerate(FEEDBACK):
            meeting_id = _meeting(
                session,
                ids[n],
                day(5, 1 + n),
                MeetingStatus.PLANNED,
                MeetingAnswer.COMING if n == 0 else None,
                attendance=MeetingAttendance.ATTENDED,
            )
            heard, decided, knows = answers
            session.add(
                MeetingFeedback(
                    meeting_id=meeting_id,
                    heard=heard,
                    part_of_decisions=decided,
                    knows_next=knows,
                    answered_at=day(5, 2 + n),
                )
            )
        for n in range(2):
            _meeting(session, ids[n], day(5, 10 + n), MeetingStatus.CANCELLED, None)
        _meeting(
            session,
            ids[5],
            day(5, 20),
            MeetingStatus.PLANNED,
            MeetingAnswer.CANNOT_COME,
            attendance=MeetingAttendance.CANCELLED_LATE,
        )
        _meeting(session, ids[2], day(6, 1), MeetingStatus.PLANNED, None)  # not recorded
        _meeting(session, ids[0], day(12, 1), MeetingStatus.PLANNED, None)  # after the period
        _meeting(session, ids[0], BEFORE, MeetingStatus.PLANNED, None)  # before the period
        # Agreements due in the period: 3 kept, 1 late, 2 open (5 different people).
        for n, (status, done) in enumerate(
            [
                (AgreementStatus.DONE, day(5, 1)),
                (AgreementStatus.DONE, day(5, 2)),
                (AgreementStatus.DONE, day(5, 3)),
                (AgreementStatus.DONE, day(6, 9)),
                (AgreementStatus.OPEN, None),
                (AgreementStatus.NOT_YET, None),
            ]
        ):
            session.add(
                Agreement(
                    young_person_id=ids[min(n, 4)],
                    goal="m",
                    action="h",
                    responsible="r",
                    deadline=date(2026, 5, 5),
                    status=status,
                    done_at=done,
                    outcome_at=done,
                    outcome_by=Actor.COORDINATOR if done else None,
                    created_at=BEFORE,
                )
            )
        # Long-term plans: 5 of the 7 followed at the end have an agreement made 1 November
        # with its deadline 1 September (10 months ahead), still open on 30 June.
        for person_id in ids[:5]:
            session.add(
                Agreement(
                    young_person_id=person_id,
                    goal="m",
                    action="h",
                    responsible="r",
                    deadline=date(2026, 9, 1),
                    created_at=BEFORE,
                )
            )
        # Offers: Mentor for six young people from 15 April, FGU for one from before the period
        # to 1 February, Praktik that ended before the period (not counted).
        offers = {offer.name: offer.id for offer in list_offers(session, now=BEFORE)}
        for person_id in ids[:6]:
            give_offer(
                session,
                person_id,
                offers["Mentor"],
                starts_on=date(2026, 4, 15),
                staff_id=coordinator.id,
                now=day(4, 15),
            )
        give_offer(
            session,
            ids[0],
            offers["FGU"],
            starts_on=date(2025, 12, 1),
            ends_on=date(2026, 2, 1),
            staff_id=coordinator.id,
            now=BEFORE,
        )
        give_offer(
            session,
            ids[1],
            offers["Praktik"],
            starts_on=date(2025, 11, 1),
            ends_on=date(2025, 12, 31),
            staff_id=coordinator.id,
            now=BEFORE,
        )
        # Six changes of contact person to this coordinator, for five young people.
        for n, person_id in enumerate([*ids[:5], ids[0]]):
            session.add(
                CoordinatorChange(
                    young_person_id=person_id,
                    from_coordinator_id=other.id,
                    to_coordinator_id=coordinator.id,
                    changed_at=day(4, 3 + n),
                )
            )
        for n, outcome in enumerate(LEAVERS):
            leaver = YoungPerson(
                pseudonym=f"L{n}",
                birth_year=2007,
                status="active",
                coordinator_id=coordinator.id,
                created_at=BEFORE,
            )
            session.add(leaver)
            session.flush()
            end_course(
                session,
                leaver.id,
                outcome,
                ended_on=date(2026, 5, 1 + n),
                staff_id=coordinator.id,
                now=day(5, 1 + n),
            )
        session.add(
            Agreement(
                young_person_id=ids[0],
                goal="m",
                action="h",
                responsible="r",
                deadline=date(2026, 5, 5),
                status=AgreementStatus.CANCELLED,
                created_at=BEFORE,
            )
        )
        workshop = Workshop(
            title="Godt ungeliv",
            question="Hvad skal der til?",
            themes=["bolig"],
            code="GODT26",
            opens_at=day(5, 1),
            closes_at=day(5, 30),
            created_at=day(4, 1),
        )
        session.add(workshop)
        session.flush()
        for n in range(6):
            session.add(
                Idea(
                    workshop_id=workshop.id,
                    theme="bolig",
                    text=f"idé {n}",
                    sent_on=date(2026, 5, 2),
                    hidden=n == 5,
                )
            )
        for n, (minutes, escalated) in enumerate(URGENT_ALERTS):
            _alert(session, ids[n], day(6, 1 + n), minutes=minutes, escalated=escalated)
        # Not counted: not urgent, still held, before the period.
        _alert(session, ids[0], day(6, 10), minutes=3 * 24 * 60, urgent=False)
        _alert(session, ids[0], day(6, 11), minutes=None, status=AlertStatus.HELD)
        _alert(session, ids[1], BEFORE, minutes=1000)
        # The other coordinator's, taken after a minute: only in an admin's figures.
        _alert(session, outsider.id, day(6, 12), minutes=1)
        return Known(
            period=PERIOD,
            coordinator_id=coordinator.id,
            expected_rows=[
                ("Ved periodens start", "9"),
                ("Ved periodens slut", "7"),
                ("Nye i perioden", "5"),
                ("Startet på en uddannelse", "5"),
                ("Startet i job", "<5"),
                ("Flyttet", "<5"),
                ("Mentor: startet", "6"),
                ("Mentor: unge der fik tilbuddet", "6"),
                ("FGU: startet", "<5"),
                ("FGU: unge der fik tilbuddet", "<5"),
                ("Praktik: unge der fik tilbuddet", "<5"),
                ("Andel med en langsigtet plan", "71 %"),
                ("Skift af kontaktperson", "6"),
                ("Unge, der fik en ny kontaktperson", "5"),
                ("Invitationer sendt", "13"),
                ("Tjek-ind gennemført inden for 7 dage", "85 %"),
                ("Unge med en måling", "6"),
                ("Første måling, gennemsnit", "50,7"),
                ("Seneste måling, gennemsnit", "58,0"),
                ("Første måling 50 eller derunder", "50 %"),
                ("Seneste måling 50 eller derunder", "17 %"),
                ("Unge med to målinger eller flere", "5"),
                ("Forbedret med 10 point eller mere", "60 %"),
                ("Tro på mig selv, første", "3,0"),
                ("Tro på mig selv, seneste", "3,8"),
                ("Mål, første", "–"),
                ("Den unge kom", "5"),
                ("Kom ikke", "<5"),
                ("Meldte for sent afbud", "<5"),
                ("Ikke registreret endnu", "<5"),
                ("Aflyst", "<5"),
                ("Kan ikke komme", "<5"),
                ("Fik du sagt det, du gerne ville? Antal svar", "5"),
                ("Fik du sagt det, du gerne ville? Ja", "60 %"),
                ("Fik du sagt det, du gerne ville? Lidt", "20 %"),
                ("Fik du sagt det, du gerne ville? Nej", "20 %"),
                ("Var du med til at bestemme? Ja", "100 %"),
                ("Ved du, hvad der skal ske nu? Antal svar", "<5"),
                ("Ved du, hvad der skal ske nu? Ja", "–"),
                ("Frist i perioden", "6"),
                ("Aftaler overholdt", "67 %"),
                ("Aftaler overholdt til tiden", "50 %"),
                ("Godt ungeliv", "5"),
                ("Akutte alarmer", "6"),
                ("Tid til en alarm blev taget, median", "20 min."),
                ("Taget inden for 30 minutter", "50 %"),
                ("Sendt videre til vagten", "<5"),
            ],
        )


def _who5(session, person_id: int, at: datetime, score: int) -> None:
    response = _response(session, person_id, "who5", at, score=score)
    session.add(Answer(response_id=response, item_id="glad", value=score // 20, answered_at=at))
    _invite(session, person_id, at - timedelta(days=1), response)


def _bip(session, person_id: int, at: datetime, tro: int) -> None:
    response = _response(session, person_id, "bip_uddannelse", at, score=None)
    session.add(Answer(response_id=response, item_id="tro", value=tro, answered_at=at))


def _response(
    session, person_id: int, questionnaire: str, at: datetime, *, score: int | None
) -> str:
    response_id = f"{person_id:04d}{questionnaire[:4]}{int(at.timestamp()):024d}"
    session.add(
        QuestionnaireResponse(
            id=response_id,
            young_person_id=person_id,
            questionnaire_id=questionnaire,
            questionnaire_version=1,
            status=ResponseStatus.COMPLETED,
            started_at=at,
            completed_at=at,
            score=score,
        )
    )
    session.flush()
    return response_id


def _invite(session, person_id: int, at: datetime, key: str) -> None:
    session.add(
        Reminder(
            young_person_id=person_id,
            kind="checkin_invite",
            subject="checkin:who5",
            due_at=at,
            latest_at=at + timedelta(hours=6),
            status=ReminderStatus.SENT,
            sent_at=at,
            dedup_key=f"{key}:{person_id}",
        )
    )


def _meeting(
    session,
    person_id: int,
    at: datetime,
    status: str,
    answer: str | None,
    *,
    attendance: str | None = None,
) -> int:
    meeting = Meeting(
        young_person_id=person_id,
        kind="individual",
        starts_at=at,
        place="Her",
        status=status,
        answer=answer,
        attendance=attendance,
        attendance_at=at + timedelta(hours=2) if attendance else None,
        created_at=BEFORE,
    )
    session.add(meeting)
    session.flush()
    return meeting.id


def _alert(
    session,
    person_id: int,
    at: datetime,
    *,
    minutes: int | None,
    escalated: bool = False,
    urgent: bool = True,
    status: str | None = None,
) -> None:
    taken = at + timedelta(minutes=minutes) if minutes is not None else None
    session.add(
        Alert(
            young_person_id=person_id,
            kind="who5_low",
            urgent=urgent,
            created_at=at,
            details={"score": 20},
            status=status or (AlertStatus.ACKNOWLEDGED if taken else AlertStatus.OPEN),
            acknowledged_at=taken,
            escalated_at=at + timedelta(minutes=30) if escalated else None,
        )
    )
