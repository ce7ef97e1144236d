"""The safety net: does a text suggest the young person may be in danger, and how surely?

Runs on every free text before anything else, and answers in two tiers:

- certain: a phrase from the lexicon, or the classifier's crisis confidence at or above the
  interpreter's `certain` threshold. The bot sends the support lines and raises an urgent alert.
- possible: the classifier at or above the lower `possible` threshold, or a distress cue from
  the lexicon. The bot asks a kind question. Two of these that agree (two cues, or a cue and
  the classifier) are certain.

Known hyperbole ("død træt", "min mor slår mig ihjel hvis ...") is masked first, so it neither
matches the lexicon nor sways the classifier; a text with masked hyperbole is never certain on
the classifier's word alone. Phrases are matched on prepared text (NFKC, look-alike letters,
æ/ø/å folded), with slang and common typos made canonical ("ik mer" is "ikke mere") and
digits read as letters ("s3lvm0rd").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.nlu.features import prepare, unleet
from bot.nlu.parse import Parse

CRISIS = "crisis"
# Beside masked hyperbole, the classifier is only asked when this many words are left.
MIN_WORDS_BESIDE_HYPERBOLE = 4
_GAP = r"(?:\s+\S+){0,3}?"  # "..." in a phrase: up to three words in between
_ALTERNATIVES = re.compile(r"\{([^{}]+)\}")  # "{skole|lektier}": one word of several
# Slang and typos of the words the phrases are made of, read as the word (on prepared text).
_CANONICAL = {
    "ik": "ikke",
    "ikk": "ikke",
    "ike": "ikke",
    "ikek": "ikke",
    "mer": "mere",
    "ka": "kan",
    "ta": "tage",
    "gidr": "gider",
    "gidder": "gider",
    "gid": "gider",
    "sel": "selv",
    "sevl": "selv",
    "vagne": "vaagne",
    "vagner": "vaagner",
    "vaagen": "vaagne",
    "ijhel": "ihjel",
    "ihjael": "ihjel",
    "ihel": "ihjel",
    "livt": "livet",
    "lev": "leve",
    "do": "doe",
    "doo": "doe",
}


@dataclass(frozen=True)
class Thresholds:
    """The classifier's crisis confidence from which a text is certain, or possible."""

    certain: float
    possible: float


# Calibrated per interpreter on tests/data/ (benchmarks/safety.py; figures and reasons in
# benchmarks/RESULTS.md). An interpreter not listed gets the lowest of each.
THRESHOLDS: Mapping[str, Thresholds] = {
    "embedded": Thresholds(certain=0.8, possible=0.4),
    # DIET's confidences are 0 or 1 (no threshold separates), and it is sure of some hyperbole:
    # on its own word a text is at most possible. The embedded classifier gives a second opinion.
    "rasa": Thresholds(certain=math.inf, possible=0.5),
}


class LexiconError(Exception):
    """The lexicon file is missing or malformed."""


@dataclass(frozen=True)
class Opinion:
    """A classifier's parse of the text, the way to parse it again, and its name."""

    interpreter: str
    parse: Parse
    reparse: Callable[[str], Parse]


@dataclass(frozen=True)
class CrisisHit:
    source: str  # "lexicon", "classifier" or "distress"
    detail: str  # the phrase or cue that matched, or the classifier's confidence
    certain: bool = True  # False: a possible crisis, the bot asks a kind question


def canonical(prepared: str) -> str:
    """Slang and typos as the words the lexicon is written in."""
    return " ".join(_CANONICAL.get(word, word) for word in prepared.split())


def compile_phrase(phrase: str, *, guard: bool = False) -> re.Pattern[str]:
    """`selvmord*` is a stem, `...` allows up to three words between, `{a|b}` is one of the
    words; matched on prepared, canonical text. A guard (hyperbole) that ends in "mig" never
    takes "mig selv": "tog livet af mig selv" is not hyperbole."""
    alternatives: list[list[str]] = []

    def hold(match: re.Match[str]) -> str:
        alternatives.append(match[1].split("|"))
        return f" altx{len(alternatives) - 1}x "

    held = _ALTERNATIVES.sub(hold, phrase)
    words = canonical(prepare(held.replace("...", " GAP ").replace("*", "STEM"))).split()
    parts: list[str] = []
    for word in words:
        if word == "gap":
            parts.append(_GAP)
            continue
        if word.startswith("altx") and word.endswith("x") and word[4:-1].isdigit():
            choices = [_word_pattern(w) for w in alternatives[int(word[4:-1])] if w.strip()]
            core = "(?:" + "|".join(choices) + ")"
        else:
            core = _word_pattern(word)
        parts.append((r"\s+" if parts else "") + core)
    if not parts or parts == [_GAP]:
        raise LexiconError(f"empty phrase: {phrase!r}")
    tail = r"(?!\s+selv(?!\w))" if guard and words[-1] == "mig" else ""
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)" + tail)


