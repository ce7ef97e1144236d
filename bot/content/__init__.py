"""Typed, validated content from dialogues/*.yml."""

from bot.content.loader import ContentError, load_content
from bot.content.models import Content, Onboarding, Questionnaire, ScaleOption, Texts

__all__ = [
    "Content",
    "ContentError",
    "Onboarding",
    "Questionnaire",
    "ScaleOption",
    "Texts",
    "load_content",
]
