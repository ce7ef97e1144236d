"""The raw numbers of one key-figure report, as `compute` returns them.

A young person's course (people, outcomes, offers, plans, contact persons, attendance and
agreement outcomes) comes from domain.report_queries as its own types; the rest is counted here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.keyfigures.period import Period
from domain.report_queries import (
    AgreementOutcomes,
    AttendanceFigures,
    ContactChanges,
    OfferFigure,
    PlanShare,
)
from storage.models import EndOutcome


@dataclass(frozen=True)
class PeopleFigures:
    # Followed (active, paused or unreachable) at 00.00 on the first day and at 24.00 on the last;
    # None for a quarter (compute(whole=False)), which does not show them.
    at_start: int | None
    at_end: int | None
    new: int  # invited in the period


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
    attendance: AttendanceFigures  # begun, not cancelled: by the attendance recorded
    cancelled: int
    cannot_come: int


@dataclass(frozen=True)
class FeedbackFigures:
    """The answers to one of the three questions after a network meeting (1 no, 2 partly,
    3 yes), for meetings that began in the period."""

    question: int  # 0, 1 or 2: the place in dialogues/reminders.yml feedback_questions
    answered: int
    yes: int
    partly: int
    no: int
    people: int  # different young people who answered


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
    outcomes: dict[EndOutcome, int]
    offers: tuple[OfferFigure, ...]
    plans: PlanShare | None  # None for a quarter (compute(whole=False)), as who5
    contacts: ContactChanges
    checkins: tuple[CheckinFigures, ...]
    who5: WhoFiveFigures | None
    bip: tuple[BipFigures, ...]  # empty for a quarter, as feedback
    meetings: MeetingFigures
    feedback: tuple[FeedbackFigures, ...]
    agreements: AgreementOutcomes
    alerts: AlertFigures
    workshops: tuple[WorkshopFigures, ...]
