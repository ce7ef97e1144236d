"""The key-figure report (nøgletalsrapport): what the work came to in a period.

`compute` runs plain queries over a Session and returns the raw numbers; `rows` turns them into the
Danish, already suppressed lines that the HTML page and the CSV and XLSX exports all show.

A period is Copenhagen calendar days, both ends included; "in the period" means from 00.00 on the
first day to 24.00 on the last, Copenhagen time. `people` limits everything except workshop ideas
(which are anonymous) to the young people the viewer may count. The definitions:

- Active: status active or paused at report time, created before the period ended.
- New: created in the period.
- Ended: status ended at report time, created before the period ended. There is no ended-at
  column, so someone who ended before the period also counts (a known simplification).
- Check-in invitations: "checkin_invite" reminders sent in the period. One counts as completed
  when the same young person completed that questionnaire within 7 days of it being sent (also
  after the period's end). Completion rate = completed invitations / invitations sent.
- WHO-5: per young person, the first and the latest completed WHO-5 in the period. The means and
  the shares at or below 50 are over everyone with at least one (for one measurement, first and
  latest are the same); "improved by 10 points or more" is over those with at least two.
- BIP: the same first and latest completed response per young person and questionnaire; per item,
  the mean of the first and of the latest values, over those who answered the item in both.
- Meetings held: not cancelled, starting in the period before `now`, and the young person did not
  answer "can't come". Cancelled: cancelled, starting in the period. Can't come: answered "can't
  come", starting in the period (cancelled or not).
- Agreements: not cancelled, deadline in the period. Kept on time: done, with `done_at` on or
  before the deadline day in Copenhagen.
- Ideas per workshop: ideas sent in the period and not hidden, for each workshop open at some time
  in the period.
- Urgent alerts: urgent alerts that staff could see in the period (opened in it; a held alert
  counts from when it opened, never while held). Time to acknowledge: from opening to the first
  "I'll take it" (resolving an open alert takes it at the same moment); the median is over those
  acknowledged, the share within 30 minutes over all of them (one not taken yet counts as not
  within). Escalated: sent on to the duty list.

Privacy: any count below 5 shows as "<5", and a share or mean over fewer than 5 young people
shows as a dash (for invitations and agreements: fewer than 5 different young people).
"""

from __future__ import annotations

import bisect
import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean, median

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.content import Content
from core.locale import TIMEZONE, format_number
from dashboard.i18n import _
from storage.models import (
    Agreement,
    AgreementStatus,
    Alert,
    AlertStatus,
    Answer,
    Idea,
    Meeting,
    MeetingAnswer,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    Workshop,
    YoungPerson,
)

SMALL = 5  # a count below this shows as "<5"; a share or mean over fewer people: HIDDEN
ANSWERED_WITHIN = timedelta(days=7)
IMPROVED_BY = 10
LOW_WHO5 = 50
WHO5 = "who5"
BIP_QUESTIONNAIRES = ("bip_uddannelse", "bip_beskaeftigelse")
HIDDEN = "–"
ACKNOWLEDGED_WITHIN = timedelta(minutes=30)


@dataclass(frozen=True)
class Period:
    start: date  # inclusive, Copenhagen calendar days
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def last_half_year(cls, today: date) -> Period:
        """The 6 months ending today: 25 May to 24 November for 24 November."""
        months = today.year * 12 + today.month - 1 - 6
        year, month = divmod(months, 12)
        day = min(today.day, calendar.monthrange(year, month + 1)[1])
        return cls(date(year, month + 1, day) + timedelta(days=1), today)

    @property
    def starts_at(self) -> datetime:
        """The UTC instant of 00.00 on the first day in Copenhagen."""
        return datetime.combine(self.start, time(), tzinfo=TIMEZONE).astimezone(UTC)

    @property
    def ends_at(self) -> datetime:
        """The UTC instant of 00.00 on the day after the last (exclusive)."""
        following = self.end + timedelta(days=1)
        return datetime.combine(following, time(), tzinfo=TIMEZONE).astimezone(UTC)

    def during(self, column: InstrumentedAttribute[datetime]) -> ColumnElement[bool]:
        return (column >= self.starts_at) & (column < self.ends_at)


