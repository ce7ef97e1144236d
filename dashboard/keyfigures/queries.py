"""The report's queries: `compute` counts a period's figures for a set of young people."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from statistics import fmean, median

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

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
    FOLLOWED,
    agreement_outcomes,
    contact_person_changes,
    end_outcomes,
    long_term_plan_share,
    meetings_by_attendance,
    offers_received,
    people_flow,
)
from storage.models import (
    Alert,
    AlertStatus,
    Answer,
    Idea,
    Meeting,
    MeetingAnswer,
    MeetingFeedback,
    MeetingStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    Workshop,
)

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
) -> KeyFigures:
    scope = _Scope(session, period, people)
    m = Meeting
    meeting = period.during(m.starts_at)
    first, last = period.start, period.end
    flow = people_flow(session, start=first, end=last, people=people)
    return KeyFigures(
        period=period,
        people=PeopleFigures(
            at_start=sum(flow.at_start[status] for status in FOLLOWED),
            at_end=sum(flow.at_end[status] for status in FOLLOWED),
            new=flow.new,
        ),
        outcomes=end_outcomes(session, start=first, end=last, people=people),
        offers=tuple(offers_received(session, start=first, end=last, people=people)),
        plans=long_term_plan_share(session, on=period.end, people=people),
        contacts=contact_person_changes(session, start=first, end=last, people=people),
        checkins=tuple(scope.checkins(q_id) for q_id in content.questionnaires),
        who5=scope.who5(_low_who5(content)),
        bip=tuple(
            scope.bip(q_id, [item.id for item in questionnaire.items])
            for q_id, questionnaire in content.questionnaires.items()
            if q_id in BIP_QUESTIONNAIRES
        ),
        meetings=MeetingFigures(
            attendance=meetings_by_attendance(
                session, start=first, end=last, now=now, people=people
            ),
            cancelled=scope.count(m.young_person_id, meeting, m.status == MeetingStatus.CANCELLED),
            cannot_come=scope.count(
                m.young_person_id, meeting, m.answer == MeetingAnswer.CANNOT_COME
            ),
        ),
        feedback=scope.feedback(),
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

    def who5(self, low: int) -> WhoFiveFigures:
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
            first_low=sum(score <= low for score in firsts),
            latest_low=sum(score <= low for score in latests),
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
