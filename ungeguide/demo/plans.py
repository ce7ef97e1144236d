"""A demo year's meetings (with answers and feedback) and agreements."""

from __future__ import annotations

from datetime import timedelta

from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from storage.models import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingAnswer,
    MeetingFeedback,
    MeetingKind,
    MeetingStatus,
)
from ungeguide.demo.cast import (
    AGENDAS,
    AGREEMENTS,
    CANNOT_COME_REASONS,
    NETWORK_PARTICIPANTS,
    PLACES,
)
from ungeguide.demo.year import Year


def meetings(year: Year, first: int, stop: int, *, upcoming: bool) -> None:
    rng = year.rng
    day = first - rng.randint(3, 10)
    while day > stop:
        meeting = add_meeting(year, day, network=rng.random() < 0.3)
        if rng.random() < 0.1:
            meeting.status = MeetingStatus.CANCELLED
        elif meeting.kind == MeetingKind.NETWORK and rng.random() < 0.8:
            feedback = MeetingFeedback(
                meeting_id=meeting.id,
                heard=rng.randint(2, 3),
                part_of_decisions=rng.randint(1, 3),
                knows_next=rng.randint(1, 3),
                answered_at=meeting.starts_at + timedelta(hours=2),
            )
            year.session.add(feedback)
        day -= rng.randint(35, 50)
    for ahead in (rng.randint(2, 12), rng.randint(20, 35)) if upcoming else ():
        meeting = add_meeting(year, -ahead, network=ahead > 15)
        meeting.created_at = year.at(rng.randint(3, 20))
        answer = rng.choices((MeetingAnswer.COMING, MeetingAnswer.CANNOT_COME, None), (6, 2, 2))
        if answer[0] is not None:
            meeting.answer = answer[0]
            meeting.answered_at = year.now - timedelta(hours=rng.randint(1, 40))
        if answer[0] == MeetingAnswer.CANNOT_COME and meeting.answered_at is not None:
            meeting.answer_reason = rng.choice(CANNOT_COME_REASONS)
            year.alert("cannot_come", meeting.answered_at, {"meeting_id": meeting.id})


def add_meeting(year: Year, day: int, *, network: bool) -> Meeting:
    """A meeting `day` days ago (after now if negative). An upcoming one is planned through the
    domain service, as the dashboard plans it (its reminders, the young person's topics on the
    agenda); the service refuses the past, so a past one is written as it was stored."""
    rng, name = year.rng, year.coordinator.display_name
    starts = year.at(day)
    details = MeetingDetails(
        kind=MeetingKind.NETWORK if network else MeetingKind.INDIVIDUAL,
        starts_at=starts,
        place=rng.choice(PLACES),
        participants=f"{name}, {rng.choice(NETWORK_PARTICIPANTS)}" if network else name,
        agenda=rng.choice(AGENDAS),
    )
    created = starts - timedelta(days=rng.randint(7, 21))
    if starts > year.now:
        meeting = create_meeting(year.session, year.person_id, details, now=min(created, year.now))
        meeting.created_at = created
        return meeting
    meeting = Meeting(
        young_person_id=year.person_id,
        kind=details.kind,
        starts_at=starts,
        place=details.place,
        participants=details.participants,
        agenda=details.agenda,
        status=MeetingStatus.PLANNED,
        created_at=created,
    )
    year.session.add(meeting)
    year.session.flush()
    return meeting


def agreements(year: Year, first: int, stop: int, *, ended: bool) -> None:
    """Two older agreements (done or not yet) and two recent ones (open, some overdue)."""
    rng = year.rng
    for n, (goal, action, responsible) in enumerate(rng.sample(AGREEMENTS, 4)):
        back = rng.randint(stop + 60, first - 5) if n < 2 else rng.randint(stop + 5, stop + 50)
        created = year.at(back)
        deadline = created + timedelta(days=rng.randint(14, 60))
        details = AgreementDetails(
            goal=goal,
            action=action,
            responsible=responsible.format(coordinator=year.coordinator.display_name),
            deadline=deadline.date(),
        )
        if deadline >= year.now and not ended:
            # Still open and ahead: planned through the domain service, with its reminders.
            agreement = create_agreement(year.session, year.person_id, details, now=year.now)
            agreement.created_at = created
        else:
            agreement = Agreement(
                young_person_id=year.person_id,
                goal=details.goal,
                action=details.action,
                responsible=details.responsible,
                deadline=details.deadline,
                status=AgreementStatus.OPEN,
                created_at=created,
            )
            if ended and deadline >= year.now:
                agreement.status = AgreementStatus.CANCELLED
            elif deadline < year.now - timedelta(days=1) and (n < 2 or ended):
                done = rng.random() < 0.75
                agreement.status = AgreementStatus.DONE if done else AgreementStatus.NOT_YET
                agreement.done_at = deadline - timedelta(days=rng.randint(0, 10)) if done else None
            year.session.add(agreement)
            year.session.flush()
        if agreement.status == AgreementStatus.OPEN and rng.random() < 0.1:
            at = year.at(stop + rng.randint(0, 3))
            year.alert("agreement_help", at, {"agreement_id": agreement.id})
