"""Pydantic models for dialogues/*.yml, rooted in Content; each file's models in their module.

Every name is re-exported here, so `from core.content.models import X` works for any model;
the strict base and the checked text types are in base.py.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.content.models.base import (
    ButtonLabel,
    Identifier,
    ItemId,
    Line,
    Strict,
    Template,
    Words,
    allows,
)
from core.content.models.onboarding import Onboarding
from core.content.models.questionnaires import (
    After,
    AlertThresholds,
    Guide,
    Item,
    ProfileAfter,
    ProfileScoring,
    Questionnaire,
    ScaleOption,
    SumAfter,
    SumScoring,
)
from core.content.models.reminders import ReminderTexts
from core.content.models.safety import SafetyTexts, SupportLine, join_danish
from core.content.models.texts import (
    FEELINGS,
    ChannelTexts,
    CheckinTexts,
    CommandDescription,
    CommandName,
    DeletionTexts,
    Feeling,
    FeelingTexts,
    FreeTextTexts,
    IdeaTexts,
    JoinTexts,
    MyDataTexts,
    PausingTexts,
    Texts,
    WordLists,
)

__all__ = [
    "FEELINGS",
    "After",
    "AlertThresholds",
    "ButtonLabel",
    "ChannelTexts",
    "CheckinTexts",
    "CommandDescription",
    "CommandName",
    "Content",
    "DeletionTexts",
    "Feeling",
    "FeelingTexts",
    "FreeTextTexts",
    "Guide",
    "IdeaTexts",
    "Identifier",
    "Item",
    "ItemId",
    "JoinTexts",
    "Line",
    "MyDataTexts",
    "Onboarding",
    "PausingTexts",
    "ProfileAfter",
    "ProfileScoring",
    "Questionnaire",
    "ReminderTexts",
    "SafetyTexts",
    "ScaleOption",
    "Strict",
    "SumAfter",
    "SumScoring",
    "SupportLine",
    "Template",
    "Texts",
    "WordLists",
    "Words",
    "allows",
    "join_danish",
]


class Content(BaseModel):
    """Everything in dialogues/, validated. Questionnaires keep the order of their file names."""

    model_config = ConfigDict(frozen=True)

    texts: Texts
    onboarding: Onboarding
    reminders: ReminderTexts
    safety: SafetyTexts
    questionnaires: dict[str, Questionnaire]

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)

    @property
    def default_plan(self) -> dict[str, int]:
        """Questionnaire id -> days between check-ins, for a young person without a plan."""
        return {q.id: q.cadence_days for q in self.questionnaires.values() if q.planned_by_default}
