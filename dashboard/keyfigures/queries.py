"""The report's queries: `compute` counts a period's figures for a set of young people."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import CTE, ColumnElement, Over, Select, case, func, null, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from core.content import Content
from dashboard.keyfigures.figures import (
    AlertFigures,
    BipFigures,
    BipItemFigures,
    CheckinFigures,
    FeedbackFigures,
    KeyFigures,
    MeetingFigures,
    PeopleFigures,
    WhoFiveFigures,
    WorkshopFigures,
)
from dashboard.keyfigures.period import Period
from domain.report_queries import (
    MeetingCounts,
    agreement_outcomes,
    contact_person_changes,
    end_outcomes,
    followed_and_plans,
    invited_in,
    meetings_in_period,
    offers_received,
)
from storage.models import (
    Alert,
    AlertStatus,
    Answer,
    Idea,
    Meeting,
    MeetingFeedback,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    Workshop,
)
from storage.types import UTCDateTime

ANSWERED_WITHIN = timedelta(days=7)
IMPROVED_BY = 10
WHO5 = "who5"
BIP_QUESTIONNAIRES = ("bip_uddannelse", "bip_beskaeftigelse")
ACKNOWLEDGED_WITHIN = timedelta(minutes=30)


def compute(
    session: Session,
    period: Period,
    *,
    now: datetime,
    people: Select[int] | None,
    content: Content,
    whole: bool = True,
) -> KeyFigures:
    """`whole` False (a quarter): only what a quarter's report shows and the differencing rule
    reads (sections.py, release.py); the half-year-only figures (the young people followed at the
    start and the end, long-term plans, WHO-5, BIP and the answers after meetings) are then not
    counted: None or empty."""
    scope = _Scope(session, period, people)
    first, last = period.start, period.end
    # The followed at the start and the end, and the plan share, in one statement.
    edges = followed_and_plans(session, start=first, end=last, people=people) if whole else None
    return KeyFigures(
        period=period,
        people=PeopleFigures(
            at_start=edges.at_start if edges else None,
            at_end=edges.at_end if edges else None,
            new=invited_in(session, start=first, end=last, people=people),
        ),
        outcomes=end_outcomes(session, start=first, end=last, people=people),
        offers=tuple(offers_received(session, start=first, end=last, people=people)),
        plans=edges.plans if edges else None,
        contacts=contact_person_changes(session, start=first, end=last, people=people),
        checkins=tuple(scope.checkins(q_id) for q_id in content.questionnaires),
        who5=scope.who5(_low_who5(content)) if whole else None,
        bip=scope.bip(
            {
                q_id: [item.id for item in questionnaire.items]
                for q_id, questionnaire in content.questionnaires.items()
                if whole and q_id in BIP_QUESTIONNAIRES
            }
        ),
        meetings=_meetings(
            meetings_in_period(session, start=first, end=last, now=now, people=people)
        ),
        feedback=scope.feedback() if whole else (),
        agreements=agreement_outcomes(session, start=first, end=last, people=people),
        alerts=scope.alerts(),
        workshops=_workshops(session, period),
    )


def _low_who5(content: Content) -> int:
    """The WHO-5 score counted as low: the `low` alert threshold in dialogues/who5.yml."""
    who5 = content.questionnaire(WHO5)
    if who5 is None or who5.alerts is None:
        return -1  # no thresholds configured: no score counts as low
    return who5.alerts.low


def _meetings(counts: MeetingCounts) -> MeetingFigures:
    return MeetingFigures(
        attendance=counts.attendance, cancelled=counts.cancelled, cannot_come=counts.cannot_come
    )


def _ratio(total: int | None, count: int) -> float | None:
    """A mean from its sum and count (as statistics.fmean gives it), None over nobody."""
    return None if total is None or not count else total / count


class _AnswerDeadline(FunctionElement[datetime]):
    """The instant ANSWERED_WITHIN after a stored time, exact to the microsecond."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(_AnswerDeadline)
def _interval_after(element: _AnswerDeadline, compiler: SQLCompiler, **kw: Any) -> str:
    seconds = int(ANSWERED_WITHIN.total_seconds())
    return f"({compiler.process(element.clauses, **kw)} + INTERVAL '{seconds} seconds')"


