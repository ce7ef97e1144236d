"""What a due reminder says: composed for the dispatcher, which knows nothing of the bot.

None means the reminder is no longer relevant (the meeting was cancelled, the agreement done,
the questionnaire removed), and the dispatcher drops it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.engine import Message
from bot.engine.messages import Button, Reply
from bot.flows import reminders as render
from bot.service.ports import agreement_view, meeting_view
from core.content import Content
from core.locale import format_moment
from domain.outbox import ReminderKind, Subject, SubjectKind
from storage.models import AGREEMENT_RUNNING, Agreement, Meeting, MeetingStatus, Reminder

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
        if meeting is not None and reminder.kind in CHANGES:
            return meeting_change(reminder.kind, meeting, content)
        if meeting is None or meeting.status != MeetingStatus.PLANNED:
            return None
        return render.meeting_reminder(reminder.kind, meeting_view(meeting), content)
    if about.kind == SubjectKind.AGREEMENT and about.number is not None:
        agreement = session.get(Agreement, about.number)
        if agreement is None or agreement.status not in AGREEMENT_RUNNING:
            return None
        return render.agreement_reminder(reminder.kind, agreement_view(agreement), content)
    if about.kind == SubjectKind.CHECKIN and about.ref in content.questionnaires:
        return render.checkin_reminder(reminder.kind, about.ref, content)
    return None


CHANGES = (ReminderKind.MEETING_MOVED, ReminderKind.MEETING_CANCELLED)


def meeting_change(kind: str, meeting: Meeting, content: Content) -> tuple[Message, ...] | None:
    """A moved meeting's new time and place (with the answer buttons), or a cancellation; None
    when the meeting has changed again since (a cancelled meeting is not "moved")."""
    texts = content.reminders
    when = format_moment(meeting.starts_at)
    if kind == ReminderKind.MEETING_CANCELLED:
        if meeting.status != MeetingStatus.CANCELLED:
            return None
        return (Reply(texts.meeting_cancelled.format(when=when)),)
    if meeting.status != MeetingStatus.PLANNED:
        return None
    buttons = (
        (Button(texts.coming_label, f"{render.MEETING}{meeting.id}|coming"),),
        (Button(texts.cannot_come_label, f"{render.MEETING}{meeting.id}|cannot"),),
    )
    return (Reply(texts.meeting_moved.format(when=when, place=meeting.place), buttons),)
