"""Meetings: create, move and cancel them, with their reminders planned in the same
transaction; the young person's topics on the agenda; the coordinator's reply to "can't come";
after the meeting, whether the young person came.

Moving (a new time or place) or cancelling a meeting queues exactly one short message to the
young person (`change_message`): pending reminders of the old time are cancelled in the same
transaction, and an earlier change message not sent yet is replaced, so two quick moves send one
message with the latest time. The message keeps quiet hours; one that cannot go out before the
meeting (the new time, or for a cancellation the old time) is recorded as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.alerts.handling import resolve_cannot_come
from domain.errors import PlanningError
from domain.outbox import ReminderKind, Row, Subject, enqueue, latest_allowed, replace_reminders
from domain.reminder_timing import (
    DEFAULT_RULES,
    ReminderRules,
    meeting_times,
    out_of_quiet_hours,
    plan,
)
from storage.models import (
    Meeting,
    MeetingAttendance,
    MeetingKind,
    MeetingStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    YoungPerson,
)

FEEDBACK_AFTER = timedelta(hours=2)


@dataclass(frozen=True, kw_only=True)
class MeetingDetails:
    kind: MeetingKind
    starts_at: datetime
    place: str
    participants: str = ""
    agenda: str = ""


def create_meeting(
    session: Session,
    person_id: int,
    details: MeetingDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Meeting:
    if session.get(YoungPerson, person_id) is None:
        raise PlanningError(f"no young person {person_id}")
    meeting = Meeting(young_person_id=person_id, created_at=now, status=MeetingStatus.PLANNED)
    _fill_meeting(meeting, details, now=now)
    session.add(meeting)
    session.flush()
    if meeting.kind == MeetingKind.INDIVIDUAL:
        _collect_topics(session, meeting)
    _plan_meeting(session, meeting, now=now, rules=rules)
    return meeting


def update_meeting(
    session: Session,
    meeting_id: int,
    details: MeetingDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Meeting:
    meeting = _meeting(session, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise PlanningError("the meeting was cancelled")
    moved = meeting.starts_at != details.starts_at
    new_place = meeting.place != details.place.strip()
    _fill_meeting(meeting, details, now=now)
    if moved:  # the young person's earlier answer was about the old time
        meeting.answer = meeting.answer_reason = meeting.answered_at = None
    _plan_meeting(session, meeting, now=now, rules=rules)
    if moved or new_place:
        change_message(session, meeting, ReminderKind.MEETING_MOVED, now=now, rules=rules)
    return meeting


def cancel_meeting(
    session: Session, meeting_id: int, *, now: datetime, rules: ReminderRules = DEFAULT_RULES
) -> Meeting:
    """Cancel a planned meeting: its reminders stop, and the young person is told once (if the
    meeting is still ahead). Cancelling twice changes nothing."""
    meeting = _meeting(session, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    replace_reminders(session, meeting.young_person_id, Subject.meeting(meeting.id), [], now=now)
    if meeting.starts_at > now:
        change_message(session, meeting, ReminderKind.MEETING_CANCELLED, now=now, rules=rules)
    return meeting


def change_message(
    session: Session,
    meeting: Meeting,
    kind: ReminderKind,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Reminder:
    """Queue the one message that tells of a moved or cancelled meeting (see module doc).

    Called after the meeting's reminders were replaced, so no pending row of the old time is
    left; an unsent change message of this meeting is cancelled here. What it says is composed
    when it is sent, from the meeting as it is then."""
    subject = str(Subject.meeting(meeting.id))
    for stale in session.scalars(
        select(Reminder).where(
            Reminder.young_person_id == meeting.young_person_id,  # its index (see outbox.py)
            Reminder.subject == subject,
            Reminder.kind.in_([ReminderKind.MEETING_MOVED, ReminderKind.MEETING_CANCELLED]),
            Reminder.status == ReminderStatus.PENDING,
        )
    ):
        stale.status = ReminderStatus.CANCELLED
    due = out_of_quiet_hours(now, rules)
    reminder = Reminder(
        young_person_id=meeting.young_person_id,
        kind=kind,
        subject=subject,
        due_at=due,
        latest_at=meeting.starts_at,
        dedup_key=f"{subject}:{kind}:{now.isoformat()}",
        attempts=0,
        status=ReminderStatus.PENDING,
    )
    if due >= meeting.starts_at:
        reminder.status = ReminderStatus.SKIPPED
        reminder.last_error = "quiet hours: the next allowed time is after the meeting"
    session.add(reminder)
    session.flush()
    return reminder


def record_attendance(
    session: Session,
    meeting_id: int,
    attendance: MeetingAttendance,
    *,
    staff_id: int | None,
    now: datetime,
) -> Meeting:
    """After the meeting began, the coordinator records whether the young person came
    (attended, no show, cancelled late). It can be corrected; a cancelled meeting takes none."""
    meeting = _meeting(session, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise PlanningError("the meeting was cancelled")
    if meeting.starts_at > now:
        raise PlanningError("the meeting has not begun yet")
    meeting.attendance = MeetingAttendance(attendance)
    meeting.attendance_at = now
    meeting.attendance_by = staff_id
    return meeting


def _fill_meeting(meeting: Meeting, details: MeetingDetails, *, now: datetime) -> None:
    if details.starts_at <= now:
        raise PlanningError("a meeting must be in the future")
    if not details.place.strip():
        raise PlanningError("a meeting needs a place")
    meeting.kind = MeetingKind(details.kind)
    meeting.starts_at = details.starts_at
    meeting.place = details.place.strip()
    meeting.participants = details.participants.strip()
    meeting.agenda = details.agenda.strip()


def _plan_meeting(
    session: Session, meeting: Meeting, *, now: datetime, rules: ReminderRules
) -> None:
    starts = meeting.starts_at
    # Reminders must arrive before the meeting starts.
    rows: list[Row] = [
        (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules, before=starts))
        for item in plan(meeting_times(starts, rules), now=now, event_at=starts, rules=rules)
    ]
    if meeting.kind == MeetingKind.NETWORK:
        # Three feedback questions once the network meeting is over.
        after = {ReminderKind.MEETING_FEEDBACK: starts + FEEDBACK_AFTER}
        rows += [
            (item.kind, item.due_at, item.wanted_at, latest_allowed(item.due_at, rules))
            for item in plan(after, now=now, event_at=None, rules=rules)
        ]
    replace_reminders(session, meeting.young_person_id, Subject.meeting(meeting.id), rows, now=now)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise PlanningError(f"no meeting {meeting_id}")
    return meeting


def _collect_topics(session: Session, meeting: Meeting) -> None:
    """Put the young person's "talk about next time" topics on the new meeting's agenda.

    Only individual meetings: the young person was told their answers are for them and their
    contact person, and a network meeting has other people at the table.
    """
    topics = session.scalars(
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.young_person_id == meeting.young_person_id,
            QuestionnaireResponse.talk_next_time.is_not(None),
            QuestionnaireResponse.talk_meeting_id.is_(None),
        )
        .order_by(QuestionnaireResponse.started_at)
    ).all()
    for response in topics:
        add_topic(meeting, response)


def add_topic(meeting: Meeting, response: QuestionnaireResponse) -> None:
    add_agenda_line(meeting, response.talk_next_time or "")
    response.talk_meeting_id = meeting.id


def add_agenda_line(meeting: Meeting, topic: str) -> None:
    line = f"Den unge vil gerne tale om: {topic}"
    meeting.agenda = f"{meeting.agenda}\n{line}".strip()


def relay_coordinator_reply(
    session: Session, meeting_id: int, text: str, *, now: datetime, staff_id: int | None = None
) -> Reminder:
    """Send the coordinator's answer to a "can't come" to the young person, through the outbox.

    Sending it resolves the meeting's open "can't come" alert, with the answer as its note
    (domain.alerts.handling.resolve_cannot_come), when a staff member sends it."""
    meeting = _meeting(session, meeting_id)
    if not text.strip():
        raise PlanningError("the reply is empty")
    reply = enqueue(
        session,
        meeting.young_person_id,
        kind=ReminderKind.COORDINATOR_REPLY,
        subject=Subject.meeting(meeting.id),
        due_at=now,
        latest_at=now + timedelta(days=1),
        body=text.strip(),
        dedup_key=f"reply:{meeting.id}:{now.isoformat()}:{staff_id or 0}",
    )
    if reply is None:
        raise PlanningError("this reply was already sent")
    if staff_id is not None:
        resolve_cannot_come(
            session,
            person_id=meeting.young_person_id,
            meeting_id=meeting.id,
            staff_id=staff_id,
            note=text.strip(),
            now=now,
        )
    return reply


def next_meeting(session: Session, person_id: int, *, now: datetime) -> Meeting | None:
    return session.scalars(
        select(Meeting)
        .where(
            Meeting.young_person_id == person_id,
            Meeting.kind == MeetingKind.INDIVIDUAL,
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.starts_at > now,
        )
        .order_by(Meeting.starts_at)
    ).first()
