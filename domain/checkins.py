"""Check-in planning: each young person's next invitation and nudge when their cadence comes
round, an alert after too many misses, and a check-in the young person put off."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.outbox import (
    CHECKIN_KINDS,
    OutboxRow,
    ReminderKind,
    Subject,
    enqueue,
    enqueue_many,
    latest_allowed,
)
from domain.reminder_timing import (
    DEFAULT_RULES,
    ReminderRules,
    at_local,
    days_later,
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
    too many misses in a row. Idempotent: run it as often as you like. Returns rows added.

    A pass reads everyone's history in a few grouped queries (it runs every 5 minutes over the
    whole municipality); only a row or alert it actually adds costs statements of its own."""
    people = session.scalars(
        select(YoungPerson)
        .options(
            load_only(
                YoungPerson.id,
                YoungPerson.checkin_plan,
                YoungPerson.preferred_checkin_time,
                YoungPerson.information_accepted_at,
            )
        )
        .where(
            YoungPerson.status == PersonStatus.ACTIVE,
            YoungPerson.information_accepted_at.is_not(None),
        )
        .order_by(YoungPerson.id)
    ).all()
    wanted = [
        (person, questionnaire_id, int(days))
        for person in people
        for questionnaire_id, days in (person.checkin_plan or default_plan).items()
        if questionnaire_id in questionnaires
    ]
    if not wanted:
        return 0
    ids = {questionnaire_id for _, questionnaire_id, _ in wanted}
    completed = _last_completions(session, ids)
    invited = _last_invitations(session, ids, keep=max(rules.missed_checkins_for_alert, 1))
    plans = [
        _plan_checkin(
            person,
            questionnaire_id,
            days,
            completed=completed.get((person.id, questionnaire_id)),
            invitations=invited.get((person.id, str(Subject.checkin(questionnaire_id))), []),
            now=now,
            rules=rules,
        )
        for person, questionnaire_id, days in wanted
    ]
    known_keys = _known_keys(session, ids, since=min(plan.earliest for plan in plans))
    missed = [plan.missed for plan in plans if plan.missed is not None]
    known_alerts = _known_alerts(session, since=min(m[2] for m in missed)) if missed else set()
    new_rows: list[OutboxRow] = []
    for plan in plans:
        if plan.missed is not None:
            _missed_alert(session, *plan.missed, known=known_alerts, now=now)
        new_rows.extend(
            OutboxRow(
                plan.person_id,
                row.kind,
                plan.about,
                row.due_at,
                latest_allowed(row.due_at, rules),
                row.dedup_key,
            )
            for row in plan.rows
            if row.dedup_key not in known_keys
        )
    return enqueue_many(session, new_rows)


@dataclass(frozen=True)
class _Row:
    kind: ReminderKind
    due_at: datetime
    dedup_key: str


@dataclass(frozen=True)
class _Plan:
    """One young person's next check-in of one questionnaire, worked out before any write."""

    person_id: int
    about: Subject
    rows: tuple[_Row, ...]
    earliest: datetime  # no earlier row can carry one of these keys (their local day's start)
    missed: tuple[int, str, datetime] | None  # person, questionnaire, last invitation: alert


def _plan_checkin(
    person: YoungPerson,
    questionnaire_id: str,
    days: int,
    *,
    completed: datetime | None,
    invitations: Sequence[datetime],
    now: datetime,
    rules: ReminderRules,
) -> _Plan:
    """`invitations`: the newest sent or missed invitations, newest first (at least as many as
    it takes to raise an alert)."""
    about = Subject.checkin(questionnaire_id)
    subject = str(about)
    misses = [sent for sent in invitations if completed is None or sent > completed]
    missed = None
    if len(misses) >= rules.missed_checkins_for_alert:
        missed = (person.id, questionnaire_id, misses[0])
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
    nudge_at = days_later(invite_at, rules.checkin_nudge_after_days)
    rows = tuple(
        _Row(kind, out_of_quiet_hours(moment, rules), f"{subject}:{person.id}:{kind}:{due_day}")
        for kind, moment in (
            (ReminderKind.CHECKIN_INVITE, invite_at),
            (ReminderKind.CHECKIN_NUDGE, nudge_at),
        )
    )
    return _Plan(person.id, about, rows, at_local(due_day, time(0)), missed)


