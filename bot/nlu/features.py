"""Text preparation shared by training and parsing: the same Danish text, however it is typed."""

from __future__ import annotations

import re
import unicodedata

from bot.text import clean

_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
_REPEATS = re.compile(r"(\w)\1{2,}")  # "neeeej" -> "neej"


def prepare(text: str) -> str:
    """Lowercase, æ/ø/å folded, letter runs shortened, punctuation dropped, emoji kept as words."""
    folded = clean(text).casefold().translate(_DANISH_FOLD)
    kept: list[str] = []
    for char in folded:
        if char.isalnum():
            kept.append(char)
        elif unicodedata.category(char) == "So":
            kept.append(f" {char} ")  # an emoji carries meaning (👍, 😭): keep it as a token
        else:
            kept.append(" ")
    return " ".join(_REPEATS.sub(r"\1\1", "".join(kept)).split())


def spelling_pattern(value: str) -> str:
    """A regex for `value` that also matches ae/oe/aa for æ/ø/å and any run of white space."""
    parts: list[str] = []
    for char in value.casefold():
        if char == "æ":
            parts.append("(?:æ|ae)")
        elif char == "ø":
            parts.append("(?:ø|oe)")
        elif char == "å":
            parts.append("(?:å|aa)")
        elif char.isspace():
            parts.append(r"\s*")
        else:
            parts.append(re.escape(char))
    return "".join(parts)
