"""Text preparation shared by training and parsing: the same Danish text, however it is typed."""

from __future__ import annotations

import re
import unicodedata

from core.text import clean

_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
_REPEATS = re.compile(r"(\w)\1{2,}")  # "neeeej" -> "neej"
# A doubled æ/ø/å is never Danish: "døøør" is "dør" (before folding, where "øø" becomes "oeoe").
_DOUBLED_VOWEL = re.compile(r"([æøå])\1+")
# Look-alike letters from other scripts that show as Latin ones (a Cyrillic e in "selvmord"),
# after casefolding. Only used in a word that also has Latin letters, or has only look-alikes,
# so a Russian or Greek sentence is left as it is.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
}  # fmt: skip
_WORD = re.compile(r"\w+")
# Digits for letters inside a word ("s3lvm0rd"); only for the safety net's phrases (see below).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})


def prepare(text: str) -> str:
    """NFKC (fullwidth and styled letters become plain), look-alike letters mapped, lowercase,
    æ/ø/å folded, letter runs shortened, punctuation dropped, emoji kept as words."""
    normal = unicodedata.normalize("NFKC", clean(text)).casefold()
    normal = _WORD.sub(_unconfuse, normal)
    folded = _DOUBLED_VOWEL.sub(r"\1", normal).translate(_DANISH_FOLD)
    kept: list[str] = []
    for char in folded:
        if char.isalnum():
            kept.append(char)
        elif unicodedata.category(char) == "So":
            kept.append(f" {char} ")  # an emoji carries meaning (👍, 😭): keep it as a token
        else:
            kept.append(" ")
    return " ".join(_REPEATS.sub(r"\1\1", "".join(kept)).split())


def _unconfuse(match: re.Match[str]) -> str:
    word = match[0]
    lookalike = [char in _HOMOGLYPHS for char in word]
    if not any(lookalike):
        return word
    latin = any(char.isascii() and char.isalpha() for char in word)
    letters = [ok for ok, char in zip(lookalike, word, strict=True) if char.isalpha()]
    if latin or all(letters):
        return "".join(_HOMOGLYPHS.get(char, char) for char in word)
    return word


def unleet(prepared: str) -> str:
    """Digits as letters in words that also have letters ("s3lvm0rd" -> "selvmord"), for the
    safety net's phrases only: the classifier keeps "ps5" and "kl 3" as typed."""
    return " ".join(
        word.translate(_LEET) if any(c.isalpha() for c in word) else word
        for word in prepared.split()
    )


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