def _last_completions(session: Session, ids: Collection[str]) -> dict[tuple[int, str], datetime]:
    """(person, questionnaire) -> when it was last completed."""
    rows = session.execute(
        select(
            QuestionnaireResponse.young_person_id,
            QuestionnaireResponse.questionnaire_id,
            func.max(QuestionnaireResponse.completed_at),
        )
        .where(
            QuestionnaireResponse.questionnaire_id.in_(ids),
            QuestionnaireResponse.status == ResponseStatus.COMPLETED,
        )
        .group_by(QuestionnaireResponse.young_person_id, QuestionnaireResponse.questionnaire_id)
    )
    return {(person, questionnaire): last for person, questionnaire, last in rows if last}


def _last_invitations(
    session: Session, ids: Collection[str], *, keep: int
) -> dict[tuple[int, str], list[datetime]]:
    """(person, subject) -> the `keep` newest sent or missed invitations, newest first."""
    newest = (
        select(
            Reminder.young_person_id,
            Reminder.subject,
            Reminder.due_at,
            func.row_number()
            .over(
                partition_by=(Reminder.young_person_id, Reminder.subject),
                order_by=Reminder.due_at.desc(),
            )
            .label("place"),
        )
        .where(
            Reminder.subject.in_([str(Subject.checkin(i)) for i in ids]),
            Reminder.kind == ReminderKind.CHECKIN_INVITE,
            Reminder.status.in_([ReminderStatus.SENT, ReminderStatus.MISSED]),
        )
        .subquery()
    )
    found: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for person, subject, due_at in session.execute(
        select(newest.c.young_person_id, newest.c.subject, newest.c.due_at)
        .where(newest.c.place <= keep)
        .order_by(newest.c.young_person_id, newest.c.subject, newest.c.due_at.desc())
    ):
        found[(person, subject)].append(due_at)
    return found


def _known_keys(session: Session, ids: Collection[str], *, since: datetime) -> set[str]:
    """The keys of the invitations and nudges due from `since` on. A planned key missing here
    is still skipped if it exists (`enqueue_many`), so this only saves work, never decides."""
    return set(
        session.scalars(
            select(Reminder.dedup_key).where(
                Reminder.subject.in_([str(Subject.checkin(i)) for i in ids]),
                Reminder.kind.in_((ReminderKind.CHECKIN_INVITE, ReminderKind.CHECKIN_NUDGE)),
                Reminder.due_at >= since,
            )
        )
    )


def _known_alerts(session: Session, *, since: datetime) -> set[tuple[int, str]]:
    """(person, key) of the missed-check-in alerts raised from `since` on (one raised earlier
    is still looked for on its own in `_missed_alert`)."""
    return {
        (alert.young_person_id, str(alert.details.get("key")))
        for alert in session.scalars(
            select(Alert).where(Alert.kind == AlertKind.MISSED_CHECKINS, Alert.created_at >= since)
        )
    }


def _missed_alert(
    session: Session,
    person_id: int,
    questionnaire_id: str,
    last_invite: datetime,
    *,
    known: set[tuple[int, str]],
    now: datetime,
) -> None:
    key = f"missed:{questionnaire_id}:{last_invite.isoformat()}"
    if (person_id, key) in known:
        return
    exists = session.scalars(
        select(Alert).where(
            Alert.young_person_id == person_id, Alert.kind == AlertKind.MISSED_CHECKINS
        )
    ).all()
    if any(alert.details.get("key") == key for alert in exists):
        return
    details = {"key": key, "questionnaire": questionnaire_id}
    raise_alert(session, person_id, AlertKind.MISSED_CHECKINS, now=now, details=details)


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
