"""Which reminder's yes/no question a typed "ja" or "nej" answers (the `reminder_question`
port): the newest reminder with such a question sent in the last hours, while its subject is
still unanswered. The buttons' data is made here exactly as bot/flows/reminders.py makes it,
so the typed answer takes the path of the press, with all its checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.engine import ReminderQuestion
from domain.checkins import open_invitation
from domain.outbox import CHECKIN_KINDS, ReminderKind, Subject
from storage.models import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingFeedback,
    MeetingStatus,
    Reminder,
    ReminderStatus,
)

# After this long, "ja" is no longer taken as the answer to a reminder.
ANSWERS_FOR = timedelta(hours=12)
_ASKING = (
    ReminderKind.MEETING_FEEDBACK,
    ReminderKind.MEETING_DAY_BEFORE,
    ReminderKind.MEETING_SOON,
    ReminderKind.AGREEMENT_FOLLOWUP,
    *CHECKIN_KINDS,
)


def reminder_question(
    session: Session, person_id: int, *, now: datetime
) -> ReminderQuestion | None:
    reminder = session.scalars(
        select(Reminder)
        .where(
            Reminder.young_person_id == person_id,
            Reminder.kind.in_(_ASKING),
            Reminder.status == ReminderStatus.SENT,
            Reminder.sent_at >= now - ANSWERS_FOR,
        )
        .order_by(Reminder.sent_at.desc(), Reminder.id.desc())
        .limit(1)
    ).first()
    about = Subject.parse(reminder.subject) if reminder is not None else None
    if reminder is None or about is None:
        return None
    if reminder.kind in CHECKIN_KINDS:
        waiting = open_invitation(session, person_id, now=now)
        return ReminderQuestion(f"q|{waiting}|now") if waiting == about.ref else None
    number = about.number
    if number is None:
        return None
    if reminder.kind == ReminderKind.AGREEMENT_FOLLOWUP:
        agreement = session.get(Agreement, number)
        if agreement is None or agreement.young_person_id != person_id:
            return None
        if agreement.status != AgreementStatus.OPEN:
            return None
        return ReminderQuestion(f"g|{number}|done", f"g|{number}|not_yet")
    meeting = session.get(Meeting, number)
    if meeting is None or meeting.young_person_id != person_id:
        return None
    if reminder.kind == ReminderKind.MEETING_FEEDBACK:
        if session.get(MeetingFeedback, number) is not None:
            return None  # the first question is answered; the rest are asked in the chat
        return ReminderQuestion(f"f|{number}|0|3", f"f|{number}|0|1")
    if meeting.status != MeetingStatus.PLANNED or meeting.answer is not None:
        return None
    if meeting.starts_at <= now:
        return None
    return ReminderQuestion(f"m|{number}|coming", f"m|{number}|cannot")