@compiles(_AnswerDeadline, "sqlite")
def _text_after(element: _AnswerDeadline, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff': move the whole seconds, keep the fraction as it
    # is (datetime() alone would round it to milliseconds).
    seconds = int(ANSWERED_WITHIN.total_seconds())
    stored = compiler.process(element.clauses, **kw)
    return f"(datetime(substr({stored}, 1, 19), '+{seconds} seconds') || substr({stored}, 20))"


def _number_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition`, as an aggregate."""
    return func.sum(case((condition, 1), else_=0))


class _Scope:
    """The queries of one report: one session, one period, one set of young people."""

    def __init__(self, session: Session, period: Period, people: Select[int] | None) -> None:
        self.session, self.period, self.people = session, period, people

    def among(self, column: InstrumentedAttribute[int]) -> list[ColumnElement[bool]]:
        return [] if self.people is None else [column.in_(self.people)]

    def checkins(self, questionnaire_id: str) -> CheckinFigures:
        r, q = Reminder, QuestionnaireResponse
        invited = (
            *self.among(r.young_person_id),
            r.kind == "checkin_invite",
            r.subject == f"checkin:{questionnaire_id}",
            r.status == ReminderStatus.SENT,
            r.sent_at >= self.period.starts_at,
            r.sent_at < self.period.ends_at,
        )
        sent, people = self.session.execute(
            select(func.count(), func.count(func.distinct(r.young_person_id))).where(*invited)
        ).one()
        answered = (
            select(q.id)
            .where(
                q.young_person_id == r.young_person_id,
                q.questionnaire_id == questionnaire_id,
                q.status == ResponseStatus.COMPLETED,
                q.completed_at >= self.period.starts_at,
                q.completed_at < self.period.ends_at + ANSWERED_WITHIN,
                q.completed_at >= r.sent_at,
                q.completed_at < _AnswerDeadline(r.sent_at),
            )
            .exists()
        )
        completed = self.session.scalar(select(func.count()).where(*invited, answered))
        return CheckinFigures(
            questionnaire_id=questionnaire_id,
            sent=sent,
            completed=completed or 0,
            people=people,
        )

    def ends(self, questionnaire_ids: list[str], *where: ColumnElement[bool]) -> CTE:
        """Per young person and questionnaire, their completed responses in the period, each
        numbered in (completed_at, id) order (`first`), with how many they have (`responses`)
        and the score of their first and of their latest (`first_score`, `latest_score`): the
        first has `first` = 1, the latest `first` = `responses`. Every column comes from one
        window over the whole of each young person's responses, so one sort and one pass."""
        q = QuestionnaireResponse

        def over_all(function: FunctionElement[Any]) -> Over[Any]:
            return function.over(
                partition_by=(q.questionnaire_id, q.young_person_id),
                order_by=(q.completed_at, q.id),
                rows=(None, None),  # the whole partition, not up to the current row
            )

        return (
            select(
                q.questionnaire_id.label("questionnaire"),
                q.young_person_id.label("person"),
                q.id.label("response_id"),
                over_all(func.row_number()).label("first"),
                over_all(func.count()).label("responses"),
                over_all(func.first_value(q.score)).label("first_score"),
                over_all(func.last_value(q.score)).label("latest_score"),
            )
            .where(
                *self.among(q.young_person_id),
                q.questionnaire_id.in_(questionnaire_ids),
                q.status == ResponseStatus.COMPLETED,
                q.completed_at >= self.period.starts_at,
                q.completed_at < self.period.ends_at,
                *where,
            )
            .cte()
        )

    def who5(self, low: int) -> WhoFiveFigures:
        # Counted in the database: the row of each young person's first WHO-5 with a score,
        # which holds their first and latest score, then one row in all.
        e = self.ends([WHO5], QuestionnaireResponse.score.is_not(None))
        per = (
            select(
                e.c.first_score.label("first"),
                e.c.latest_score.label("latest"),
                e.c.responses,
            )
            .where(e.c.first == 1)
            .subquery()
        )
        followed = per.c.responses > 1
        row = self.session.execute(
            select(
                func.count(),
                _number_of(followed),
                func.sum(per.c.first),
                func.sum(per.c.latest),
                _number_of(per.c.first <= low),
                _number_of(per.c.latest <= low),
                _number_of(followed & (per.c.latest - per.c.first >= IMPROVED_BY)),
            )
        ).one()
        measured, twice, first_sum, latest_sum, first_low, latest_low, improved = row
        return WhoFiveFigures(
            measured=measured,
            followed=twice or 0,
            first_mean=_ratio(first_sum, measured),
            latest_mean=_ratio(latest_sum, measured),
            first_low=first_low or 0,
            latest_low=latest_low or 0,
            improved=improved or 0,
        )

    def bip(self, items: dict[str, list[str]]) -> tuple[BipFigures, ...]:
        """Per BIP questionnaire (`items`: its item ids, in order), in one statement for all of
        them (each one's responses found in one scan of the responses)."""
        if not items:
            return ()
        # Per young person, questionnaire and item, the first and the latest response's value.
        e, answer = self.ends(list(items)), Answer
        pairs = (
            select(
                e.c.questionnaire,
                answer.item_id.label("item"),
                func.max(case((e.c.first == 1, answer.value))).label("first"),
                func.max(case((e.c.first == e.c.responses, answer.value))).label("latest"),
            )
            .join(e, e.c.response_id == answer.response_id)
            .where((e.c.first == 1) | (e.c.first == e.c.responses))
            .group_by(e.c.questionnaire, e.c.person, answer.item_id)
            .subquery()
        )
        per_item = (
            select(
                pairs.c.questionnaire,
                pairs.c.item,
                func.count(),
                func.sum(pairs.c.first),
                func.sum(pairs.c.latest),
            )
            .where(pairs.c.first.is_not(None), pairs.c.latest.is_not(None))
            .group_by(pairs.c.questionnaire, pairs.c.item)
        )
        # The young people measured, in the same statement (a row without an item): their
        # responses are then found once, not a second time by a statement of their own. Each
        # one's first response is their one row with `first` = 1, counted with no sort (as
        # counting distinct young people would need).
        everyone = (
            select(e.c.questionnaire, null(), func.count(), null(), null())
            .where(e.c.first == 1)
            .group_by(e.c.questionnaire)
        )
        found = {
            (questionnaire, item): (people, first_sum, latest_sum)
            for questionnaire, item, people, first_sum, latest_sum in self.session.execute(
                union_all(everyone, per_item)
            )
        }
        return tuple(
            _bip_figures(questionnaire_id, item_ids, found)
            for questionnaire_id, item_ids in items.items()
        )

    def feedback(self) -> tuple[FeedbackFigures, ...]:
        """The three questions after a network meeting, for meetings begun in the period."""
        f, m = MeetingFeedback, Meeting
        found = self.session.execute(
            select(m.young_person_id, f.heard, f.part_of_decisions, f.knows_next)
            .join(m, m.id == f.meeting_id)
            .where(*self.among(m.young_person_id), self.period.during(m.starts_at))
        ).all()
        figures = []
        for question in range(3):
            answers = [(row[0], row[question + 1]) for row in found if row[question + 1]]
            values = [value for _person, value in answers]
            figures.append(
                FeedbackFigures(
                    question=question,
                    answered=len(answers),
                    yes=values.count(3),
                    partly=values.count(2),
                    no=values.count(1),
                    people=len({person for person, _value in answers}),
                )
            )
        return tuple(figures)

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
        # Taken later than a week after the period: not taken, so a report does not change
        # once it is offered (presets.py).
        settled = self.period.ends_at + ANSWERED_WITHIN
        waits = [
            taken - opened
            for _person, opened, taken, _escalated in found
            if taken is not None and taken < settled
        ]
        return AlertFigures(
            urgent=len(found),
            acknowledged=len(waits),
            median_minutes=median(wait.total_seconds() / 60 for wait in waits) if waits else None,
            within=sum(wait <= ACKNOWLEDGED_WITHIN for wait in waits),
            escalated=sum(escalated is not None for *_rest, escalated in found),
            people=len({person for person, *_rest in found}),
        )


def _bip_figures(
    questionnaire_id: str,
    item_ids: list[str],
    found: dict[tuple[str, str | None], tuple[int, int | None, int | None]],
) -> BipFigures:
    """One questionnaire's figures from Scope.bip's rows: (questionnaire, item or None for its
    young people measured) -> (young people, sum of first values, sum of latest values)."""
    measured = found.get((questionnaire_id, None), (0, None, None))[0]
    items = []
    for item in item_ids:
        people, first_sum, latest_sum = found.get((questionnaire_id, item), (0, None, None))
        items.append(
            BipItemFigures(
                item_id=item,
                people=people,
                first_mean=_ratio(first_sum, people),
                latest_mean=_ratio(latest_sum, people),
            )
        )
    return BipFigures(questionnaire_id=questionnaire_id, measured=measured, items=tuple(items))


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
