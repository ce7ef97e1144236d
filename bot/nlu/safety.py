"""The safety net: does a text suggest the young person may be in danger?

Runs on every free text before anything else. A phrase from the Danish lexicon always counts;
the classifier counts from a low confidence (tuned for recall) when a word of distress is in the
text too. Known hyperbole ("død træt", "min telefon er død") is masked first, so it neither
matches the lexicon nor sways the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.nlu.features import prepare
from bot.nlu.parse import Parse

CRISIS = "crisis"
# The classifier's crisis confidence from which a text counts (measured: benchmarks/nlu.py).
CLASSIFIER_THRESHOLD = 0.2
# Beside masked hyperbole, the classifier is only asked when this many words are left.
MIN_WORDS_BESIDE_HYPERBOLE = 4
_GAP = r"(?:\s+\S+){0,3}?"  # "..." in a phrase: up to three words in between


class LexiconError(Exception):
    """The lexicon file is missing or malformed."""


@dataclass(frozen=True)
class CrisisHit:
    source: str  # "lexicon" or "classifier"
    detail: str  # the phrase that matched, or the classifier's confidence


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """`selvmord*` is a stem, `...` allows up to three words between; matched on prepared text."""
    words = prepare(phrase.replace("...", " GAP ").replace("*", "STEM")).split()
    parts: list[str] = []
    for word in words:
        if word == "gap":
            parts.append(_GAP)
            continue
        stem = word.endswith("stem")
        core = re.escape(word.removesuffix("stem"))
        parts.append((r"\s+" if parts else "") + core + (r"\w*" if stem else ""))
    if not parts or parts == [_GAP]:
        raise LexiconError(f"empty phrase: {phrase!r}")
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


@dataclass(frozen=True)
class Lexicon:
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    hyperbole: tuple[re.Pattern[str], ...]
    distress: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
            raise LexiconError(f"{path}: {error}") from None
        if not isinstance(document, dict):
            raise LexiconError(f"{path}: expected 'phrases:' and 'not_crisis:' lists")
        phrases, hyperbole, distress = (
            _texts(path, document, key, required=key == "phrases")
            for key in ("phrases", "not_crisis", "distress")
        )
        return cls(
            tuple((p, compile_phrase(p)) for p in phrases),
            tuple(compile_phrase(p) for p in hyperbole),
            tuple(compile_phrase(p) for p in distress),
        )


def _texts(path: Path, document: dict[str, object], key: str, *, required: bool) -> list[str]:
    listed = document.get(key, None if required else [])
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise LexiconError(f"{path}: '{key}' must be a list of phrases (text)")
    return listed


class SafetyNet:
    def __init__(self, lexicon: Lexicon, *, threshold: float = CLASSIFIER_THRESHOLD) -> None:
        self._lexicon = lexicon
        self.threshold = threshold

    def assess(self, text: str, parse: Parse, reparse: Callable[[str], Parse]) -> CrisisHit | None:
        prepared = prepare(text)
        masked = prepared
        for pattern in self._lexicon.hyperbole:
            masked = pattern.sub(" ", masked)
        for phrase, pattern in self._lexicon.phrases:
            if pattern.search(masked):
                return CrisisHit("lexicon", phrase)
        if masked != prepared:
            if len(masked.split()) < MIN_WORDS_BESIDE_HYPERBOLE:
                return None  # hyperbole and a few small words: the lexicon found nothing
            parse = reparse(masked)
        confidence = parse.score(CRISIS)
        leaning = parse.intent == CRISIS or confidence >= self.threshold
        if leaning and self._distressed(masked):
            return CrisisHit("classifier", f"{confidence:.2f}")
        return None

    def _distressed(self, prepared: str) -> bool:
        """A word of distress in the text (always true when the lexicon lists none)."""
        cues = self._lexicon.distress
        return not cues or any(pattern.search(prepared) for pattern in cues)
