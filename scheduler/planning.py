"""Service functions that change meetings and agreements, and (re)plan their reminders in the
same transaction; and the check-in planner. The dashboard builds its forms on these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from scheduler.rules import (
    DEFAULT_RULES,
    ReminderRules,
    agreement_times,
    at_local,
    local_date,
    meeting_times,
    out_of_quiet_hours,
    plan,
)
from storage.models import (
    Agreement,
    AgreementStatus,
    Alert,
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

DEFAULT_PLAN = {"who5": 30, "bip_uddannelse": 91}
FEEDBACK_AFTER = timedelta(hours=2)


Row = tuple[str, datetime | None, datetime, datetime]  # kind, due (None: skipped), wanted, latest


class PlanningError(ValueError):
    """A meeting or agreement that cannot be planned (unknown id, a time in the past, ...)."""


@dataclass(frozen=True, kw_only=True)
class MeetingDetails:
    kind: MeetingKind
    starts_at: datetime
    place: str
    participants: str = ""
    agenda: str = ""


@dataclass(frozen=True, kw_only=True)
class AgreementDetails:
    goal: str
    action: str
    responsible: str
    deadline: date


# --- meetings -------------------------------------------------------------------------------


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
    moved = meeting.starts_at != details.starts_at
    _fill_meeting(meeting, details, now=now)
    if moved:  # the young person's earlier answer was about the old time
        meeting.answer = meeting.answer_reason = meeting.answered_at = None
    _plan_meeting(session, meeting, now=now, rules=rules)
    return meeting


def cancel_meeting(session: Session, meeting_id: int, *, now: datetime) -> Meeting:
    meeting = _meeting(session, meeting_id)
    meeting.status = MeetingStatus.CANCELLED
    _replace_reminders(session, meeting.young_person_id, f"meeting:{meeting.id}", [], now=now)
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
        (item.kind, item.due_at, item.wanted_at, _latest(item.due_at, rules, before=starts))
        for item in plan(meeting_times(starts, rules), now=now, event_at=starts, rules=rules)
    ]
    if meeting.kind == MeetingKind.NETWORK:
        # Three feedback questions once the network meeting is over.
        after = {"meeting_feedback": starts + FEEDBACK_AFTER}
        rows += [
            (item.kind, item.due_at, item.wanted_at, _latest(item.due_at, rules))
            for item in plan(after, now=now, event_at=None, rules=rules)
        ]
    _replace_reminders(session, meeting.young_person_id, f"meeting:{meeting.id}", rows, now=now)


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
    """Send the coordinator's answer to a "can't come" to the young person, through the outbox."""
    meeting = _meeting(session, meeting_id)
    if not text.strip():
        raise PlanningError("the reply is empty")
    reply = enqueue(
        session,
        meeting.young_person_id,
        kind="coordinator_reply",
        subject=f"meeting:{meeting.id}",
        due_at=now,
        latest_at=now + timedelta(days=1),
        body=text.strip(),
        dedup_key=f"reply:{meeting.id}:{now.isoformat()}:{staff_id or 0}",
    )
    if reply is None:
        raise PlanningError("this reply was already sent")
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


# --- agreements -----------------------------------------------------------------------------


