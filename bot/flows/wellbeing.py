"""Alerts for the coordinator from a completed questionnaire: pure. The thresholds are the
questionnaire's `alerts:` in dialogues/ (WHO-5's, from the WHO-5 guidance).

The alerts themselves are for the coordinator; no score is ever called a verdict to the young
person. When the answers are worrying (`care`), the young person is told kindly what happens,
with the help lines: an alert they do not know about would be a decision made behind their
back. A very low score ("low") gets "Det lyder som en hård tid": the contact person gets an
urgent alert and reaches out. A fair score with one answer at 0-1 ("item") gets a gentler text:
the contact person sees the answers (a quiet alert) and will talk with them about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bot.engine.effects import RaiseAlert
from bot.engine.ports import PastResult
from core.content.models import Questionnaire
from domain.alerts.kinds import AlertKind

Care = Literal["low", "item"]


def who5_alerts(
    questionnaire: Questionnaire,
    score: int | None,
    answers: Mapping[str, int],
    last: PastResult | None,
) -> tuple[RaiseAlert, ...]:
    """The alerts a completed questionnaire with `alerts:` thresholds raises (only WHO-5 has
    them today)."""
    limits = questionnaire.alerts
    if limits is None or score is None:
        return ()
    alerts: list[RaiseAlert] = []
    if score <= limits.low:
        alerts.append(RaiseAlert(AlertKind.WHO5_LOW, score <= limits.urgent, {"score": score}))
    if last is not None and last.score is not None and last.score - score >= limits.drop:
        before: dict[str, str | int] = {"score": score, "before": last.score}
        alerts.append(RaiseAlert(AlertKind.WHO5_DROP, False, before))
    low_items = sorted(item for item, value in answers.items() if value <= limits.item_low)
    if low_items:
        alerts.append(RaiseAlert(AlertKind.WHO5_ITEM_LOW, False, {"items": ",".join(low_items)}))
    return tuple(alerts)


def care(
    questionnaire: Questionnaire, score: int | None, answers: Mapping[str, int]
) -> Care | None:
    """ "low": a score at or below `urgent` (an urgent alert above). "item": above it, with an
    item answered at or below `item_low` (a quiet alert above). None: nothing to tell."""
    limits = questionnaire.alerts
    if limits is None or score is None:
        return None
    if score <= limits.urgent:
        return "low"
    if any(value <= limits.item_low for value in answers.values()):
        return "item"
    return None