@dataclass(frozen=True)
class PeopleFigures:
    active: int
    new: int
    ended: int


@dataclass(frozen=True)
class CheckinFigures:
    questionnaire_id: str
    sent: int  # invitations sent in the period
    completed: int  # of those, followed by a completed response within 7 days
    people: int  # different young people invited


@dataclass(frozen=True)
class WhoFiveFigures:
    measured: int  # young people with at least one completed WHO-5 in the period
    followed: int  # ... with at least two
    first_mean: float | None
    latest_mean: float | None
    first_low: int  # first score at or below 50 (of `measured`)
    latest_low: int  # latest score at or below 50 (of `measured`)
    improved: int  # latest at least 10 points above first (of `followed`)


@dataclass(frozen=True)
class BipItemFigures:
    item_id: str
    people: int
    first_mean: float | None
    latest_mean: float | None


@dataclass(frozen=True)
class BipFigures:
    questionnaire_id: str
    measured: int
    items: tuple[BipItemFigures, ...]


@dataclass(frozen=True)
class MeetingFigures:
    held: int
    cancelled: int
    cannot_come: int


@dataclass(frozen=True)
class AgreementFigures:
    due: int  # not cancelled, deadline in the period
    on_time: int
    people: int  # different young people with an agreement due


@dataclass(frozen=True)
class AlertFigures:
    urgent: int  # urgent alerts opened in the period
    acknowledged: int  # of those, acknowledged (also after the period)
    median_minutes: float | None  # median time to acknowledge, of those acknowledged
    within: int  # acknowledged within 30 minutes
    escalated: int  # sent on to the duty list
    people: int  # different young people with an urgent alert


@dataclass(frozen=True)
class WorkshopFigures:
    workshop_id: int
    title: str
    ideas: int


@dataclass(frozen=True)
class KeyFigures:
    period: Period
    people: PeopleFigures
    checkins: tuple[CheckinFigures, ...]
    who5: WhoFiveFigures
    bip: tuple[BipFigures, ...]
    meetings: MeetingFigures
    agreements: AgreementFigures
    alerts: AlertFigures
    workshops: tuple[WorkshopFigures, ...]


@dataclass(frozen=True)
class ReportRow:
    section: str  # Danish section heading
    label: str  # Danish label
    value: str  # formatted Danish text, already suppressed ("<5", HIDDEN, "62 %", "48,3")


def compute(
    session: Session,
    period: Period,
    *,
    now: datetime,
    people: Select[int] | None,
    content: Content,
) -> KeyFigures:
    scope = _Scope(session, period, people)
    y, m = YoungPerson, Meeting
    created = y.created_at < period.ends_at
    meeting = period.during(m.starts_at)
    return KeyFigures(
        period=period,
        people=PeopleFigures(
            active=scope.count(
                y.id, created, y.status.in_([PersonStatus.ACTIVE, PersonStatus.PAUSED])
            ),
            new=scope.count(y.id, period.during(y.created_at)),
            ended=scope.count(y.id, created, y.status == PersonStatus.ENDED),
        ),
        checkins=tuple(scope.checkins(q_id) for q_id in content.questionnaires),
        who5=scope.who5(),
        bip=tuple(
            scope.bip(q_id, [item.id for item in questionnaire.items])
            for q_id, questionnaire in content.questionnaires.items()
            if q_id in BIP_QUESTIONNAIRES
        ),
        meetings=MeetingFigures(
            held=scope.count(
                m.young_person_id,
                meeting,
                m.starts_at < now,
                m.status != MeetingStatus.CANCELLED,
                m.answer.is_distinct_from(MeetingAnswer.CANNOT_COME),
            ),
            cancelled=scope.count(m.young_person_id, meeting, m.status == MeetingStatus.CANCELLED),
            cannot_come=scope.count(
                m.young_person_id, meeting, m.answer == MeetingAnswer.CANNOT_COME
            ),
        ),
        agreements=scope.agreements(),
        alerts=scope.alerts(),
        workshops=_workshops(session, period),
    )


