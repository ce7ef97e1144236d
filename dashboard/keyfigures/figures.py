"""The raw numbers of one key-figure report, as `compute` returns them."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.keyfigures.period import Period


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
