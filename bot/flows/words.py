"""Matching typed text against word lists from dialogues/texts.yml."""

from __future__ import annotations

from collections.abc import Iterable

from core.content import Content
from core.text import normalize


def means(text: str, *word_lists: Iterable[str]) -> bool:
    """True when `text` is one of the words (ignoring case, punctuation, emoji, æ/ø/å spelling)."""
    key = normalize(text)
    return any(key == normalize(word) for words in word_lists for word in words)


def means_yes(text: str, content: Content) -> bool:
    """A typed yes to a yes/no question asked with buttons ("ja", "ja tak", "ok", "okay")."""
    return means(text, content.texts.words.yes)


def means_no(text: str, content: Content) -> bool:
    """A typed no to a yes/no question asked with buttons ("nej", "nej tak")."""
    return means(text, content.texts.words.no)