def _mean(values: Iterable[float]) -> float | None:
    listed = list(values)
    return fmean(listed) if listed else None


class _Scope:
    """The queries of one report: one session, one period, one set of young people."""

    def __init__(self, session: Session, period: Period, people: Select[int] | None) -> None:
        self.session, self.period, self.people = session, period, people

    def among(self, column: InstrumentedAttribute[int]) -> list[ColumnElement[bool]]:
        return [] if self.people is None else [column.in_(self.people)]

    def count(self, person: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> int:
        query = select(func.count(person)).where(*self.among(person), *where)
        return self.session.scalar(query) or 0

    def checkins(self, questionnaire_id: str) -> CheckinFigures:
        r, q = Reminder, QuestionnaireResponse
        invitations = [
            (person, sent_at)
            for person, sent_at in self.session.execute(
                select(r.young_person_id, r.sent_at).where(
                    *self.among(r.young_person_id),
                    r.kind == "checkin_invite",
                    r.subject == f"checkin:{questionnaire_id}",
                    r.status == ReminderStatus.SENT,
                    r.sent_at >= self.period.starts_at,
                    r.sent_at < self.period.ends_at,
                )
            )
            if sent_at is not None
        ]
        completions: dict[int, list[datetime]] = defaultdict(list)
        for person, completed_at in self.session.execute(
            select(q.young_person_id, q.completed_at)
            .where(
                *self.among(q.young_person_id),
                q.questionnaire_id == questionnaire_id,
                q.status == ResponseStatus.COMPLETED,
                q.completed_at >= self.period.starts_at,
                q.completed_at < self.period.ends_at + ANSWERED_WITHIN,
            )
            .order_by(q.completed_at)
        ):
            if completed_at is not None:
                completions[person].append(completed_at)
        completed = 0
        for person, sent_at in invitations:
            times = completions[person]
            first = bisect.bisect_left(times, sent_at)
            completed += first < len(times) and times[first] < sent_at + ANSWERED_WITHIN
        return CheckinFigures(
            questionnaire_id=questionnaire_id,
            sent=len(invitations),
            completed=completed,
            people=len({person for person, _sent in invitations}),
        )

    def series(self, questionnaire_id: str) -> list[list[tuple[str, int | None]]]:
        """Per young person, their completed responses in the period as (id, score), in order."""
        q = QuestionnaireResponse
        found: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for person, response_id, score in self.session.execute(
            select(q.young_person_id, q.id, q.score)
            .where(
                *self.among(q.young_person_id),
                q.questionnaire_id == questionnaire_id,
                q.status == ResponseStatus.COMPLETED,
                q.completed_at >= self.period.starts_at,
                q.completed_at < self.period.ends_at,
            )
            .order_by(q.completed_at, q.id)
        ):
            found[person].append((response_id, score))
        return list(found.values())

    def who5(self) -> WhoFiveFigures:
        scores = [
            [score for _id, score in responses if score is not None]
            for responses in self.series(WHO5)
        ]
        firsts = [each[0] for each in scores if each]
        latests = [each[-1] for each in scores if each]
        return WhoFiveFigures(
            measured=len(firsts),
            followed=sum(len(each) > 1 for each in scores),
            first_mean=_mean(firsts),
            latest_mean=_mean(latests),
            first_low=sum(score <= LOW_WHO5 for score in firsts),
            latest_low=sum(score <= LOW_WHO5 for score in latests),
            improved=sum(len(each) > 1 and each[-1] - each[0] >= IMPROVED_BY for each in scores),
        )

    def bip(self, questionnaire_id: str, item_ids: list[str]) -> BipFigures:
        ends = [(responses[0][0], responses[-1][0]) for responses in self.series(questionnaire_id)]
        values: dict[tuple[str, str], int] = {}
        if ends:
            wanted = {response_id for pair in ends for response_id in pair}
            for response_id, item_id, value in self.session.execute(
                select(Answer.response_id, Answer.item_id, Answer.value).where(
                    Answer.response_id.in_(wanted)
                )
            ):
                values[response_id, item_id] = value
        items = []
        for item in item_ids:
            pairs = [
                (values[first, item], values[latest, item])
                for first, latest in ends
                if (first, item) in values and (latest, item) in values
            ]
            items.append(
                BipItemFigures(
                    item_id=item,
                    people=len(pairs),
                    first_mean=_mean(first for first, _latest in pairs),
                    latest_mean=_mean(latest for _first, latest in pairs),
                )
            )
        return BipFigures(questionnaire_id=questionnaire_id, measured=len(ends), items=tuple(items))

    def agreements(self) -> AgreementFigures:
        a = Agreement
        due = self.session.execute(
            select(a.young_person_id, a.deadline, a.status, a.done_at).where(
                *self.among(a.young_person_id),
                a.deadline >= self.period.start,
                a.deadline <= self.period.end,
                a.status != AgreementStatus.CANCELLED,
            )
        ).all()
        on_time = sum(
            status == AgreementStatus.DONE
            and done_at is not None
            and done_at.astimezone(TIMEZONE).date() <= deadline
            for _person, deadline, status, done_at in due
        )
        people = len({person for person, *_rest in due})
        return AgreementFigures(due=len(due), on_time=on_time, people=people)

    def alerts(self) -> AlertFigures:
        a = Alert
        found = self.session.execute(
            select(a.young_person_id, a.created_at, a.acknowledged_at, a.escalated_at).where(
                *self.among(a.young_person_id),
                a.urgent.is_(True),
                a.status != AlertStatus.HELD,
                self.period.during(a.created_at),
            )
        ).all()
        waits = [
            taken - opened for _person, opened, taken, _escalated in found if taken is not None
        ]
        return AlertFigures(
            urgent=len(found),
            acknowledged=len(waits),
            median_minutes=median(wait.total_seconds() / 60 for wait in waits) if waits else None,
            within=sum(wait <= ACKNOWLEDGED_WITHIN for wait in waits),
            escalated=sum(escalated is not None for *_rest, escalated in found),
            people=len({person for person, *_rest in found}),
        )


def _workshops(session: Session, period: Period) -> tuple[WorkshopFigures, ...]:
    """Ideas are anonymous and workshops are for everyone: not limited to `people`."""
    ideas = (
        select(Idea.workshop_id, func.count().label("ideas"))
        .where(Idea.sent_on >= period.start, Idea.sent_on <= period.end, Idea.hidden.is_(False))
        .group_by(Idea.workshop_id)
        .subquery()
    )
    found = session.execute(
        select(Workshop.id, Workshop.title, func.coalesce(ideas.c.ideas, 0))
        .outerjoin(ideas, ideas.c.workshop_id == Workshop.id)
        .where(Workshop.opens_at < period.ends_at, Workshop.closes_at >= period.starts_at)
        .order_by(Workshop.opens_at, Workshop.id)
    ).all()
    return tuple(WorkshopFigures(workshop_id=i, title=t, ideas=n) for i, t, n in found)


# --- the printed rows -------------------------------------------------------------------------


def format_count(count: int) -> str:
    return "<5" if count < SMALL else format_number(count)


def format_share(part: int, whole: int, *, people: int) -> str:
    return HIDDEN if people < SMALL or whole == 0 else format_number(100 * part / whole) + " %"


def format_mean(mean: float | None, *, people: int) -> str:
    return HIDDEN if people < SMALL or mean is None else format_number(mean, decimals=1)


def format_minutes(minutes: float | None, *, people: int) -> str:
    """'20 min.', '1 t. 5 min.', '2 døgn 3 t.' (rounded to whole minutes)."""
    if people < SMALL or minutes is None:
        return HIDDEN
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s days %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


def rows(figures: KeyFigures, content: Content) -> list[ReportRow]:
    """The report as Danish lines: what the HTML page, the CSV and the XLSX all show."""
    out: list[ReportRow] = []

    def add(section: str, *lines: tuple[str, str]) -> None:
        out.extend(ReportRow(section=section, label=label, value=value) for label, value in lines)

    def title(questionnaire_id: str) -> str:
        found = content.questionnaire(questionnaire_id)
        return found.title if found else questionnaire_id

    people = figures.people
    add(
        _("Young people"),
        (_("Active"), format_count(people.active)),
        (_("New"), format_count(people.new)),
        (_("Ended"), format_count(people.ended)),
    )
    for checkin in figures.checkins:
        add(
            _("Check-ins: %(questionnaire)s") % {"questionnaire": title(checkin.questionnaire_id)},
            (_("Invitations sent"), format_count(checkin.sent)),
            (
                _("Check-ins completed within 7 days"),
                format_share(checkin.completed, checkin.sent, people=checkin.people),
            ),
        )
    who5 = figures.who5
    n, followed = who5.measured, who5.followed
    add(
        _("Well-being (WHO-5)"),
        (_("Young people with a measurement"), format_count(n)),
        (_("First measurement, mean"), format_mean(who5.first_mean, people=n)),
        (_("Latest measurement, mean"), format_mean(who5.latest_mean, people=n)),
        (_("First measurement 50 or below"), format_share(who5.first_low, n, people=n)),
        (_("Latest measurement 50 or below"), format_share(who5.latest_low, n, people=n)),
        (_("Young people with two or more measurements"), format_count(followed)),
        (
            _("Improved by 10 points or more"),
            format_share(who5.improved, followed, people=followed),
        ),
    )
    for bip in figures.bip:
        questionnaire = content.questionnaire(bip.questionnaire_id)
        items = questionnaire.items if questionnaire else []
        shorts = {item.id: item.short or item.id for item in items}
        add(
            _("%(questionnaire)s: mean, first → latest")
            % {"questionnaire": title(bip.questionnaire_id)},
            (_("Young people with a measurement"), format_count(bip.measured)),
            *(
                (
                    shorts.get(item.item_id, item.item_id),
                    HIDDEN
                    if item.people < SMALL
                    else f"{format_mean(item.first_mean, people=item.people)}"
                    f" → {format_mean(item.latest_mean, people=item.people)}",
                )
                for item in bip.items
            ),
        )
    meetings, agreements = figures.meetings, figures.agreements
    add(
        _("Meetings"),
        (_("Meetings held"), format_count(meetings.held)),
        (_("Cancelled"), format_count(meetings.cancelled)),
        (_("Can't come"), format_count(meetings.cannot_come)),
    )
    add(
        _("Agreements"),
        (_("Deadline in the period"), format_count(agreements.due)),
        (
            _("Agreements kept on time"),
            format_share(agreements.on_time, agreements.due, people=agreements.people),
        ),
    )
    alerts = figures.alerts
    add(
        _("Urgent alerts"),
        (_("Urgent alerts"), format_count(alerts.urgent)),
        (
            _("Time until an alert was taken, median"),
            format_minutes(alerts.median_minutes, people=alerts.people),
        ),
        (
            _("Taken within 30 minutes"),
            format_share(alerts.within, alerts.urgent, people=alerts.people),
        ),
        (_("Sent on to the duty list"), format_count(alerts.escalated)),
    )
    add(
        _("Ideas per youth workshop"),
        *((w.title, format_count(w.ideas)) for w in figures.workshops),
    )
    if not figures.workshops:
        add(_("Ideas per youth workshop"), (_("No youth workshops in the period"), HIDDEN))
    return out
