"""Check-in planning: each young person's next invitation and nudge when their cadence comes
round, an alert after too many misses, and a check-in the young person put off."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.outbox import CHECKIN_KINDS, ReminderKind, Subject, enqueue, latest_allowed
from domain.reminder_timing import (
    DEFAULT_RULES,
    ReminderRules,
    at_local,
    local_date,
    out_of_quiet_hours,
)
from storage.models import (
    Alert,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)


def plan_checkins(
    session: Session,
    *,
    now: datetime,
    questionnaires: Collection[str],
    default_plan: Mapping[str, int],
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
        plan_for = person.checkin_plan or default_plan
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
    about = Subject.checkin(questionnaire_id)
    subject = str(about)
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
            Reminder.kind == ReminderKind.CHECKIN_INVITE,
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
    for kind, moment in (
        (ReminderKind.CHECKIN_INVITE, invite_at),
        (ReminderKind.CHECKIN_NUDGE, nudge_at),
    ):
        due = out_of_quiet_hours(moment, rules)
        key = f"{subject}:{person.id}:{kind}:{due_day.isoformat()}"
        if enqueue(
            session,
            person.id,
            kind=kind,
            subject=about,
            due_at=due,
            latest_at=latest_allowed(due, rules),
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
    about = Subject.parse(sent.subject)
    if about is None:
        return None
    questionnaire_id = about.ref
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
    about = Subject.checkin(questionnaire_id)
    subject = str(about)
    due = max(out_of_quiet_hours(until, rules), now)
    key = f"{subject}:{person_id}:later:{due.isoformat()}"
    for pending in session.scalars(
        select(Reminder).where(
            Reminder.young_person_id == person_id,
            Reminder.subject == subject,
            Reminder.status == ReminderStatus.PENDING,
            Reminder.kind.in_((ReminderKind.CHECKIN_NUDGE, ReminderKind.CHECKIN_LATER)),
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
        kind=ReminderKind.CHECKIN_LATER,
        subject=about,
        due_at=due,
        latest_at=latest_allowed(due, rules),
        dedup_key=key,
    )