def _word_pattern(word: str) -> str:
    """One word of a phrase (a stem when it ends in `*`), prepared like the text."""
    stem = word.endswith("*") or word.endswith("stem")
    core = canonical(prepare(word.removesuffix("*"))).removesuffix("stem")
    if not core:
        raise LexiconError(f"empty word in a phrase: {word!r}")
    return re.escape(core) + (r"\w*" if stem else "")


@dataclass(frozen=True)
class Lexicon:
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    hyperbole: tuple[re.Pattern[str], ...]
    distress: tuple[tuple[str, re.Pattern[str]], ...] = ()

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
        try:
            return cls(
                tuple((p, compile_phrase(p)) for p in phrases),
                tuple(compile_phrase(p, guard=True) for p in hyperbole),
                tuple((p, compile_phrase(p)) for p in distress),
            )
        except LexiconError as error:
            raise LexiconError(f"{path}: {error}") from None


def _texts(path: Path, document: dict[str, object], key: str, *, required: bool) -> list[str]:
    listed = document.get(key, None if required else [])
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise LexiconError(f"{path}: '{key}' must be a list of phrases (text)")
    return listed


class SafetyNet:
    def __init__(
        self, lexicon: Lexicon, *, thresholds: Mapping[str, Thresholds] = THRESHOLDS
    ) -> None:
        self._lexicon = lexicon
        self._thresholds = dict(thresholds)
        self._unknown = Thresholds(
            certain=min((t.certain for t in thresholds.values()), default=0.8),
            possible=min((t.possible for t in thresholds.values()), default=0.4),
        )

    def thresholds(self, interpreter: str) -> Thresholds:
        return self._thresholds.get(interpreter, self._unknown)

    def assess(
        self,
        text: str,
        parse: Parse,
        reparse: Callable[[str], Parse],
        *,
        interpreter: str = "embedded",
        second: Opinion | None = None,
    ) -> CrisisHit | None:
        """`parse` is the interpreter's parse of `text`; `reparse` parses the text again with
        the hyperbole masked out; `interpreter` names the one that parsed (for its thresholds).
        A `second` opinion (the embedded classifier beside Rasa) counts the same way, with
        its own thresholds: the stronger of the two decides."""
        prepared = prepare(text)
        masked = self._mask(prepared)
        # The phrases see slang and typos as words, and digits as letters ("s3lvm0rd").
        readings = {masked, self._mask(unleet(prepared))}
        for phrase, pattern in self._lexicon.phrases:
            if any(pattern.search(reading) for reading in readings):
                return CrisisHit("lexicon", phrase, certain=True)
        guarded = masked != canonical(prepared)
        opinions = [Opinion(interpreter, parse, reparse), *([second] if second else [])]
        # (confidence, reached certain, reached possible) per classifier
        verdicts = [self._classify(o, masked, guarded=guarded) for o in opinions]
        confidence = max(v[0] for v in verdicts)
        sure = any(v[1] for v in verdicts)
        leaning = any(v[2] for v in verdicts)
        cues = [
            cue
            for cue, pattern in self._lexicon.distress
            if any(pattern.search(reading) for reading in readings)
        ]
        if not guarded and sure:
            return CrisisHit("classifier", f"{confidence:.2f}", certain=True)
        if not guarded and (len(cues) >= 2 or (cues and leaning)):
            # Two signals that agree: two cues ("tak for alt" + "ikke jeres skyld"), or a cue
            # and the classifier.
            agreeing = cues[:2] if len(cues) >= 2 else [cues[0], f"{confidence:.2f}"]
            return CrisisHit("distress", " + ".join(agreeing), certain=True)
        if leaning:
            # Beside hyperbole the classifier is never certain.
            return CrisisHit("classifier", f"{confidence:.2f}", certain=False)
        if cues:
            return CrisisHit("distress", cues[0], certain=False)
        return None

    def _classify(
        self, opinion: Opinion, masked: str, *, guarded: bool
    ) -> tuple[float, bool, bool]:
        """One classifier's crisis confidence, and whether it reaches its certain and possible
        thresholds. Beside hyperbole it reads what is left, if there is enough of it."""
        confidence = 0.0
        if not guarded:
            confidence = opinion.parse.score(CRISIS)
        elif len(masked.split()) >= MIN_WORDS_BESIDE_HYPERBOLE:
            confidence = opinion.reparse(masked).score(CRISIS)
        limits = self.thresholds(opinion.interpreter)
        return confidence, confidence >= limits.certain, confidence >= limits.possible

    def _mask(self, prepared: str) -> str:
        masked = canonical(prepared)
        for pattern in self._lexicon.hyperbole:
            masked = pattern.sub(" ", masked)
        return " ".join(masked.split())
