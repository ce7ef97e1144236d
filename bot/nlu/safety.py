"""The safety net: does a text suggest the young person may be in danger, and how surely?

Runs on every free text before anything else, and answers in two tiers:

- certain: a phrase from the lexicon (explicit suicidal or self-harm words, a wish to die,
  plans and means), or a farewell letter ("det er ikke jeres skyld" beside a goodbye). The bot
  sends the support lines and raises an urgent alert.
- possible: the classifier's crisis confidence at or above the interpreter's threshold, or a
  distress cue from the lexicon's `possible:` list (exhaustion, hopelessness, a burden,
  "forsvinde"). The bot asks directly and kindly whether they think of hurting themselves.

The classifier is never certain, however sure, and neither are two signals that agree: venting
("jeg orker ikke mere", "jeg hader mit liv") reads as a crisis to it (0.99 for "jeg ville
ønske jeg bare kunne forsvinde"), and the practice is to ask, not to report. Only the words of
the lexicon make a text certain.

Known hyperbole ("død træt", "min mor slår mig ihjel hvis ...") is masked first, so it neither
matches the lexicon nor sways the classifier. Phrases are matched on prepared text (NFKC,
look-alike letters, æ/ø/å folded), with slang and common typos made canonical ("ik mer" is
"ikke mere") and digits read as letters ("s3lvm0rd").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from bot.errors import LexiconError
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
    """The classifier's crisis confidence from which a text is a possible crisis."""

    possible: float


# Calibrated per interpreter on tests/data/ (benchmarks/safety.py; figures and reasons in
# benchmarks/RESULTS.md). An interpreter not listed gets the lowest.
THRESHOLDS: Mapping[str, Thresholds] = {
    "embedded": Thresholds(possible=0.4),
    # DIET's confidences are 0 or 1 and it is sure of some hyperbole; the embedded classifier
    # gives a second opinion beside it.
    "rasa": Thresholds(possible=0.5),
}


@dataclass(frozen=True)
class Opinion:
    """A classifier's parse of the text, the way to parse it again, and its name."""

    interpreter: str
    parse: Parse
    reparse: Callable[[str], Parse]


@dataclass(frozen=True)
class CrisisHit:
    source: str  # "lexicon" (a phrase or a farewell letter), "distress" (a cue) or "classifier"
    detail: str  # the phrase or cue that matched, or the classifier's confidence
    certain: bool = True  # False: a possible crisis, the bot asks a kind question


def canonical(prepared: str) -> str:
    """Slang and typos as the words the lexicon is written in."""
    return " ".join(_CANONICAL.get(word, word) for word in prepared.split())


def compile_phrase(phrase: str, *, guard: bool = False) -> re.Pattern[str]:
    """`selvmord*` is a stem, `...` allows up to three words between, `{a|b}` is one of the
    words; matched on prepared, canonical text. A guard (hyperbole) that ends in "mig" never
    takes "mig selv": "tog livet af mig selv" is not hyperbole."""
    return re.compile(_phrase_source(phrase, guard=guard)[0])


class PhrasePattern:
    """A phrase's pattern, compiled the first time a text holds every one of its words.

    Compiling the lexicon's 510 patterns took 0.15-0.3 s of every start, and most of them never
    see a text that holds their words. A text without one of a phrase's words (the literal
    part of each word, or of one of its alternatives) cannot match the pattern, so the answer
    without it is the compiled pattern's answer: no match, nothing replaced."""

    __slots__ = ("_compiled", "choices", "source", "words")

    def __init__(self, source: str, needed: tuple[tuple[str, ...], ...]) -> None:
        self.source = source
        # What a text must hold: every one of `words`, and one spelling of each of `choices`.
        # The longest words first: the likeliest to be missing, so a text is turned down soonest.
        self.words = tuple(sorted({s[0] for s in needed if len(s) == 1}, key=len, reverse=True))
        self.choices = tuple(s for s in needed if len(s) > 1)
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern().search(text) if self._may_match(text) else None

    def sub(self, replacement: str, text: str) -> str:
        return self._pattern().sub(replacement, text) if self._may_match(text) else text

    def _may_match(self, text: str) -> bool:
        # Loops, not all(any(...)): this runs for every phrase on every text, mostly to say no.
        for word in self.words:
            if word not in text:
                return False
        for spellings in self.choices:  # noqa: SIM110
            if not any(spelling in text for spelling in spellings):
                return False
        return True

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled


def lazy_phrase(phrase: str, *, guard: bool = False) -> PhrasePattern:
    """`compile_phrase`, compiled when first needed."""
    return PhrasePattern(*_phrase_source(phrase, guard=guard))


def _phrase_source(phrase: str, *, guard: bool) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """The pattern of a phrase, and the literal text each of its words needs (one of several
    for `{a|b}`; the stem of `word*`)."""
    alternatives: list[list[str]] = []

    def hold(match: re.Match[str]) -> str:
        alternatives.append(match[1].split("|"))
        return f" altx{len(alternatives) - 1}x "

    held = _ALTERNATIVES.sub(hold, phrase)
    words = canonical(prepare(held.replace("...", " GAP ").replace("*", "STEM"))).split()
    parts: list[str] = []
    needed: list[tuple[str, ...]] = []
    for word in words:
        if word == "gap":
            parts.append(_GAP)
            continue
        if word.startswith("altx") and word.endswith("x") and word[4:-1].isdigit():
            choices = [_word(w) for w in alternatives[int(word[4:-1])] if w.strip()]
            core = "(?:" + "|".join(pattern for pattern, _ in choices) + ")"
            # `{ | }` has no word to look for: its empty pattern matches anywhere.
            needed.append(tuple(literal for _, literal in choices) or ("",))
        else:
            core, literal = _word(word)
            needed.append((literal,))
        parts.append((r"\s+" if parts else "") + core)
    if not parts or parts == [_GAP]:
        raise LexiconError(f"empty phrase: {phrase!r}")
    tail = r"(?!\s+selv(?!\w))" if guard and words[-1] == "mig" else ""
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)" + tail, tuple(needed)


@functools.cache  # the lexicon's 510 phrases share their words
def _word(word: str) -> tuple[str, str]:
    """One word of a phrase (a stem when it ends in `*`), prepared like the text: its pattern
    and the literal text it matches (all of it, or the stem's start)."""
    stem = word.endswith("*") or word.endswith("stem")
    core = canonical(prepare(word.removesuffix("*"))).removesuffix("stem")
    if not core:
        raise LexiconError(f"empty word in a phrase: {word!r}")
    return re.escape(core) + (r"\w*" if stem else ""), core


class Matcher(Protocol):
    """A compiled phrase: a `re.Pattern`, or a `PhrasePattern` that compiles when needed."""

    def search(self, text: str, /) -> re.Match[str] | None: ...

    def sub(self, replacement: str, text: str, /) -> str: ...


Phrases = tuple[tuple[str, Matcher], ...]


@dataclass(frozen=True)
class Farewell:
    """A farewell letter: a "not your fault" phrase and a goodbye in the same text."""

    not_your_fault: Phrases = ()
    goodbye: Phrases = ()


@dataclass(frozen=True)
class Lexicon:
    phrases: Phrases  # certain
    hyperbole: tuple[Matcher, ...]
    possible: Phrases = ()  # distress cues
    farewell: Farewell = Farewell()

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        try:
            document = _read_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
            raise LexiconError(f"{path}: {error}") from None
        if not isinstance(document, dict):
            raise LexiconError(f"{path}: expected 'phrases:' and 'not_crisis:' lists")
        farewell = document.get("farewell", {})
        if not isinstance(farewell, dict):
            raise LexiconError(f"{path}: 'farewell' must hold 'not_your_fault:' and 'goodbye:'")
        try:
            return cls(
                _compiled(path, document, "phrases", required=True),
                tuple(lazy_phrase(p, guard=True) for p in _texts(path, document, "not_crisis")),
                _compiled(path, document, "possible"),
                Farewell(
                    _compiled(path, farewell, "not_your_fault", within="farewell"),
                    _compiled(path, farewell, "goodbye", within="farewell"),
                ),
            )
        except LexiconError as error:
            raise LexiconError(f"{path}: {error}") from None


