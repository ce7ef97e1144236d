"""Models of a questionnaire file (dialogues/who5.yml and others): items, scale, scoring, guide."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag

from core.content.models.base import Identifier, ItemId, Line, Strict, Template, Words, allows


class ScaleOption(Strict):
    value: int = Field(ge=0, le=100)
    label: Line
    synonyms: Words = []  # noqa: RUF012 - a pydantic field (Strict): copied for each instance


class Item(Strict):
    id: ItemId
    text: Line
    short: Line | None = None


class SumScoring(Strict):
    method: Literal["sum"]
    multiplier: int = Field(ge=1)
    max: int = Field(ge=1)


class ProfileScoring(Strict):
    method: Literal["profile"]
    max: int = Field(ge=1)


class SumAfter(Strict):
    result: Annotated[Template, allows("score", "max")]
    first_time: Annotated[Template, allows()]
    up: Annotated[Template, allows("change", "last_date")]
    same: Annotated[Template, allows("last_date")]
    down: Annotated[Template, allows("change", "last_date")]


class ProfileAfter(Strict):
    result: Annotated[Template, allows("max")]
    line: Annotated[Template, allows("item", "value")]
    line_changed: Annotated[Template, allows("item", "value", "last")]
    first_time: Annotated[Template, allows()]
    compared: Annotated[Template, allows("last_date")]


def _after_kind(value: object) -> str:
    # A profile guide is recognised by its per-item line; the check then matches it to scoring.
    if isinstance(value, dict):
        return "profile" if "line" in value else "sum"
    return "profile" if isinstance(value, ProfileAfter) else "sum"


After = Annotated[
    Annotated[SumAfter, Tag("sum")] | Annotated[ProfileAfter, Tag("profile")],
    Discriminator(_after_kind),
]


class Guide(Strict):
    before: list[Line] = Field(min_length=1)
    after: After
    chart_title: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    talk_next_time: Line
    # "hvad betyder 32?" right after a scored result: what the number means (not a topic).
    score_meaning: Annotated[Template, allows("score", "max")] | None = None


class AlertThresholds(Strict):
    """When a completed questionnaire raises an alert for the coordinator. Never shown to the
    young person: thresholds drive alerts, not verdicts."""

    low: int = Field(ge=0)  # a score at or below: poor well-being, worth a talk
    urgent: int = Field(ge=0)  # a score at or below: act soon (an urgent alert, e-mailed)
    drop: int = Field(ge=1)  # a fall of this many points or more since the last time
    item_low: int = Field(ge=0)  # any item answered at or below this


class Questionnaire(Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Line
    menu_label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    credit: Line
    menu_order: int = Field(ge=1)
    cadence_days: int = Field(ge=1, le=366)
    # Planned for every young person unless their own plan says otherwise.
    planned_by_default: bool = False
    alerts: AlertThresholds | None = None
    stem: Line
    scoring: SumScoring | ProfileScoring = Field(discriminator="method")
    scale: list[ScaleOption] = Field(min_length=2)
    items: list[Item] = Field(min_length=1)
    guide: Guide

    @property
    def low(self) -> int:
        return min(option.value for option in self.scale)

    @property
    def high(self) -> int:
        return max(option.value for option in self.scale)

    def item_index(self, item_id: str) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.id == item_id), None)

    def option(self, value: int) -> ScaleOption | None:
        return next((option for option in self.scale if option.value == value), None)

    def score(self, answers: dict[str, int]) -> int | None:
        """The total score, or None for a profile questionnaire or an incomplete set."""
        if not isinstance(self.scoring, SumScoring):
            return None
        if any(item.id not in answers for item in self.items):
            return None
        return sum(answers[item.id] for item in self.items) * self.scoring.multiplier
