"""Typed, validated content from dialogues/*.yml."""

from core.content.loader import load_content
from core.content.models import Content, Onboarding, Questionnaire, ScaleOption, Texts
from core.errors import ContentError

__all__ = [
    "Content",
    "ContentError",
    "Onboarding",
    "Questionnaire",
    "ScaleOption",
    "Texts",
    "load_content",
]
