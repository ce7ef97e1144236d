"""Alerts for the coordinator from a completed WHO-5: pure, thresholds from the WHO-5 guidance.

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

WHO5 = "who5"
LOW = 50  # at or below: poor well-being, worth a talk
URGENT = 28  # at or below: possible depression, act soon
DROP = 10  # a fall of this many points or more since last time is a clinically relevant change
ITEM_LOW = 1  # an item answered 0 or 1 ("at no time", "some of the time")

Care = Literal["low", "item"]


def who5_alerts(
    questionnaire_id: str, score: int | None, answers: Mapping[str, int], last: PastResult | None
) -> tuple[RaiseAlert, ...]:
    if questionnaire_id != WHO5 or score is None:
        return ()
    alerts: list[RaiseAlert] = []
    if score <= LOW:
        alerts.append(RaiseAlert("who5_low", score <= URGENT, {"score": score}))
    if last is not None and last.score is not None and last.score - score >= DROP:
        alerts.append(RaiseAlert("who5_drop", False, {"score": score, "before": last.score}))
    low_items = sorted(item for item, value in answers.items() if value <= ITEM_LOW)
    if low_items:
        alerts.append(RaiseAlert("who5_item_low", False, {"items": ",".join(low_items)}))
    return tuple(alerts)


def care(questionnaire_id: str, score: int | None, answers: Mapping[str, int]) -> Care | None:
    """ "low": a WHO-5 at or below URGENT (an urgent alert above). "item": above it, with an item
    answered 0-1 (a who5_item_low alert above). None: nothing the young person is told about."""
    if questionnaire_id != WHO5 or score is None:
        return None
    if score <= URGENT:
        return "low"
    if any(value <= ITEM_LOW for value in answers.values()):
        return "item"
    return None