def create_agreement(
    session: Session,
    person_id: int,
    details: AgreementDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Agreement:
    if session.get(YoungPerson, person_id) is None:
        raise PlanningError(f"no young person {person_id}")
    agreement = Agreement(young_person_id=person_id, created_at=now, status=AgreementStatus.OPEN)
    _fill_agreement(agreement, details, now=now)
    session.add(agreement)
    session.flush()
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def update_agreement(
    session: Session,
    agreement_id: int,
    details: AgreementDetails,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> Agreement:
    agreement = _agreement(session, agreement_id)
    _fill_agreement(agreement, details, now=now)
    _plan_agreement(session, agreement, now=now, rules=rules)
    return agreement


def cancel_agreement(session: Session, agreement_id: int, *, now: datetime) -> Agreement:
    agreement = _agreement(session, agreement_id)
    agreement.status = AgreementStatus.CANCELLED
    _replace_reminders(session, agreement.young_person_id, f"agreement:{agreement.id}", [], now=now)
    return agreement


def _fill_agreement(agreement: Agreement, details: AgreementDetails, *, now: datetime) -> None:
    if details.deadline < local_date(now):
        raise PlanningError("the deadline has passed")
    for name in ("goal", "action", "responsible"):
        if not getattr(details, name).strip():
            raise PlanningError(f"an agreement needs a {name}")
    agreement.goal = details.goal.strip()
    agreement.action = details.action.strip()
    agreement.responsible = details.responsible.strip()
    agreement.deadline = details.deadline


def _plan_agreement(
    session: Session, agreement: Agreement, *, now: datetime, rules: ReminderRules
) -> None:
    planned = plan(agreement_times(agreement.deadline, rules), now=now, event_at=None, rules=rules)
    rows = [
        (item.kind, item.due_at, item.wanted_at, _latest(item.due_at, rules)) for item in planned
    ]
    _replace_reminders(
        session, agreement.young_person_id, f"agreement:{agreement.id}", rows, now=now
    )


def _agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise PlanningError(f"no agreement {agreement_id}")
    return agreement


# --- the outbox -----------------------------------------------------------------------------


def _latest(
    due: datetime | None, rules: ReminderRules, *, before: datetime | None = None
) -> datetime:
    """The last moment a reminder may still go out: within the grace window, before the event."""
    if due is None:
        return before or datetime.max.replace(tzinfo=UTC)
    latest = due + rules.grace
    return min(latest, before) if before is not None else latest


def _replace_reminders(
    session: Session, person_id: int, subject: str, rows: list[Row], *, now: datetime
) -> None:
    """Make the pending reminders of `subject` exactly `rows`: stale ones are cancelled."""
    keys: set[str] = set()
    for kind, due, wanted, latest in rows:
        key = f"{subject}:{kind}:{wanted.isoformat()}"
        keys.add(key)
        existing = session.scalars(select(Reminder).where(Reminder.dedup_key == key)).first()
        if existing is not None:
            if existing.status == ReminderStatus.CANCELLED:
                existing.status = ReminderStatus.PENDING if due else ReminderStatus.SKIPPED
            continue
        session.add(
            Reminder(
                young_person_id=person_id,
                kind=kind,
                subject=subject,
                due_at=due or wanted,
                latest_at=latest,
                dedup_key=key,
                attempts=0,
                status=ReminderStatus.PENDING if due else ReminderStatus.SKIPPED,
                last_error=None if due else "quiet hours: the next allowed time is after the event",
            )
        )
    for stale in session.scalars(
        select(Reminder).where(
            Reminder.subject == subject, Reminder.status == ReminderStatus.PENDING
        )
    ):
        if stale.dedup_key not in keys:
            stale.status = ReminderStatus.CANCELLED
    session.flush()


def enqueue(
    session: Session,
    person_id: int,
    *,
    kind: str,
    subject: str,
    due_at: datetime,
    latest_at: datetime,
    dedup_key: str,
    body: str | None = None,
) -> Reminder | None:
    """Add one outbox row unless its key exists. Returns the new row, or None."""
    if session.scalars(select(Reminder).where(Reminder.dedup_key == dedup_key)).first():
        return None
    reminder = Reminder(
        young_person_id=person_id,
        kind=kind,
        subject=subject,
        due_at=due_at,
        latest_at=latest_at,
        dedup_key=dedup_key,
        body=body,
        attempts=0,
        status=ReminderStatus.PENDING,
    )
    session.add(reminder)
    session.flush()
    return reminder


# --- check-ins ------------------------------------------------------------------------------


def plan_checkins(
    session: Session,
    *,
    now: datetime,
    questionnaires: set[str],
    rules: ReminderRules = DEFAULT_RULES,
) -> int:
    """Plan each active young person's next check-in invitation and nudge; raise an alert after
    too many misses in a row. Idempotent: run it as often as you like. Returns rows added."""
    added = 0
    people = session.scalars(
        select(YoungPerson).where(
            YoungPerson.status == PersonStatus.ACTIVE,
            YoungPerson.information_accepted_at.is_not(None),
        )
    ).all()
    for person in people:
        plan_for = person.checkin_plan or DEFAULT_PLAN
        for questionnaire_id, days in plan_for.items():
            if questionnaire_id not in questionnaires:
                continue
            added += _plan_checkin(
                session, person, questionnaire_id, int(days), now=now, rules=rules
            )
    return added


def _plan_checkin(
    session: Session,
    person: YoungPerson,
    questionnaire_id: str,
    days: int,
    *,
    now: datetime,
    rules: ReminderRules,
) -> int:
    subject = f"checkin:{questionnaire_id}"
    completed = session.scalar(
        select(func.max(QuestionnaireResponse.completed_at)).where(
            QuestionnaireResponse.young_person_id == person.id,
            QuestionnaireResponse.questionnaire_id == questionnaire_id,
            QuestionnaireResponse.status == ResponseStatus.COMPLETED,
        )
    )
    invitations = session.scalars(
        select(Reminder.due_at)
        .where(
            Reminder.young_person_id == person.id,
            Reminder.subject == subject,
            Reminder.kind == "checkin_invite",
            Reminder.status.in_([ReminderStatus.SENT, ReminderStatus.MISSED]),
        )
        .order_by(Reminder.due_at.desc())
    ).all()
    misses = [sent for sent in invitations if completed is None or sent > completed]
    if len(misses) >= rules.missed_checkins_for_alert:
        _missed_alert(session, person, questionnaire_id, misses[0], now=now)
    assert person.information_accepted_at is not None  # noqa: S101 - selected so
    # A new cycle starts at the latest of: joining, the last completion, the last invitation.
    reference = max(
        [person.information_accepted_at, *([completed] if completed else []), *invitations[:1]]
    )
    due_day = local_date(reference) + timedelta(days=days)
    wall = person.preferred_checkin_time or rules.checkin_default_at
    invite_at = at_local(due_day, wall)
    if invite_at < now - rules.grace:
        # Long overdue (for example after downtime): invite at the next allowed time from now.
        due_day = local_date(now)
        invite_at = max(at_local(due_day, wall), now)
    added = 0
    nudge_at = invite_at + rules.checkin_nudge_after
    for kind, moment in (("checkin_invite", invite_at), ("checkin_nudge", nudge_at)):
        due = out_of_quiet_hours(moment, rules)
        key = f"{subject}:{person.id}:{kind}:{due_day.isoformat()}"
        if enqueue(
            session,
            person.id,
            kind=kind,
            subject=subject,
            due_at=due,
            latest_at=_latest(due, rules),
            dedup_key=key,
        ):
            added += 1
    return added


def _missed_alert(
    session: Session,
    person: YoungPerson,
    questionnaire_id: str,
    last_invite: datetime,
    *,
    now: datetime,
) -> None:
    key = f"missed:{questionnaire_id}:{last_invite.isoformat()}"
    exists = session.scalars(
        select(Alert).where(
            Alert.young_person_id == person.id, Alert.kind == AlertKind.MISSED_CHECKINS
        )
    ).all()
    if any(alert.details.get("key") == key for alert in exists):
        return
    details = {"key": key, "questionnaire": questionnaire_id}
    raise_alert(session, person.id, AlertKind.MISSED_CHECKINS, now=now, details=details)


# --- a check-in put off by the young person -------------------------------------------------

CHECKIN_KINDS = ("checkin_invite", "checkin_nudge", "checkin_later")
# How long a check-in invitation counts as open ("can we do it tomorrow?" refers to it).
INVITATION_OPEN_FOR = timedelta(days=7)


def open_invitation(session: Session, person_id: int, *, now: datetime) -> str | None:
    """The questionnaire of the newest check-in reminder sent in the last week that has not been
    answered since, or None."""
    sent = session.execute(
        select(Reminder.subject, Reminder.sent_at)
        .where(
            Reminder.young_person_id == person_id,
            Reminder.kind.in_(CHECKIN_KINDS),
            Reminder.status == ReminderStatus.SENT,
            Reminder.sent_at >= now - INVITATION_OPEN_FOR,
        )
        .order_by(Reminder.sent_at.desc())
        .limit(1)
    ).first()
    if sent is None or sent.sent_at is None:
        return None
    questionnaire_id = sent.subject.removeprefix("checkin:")
    answered = session.scalar(
        select(func.count())
        .select_from(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.young_person_id == person_id,
            QuestionnaireResponse.questionnaire_id == questionnaire_id,
            QuestionnaireResponse.status == ResponseStatus.COMPLETED,
            QuestionnaireResponse.completed_at >= sent.sent_at,
        )
    )
    return None if answered else questionnaire_id


def postpone_checkin(
    session: Session,
    person_id: int,
    questionnaire_id: str,
    until: datetime,
    *,
    now: datetime,
    rules: ReminderRules = DEFAULT_RULES,
) -> None:
    """Remind again at `until`, instead of the nudge: the young person already said when.
    A newer "later" replaces an older one."""
    subject = f"checkin:{questionnaire_id}"
    due = max(out_of_quiet_hours(until, rules), now)
    key = f"{subject}:{person_id}:later:{due.isoformat()}"
    for pending in session.scalars(
        select(Reminder).where(
            Reminder.young_person_id == person_id,
            Reminder.subject == subject,
            Reminder.status == ReminderStatus.PENDING,
            Reminder.kind.in_(("checkin_nudge", "checkin_later")),
        )
    ):
        if pending.dedup_key != key:
            pending.status = ReminderStatus.CANCELLED
    same = session.scalars(select(Reminder).where(Reminder.dedup_key == key)).first()
    if same is not None:
        if same.status == ReminderStatus.CANCELLED:
            same.status = ReminderStatus.PENDING  # put off to the same moment as before
        return
    enqueue(
        session,
        person_id,
        kind="checkin_later",
        subject=subject,
        due_at=due,
        latest_at=_latest(due, rules),
        dedup_key=key,
    )
