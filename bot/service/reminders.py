"""What a due reminder says: composed for the dispatcher, which knows nothing of the bot.

None means the reminder is no longer relevant (the meeting was cancelled, the agreement done,
the questionnaire removed), and the dispatcher drops it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.engine import Message
from bot.flows import reminders as render
from bot.service.ports import agreement_view, meeting_view
from core.content import Content
from domain.outbox import ReminderKind, Subject, SubjectKind
from storage.models import Agreement, AgreementStatus, Meeting, MeetingStatus, Reminder

Compose = Callable[[Session, Reminder], tuple[Message, ...] | None]


def reminder_composer(content: Content) -> Compose:
    def compose(session: Session, reminder: Reminder) -> tuple[Message, ...] | None:
        return compose_reminder(session, reminder, content)

    return compose


def compose_reminder(
    session: Session, reminder: Reminder, content: Content
) -> tuple[Message, ...] | None:
    about = Subject.parse(reminder.subject)
    if reminder.kind == ReminderKind.COORDINATOR_REPLY and reminder.body:
        # A reply is relayed even if the meeting has since been cancelled.
        return render.coordinator_reply(reminder.body, content)
    if reminder.kind == ReminderKind.WORKSHOP_OUTCOME:
        return render.workshop_outcome(reminder.body) if reminder.body else None
    if about is None:
        return None
    if about.kind == SubjectKind.MEETING and about.number is not None:
        meeting = session.get(Meeting, about.number)
        if meeting is None or meeting.status != MeetingStatus.PLANNED:
            return None
        return render.meeting_reminder(reminder.kind, meeting_view(meeting), content)
    if about.kind == SubjectKind.AGREEMENT and about.number is not None:
        agreement = session.get(Agreement, about.number)
        if agreement is None or agreement.status in (
            AgreementStatus.DONE,
            AgreementStatus.CANCELLED,
        ):
            return None
        return render.agreement_reminder(reminder.kind, agreement_view(agreement), content)
    if about.kind == SubjectKind.CHECKIN and about.ref in content.questionnaires:
        return render.checkin_reminder(reminder.kind, about.ref, content)
    return None
