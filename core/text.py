"""Pure text helpers: cleaning what a young person types and matching it to words."""

from __future__ import annotations

import re
import unicodedata

# Characters that are invisible or only steer direction (zero-width, bidi marks and overrides).
_INVISIBLE = dict.fromkeys(
    [
        *(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_NOT_WORD = re.compile(r"[^\w]+")


def clean(text: str) -> str:
    """Text as typed, without invisible characters and outer white space."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).strip()


def normalize(text: str) -> str:
    """A matching key: lowercase, æ/ø/å folded to ae/oe/aa, only letters and digits kept.

    "Hele tiden!! 😊" and "hele  tiden" give the same key; so do "fortsæt" and "fortsaet".
    """
    folded = clean(text).casefold().translate(_DANISH_FOLD)
    return " ".join(_NOT_WORD.sub(" ", folded).replace("_", " ").split())


_REPEATED = re.compile(r"([^\W\d])\1{2,}")


def fold(text: str) -> str:
    """A looser matching key than `normalize`: accents dropped ("én" is "en") and a letter
    typed three or more times in a row counted once ("heeele" is "hele").

    Letters doubled on purpose survive, so "baade" (for "både") still matches.
    """
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Compatibility forms can bring signs back ("½" has a fraction slash): letters, digits only.
    return " ".join(_NOT_WORD.sub(" ", _REPEATED.sub(r"\1", plain)).split())