# libyaml's loader reads the lexicon four times faster than PyYAML's own, where it is installed.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.safe_load(text)  # raises again, with the line and column PyYAML gives


def _compiled(
    path: Path, document: dict[str, object], key: str, *, required: bool = False, within: str = ""
) -> Phrases:
    return tuple(
        (p, lazy_phrase(p)) for p in _texts(path, document, key, required=required, within=within)
    )


def _texts(
    path: Path, document: dict[str, object], key: str, *, required: bool = False, within: str = ""
) -> list[str]:
    listed = document.get(key, None if required else [])
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        name = f"{within}.{key}" if within else key
        raise LexiconError(f"{path}: '{name}' must be a list of phrases (text)")
    return listed


class SafetyNet:
    def __init__(
        self, lexicon: Lexicon, *, thresholds: Mapping[str, Thresholds] = THRESHOLDS
    ) -> None:
        self._lexicon = lexicon
        self._thresholds = dict(thresholds)
        self._unknown = Thresholds(
            possible=min((t.possible for t in thresholds.values()), default=0.4)
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
        the hyperbole masked out; `interpreter` names the one that parsed (for its threshold).
        A `second` opinion (the embedded classifier beside Rasa) counts the same way, with
        its own threshold."""
        prepared = prepare(text)
        masked = self._mask(prepared)
        # The phrases see slang and typos as words, and digits as letters ("s3lvm0rd").
        readings = {masked, self._mask(unleet(prepared))}
        phrase = _first(self._lexicon.phrases, readings)
        if phrase is not None:
            return CrisisHit("lexicon", phrase, certain=True)
        letter = self._farewell_letter(readings)
        if letter is not None:
            return CrisisHit("lexicon", letter, certain=True)
        guarded = masked != canonical(prepared)
        opinions = [Opinion(interpreter, parse, reparse), *([second] if second else [])]
        scores = [(o, self._confidence(o, masked, guarded=guarded)) for o in opinions]
        confidence = max(score for _, score in scores)
        leaning = any(score >= self.thresholds(o.interpreter).possible for o, score in scores)
        cue = _first(self._lexicon.possible, readings)
        # A cue, the classifier, or both: the bot asks. A cue is named first, so an answer the
        # step expects ("lidt af tiden") is only let through on the classifier's word alone.
        if cue is not None:
            detail = f"{cue} + {confidence:.2f}" if leaning else cue
            return CrisisHit("distress", detail, certain=False)
        if leaning:
            return CrisisHit("classifier", f"{confidence:.2f}", certain=False)
        return None

    def _farewell_letter(self, readings: set[str]) -> str | None:
        """The two phrases of a farewell letter, when the text holds both."""
        farewell = self._lexicon.farewell
        fault = _first(farewell.not_your_fault, readings)
        goodbye = _first(farewell.goodbye, readings)
        return f"{fault} + {goodbye}" if fault and goodbye else None

    def _confidence(self, opinion: Opinion, masked: str, *, guarded: bool) -> float:
        """One classifier's crisis confidence. Beside hyperbole it reads what is left, if there
        is enough of it."""
        if not guarded:
            return opinion.parse.score(CRISIS)
        if len(masked.split()) >= MIN_WORDS_BESIDE_HYPERBOLE:
            return opinion.reparse(masked).score(CRISIS)
        return 0.0

    def _mask(self, prepared: str) -> str:
        masked = canonical(prepared)
        for pattern in self._lexicon.hyperbole:
            masked = pattern.sub(" ", masked)
        return " ".join(masked.split())


def _first(phrases: Phrases, readings: set[str]) -> str | None:
    """The first phrase found in any reading of the text."""
    for phrase, pattern in phrases:
        if any(pattern.search(reading) for reading in readings):
            return phrase
    return None
