"""Matching typed text against word lists from dialogues/texts.yml."""

from __future__ import annotations

from collections.abc import Iterable

from core.text import normalize


def means(text: str, *word_lists: Iterable[str]) -> bool:
    """True when `text` is one of the words (ignoring case, punctuation, emoji, æ/ø/å spelling)."""
    key = normalize(text)
    return any(key == normalize(word) for words in word_lists for word in words)
