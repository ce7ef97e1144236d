"""What a typed answer to a check-in question means: a scale value, or why there is none.

Pure and deterministic. Read in this order, and never guessing between two options:

1. Numbers: digits or Danish number words ("fem", "en 4'er", "ca 3", "5 vel", "4 ud af 5").
   Two numbers ("4 eller 5", "3-4", "3,5") are unsure; a number off the scale is out of range;
   a number in a sentence about something else ("fem minutter") is no answer.
2. Words: a label or synonym, exactly; then a part of one ("meste af tiden", "halvdelen");
   then the nearest label by edit distance (rapidfuzz), so typos work ("hele tidn").
   Small words that do not change the answer may stand around it ("hele tiden tror jeg").
   A negation must be in the label too: "ikke altid" is never "altid".
3. "Ved ikke" and its kin are their own reading: never a value.

Two options equally near (or a number and words that disagree) make the reading unsure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.nlu.answer_words import (
    ALONE_NUMBER_WORDS,
    CONNECTORS,
    DONT_KNOW,
    FILLERS,
    NEGATION,
    NEGATION_SPELLINGS,
    NUMBER_WORDS,
    STOPWORDS,
)
from core.content import Questionnaire
from core.text import clean, fold


@dataclass(frozen=True, slots=True)
class Chosen:
    value: int


@dataclass(frozen=True, slots=True)
class Unsure:
    """Two or more options fit equally well; `values` in the scale's order."""

    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OutOfRange:
    number: int


@dataclass(frozen=True, slots=True)
class DontKnow:
    pass


@dataclass(frozen=True, slots=True)
class NoAnswer:
    pass


Reading = Chosen | Unsure | OutOfRange | DontKnow | NoAnswer


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a scale as the reader sees it: its value and the phrases that mean it."""

    value: int
    phrases: tuple[str, ...]


# "4er", "3eren": a digit with the colloquial ending typed on.
_DIGIT_TOKEN = re.compile(r"(\d{1,3})(?:er|eren|ere)?")
_LONG_NUMBER = re.compile(r"\d{4,}")
_NEGATIVE = re.compile(r"^\s*[-−]\s*(\d{1,3})\b")
_DECIMAL = re.compile(r"(\d+)\s*[.,]\s*(\d+)")
_SLASH = re.compile(r"(\d+)\s*/\s*(\d+)")
# A part of a label counts when it is at least this share of it (and not only STOPWORDS).
MIN_PART_SHARE = 0.4
# An answer is short: a longer text is about something else (and is cheap to turn down).
MAX_WORDS = 12
MAX_SPLIT_WORDS = 6
# The pseudo-value of "ved ikke" among the options.
_DONT_KNOW = -1


def allowed_edits(phrase: str) -> int:
    """How many typos a phrase of this length tolerates: none in a short word ("lit" is not
    "lidt"), one in a word, two or three in a longer label."""
    length = len(phrase)
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    if length <= 15:
        return 2
    return 3


@dataclass(frozen=True, slots=True)
class _Phrase:
    key: str
    value: int


class TypedAnswers:
    """The reader for one scale. Build it with `reader(...)`, which caches it."""

    def __init__(self, choices: Sequence[Choice], *, dont_know: Iterable[str] = DONT_KNOW) -> None:
        self._order = tuple(choice.value for choice in choices)
        self._high = max(self._order)
        whole: list[_Phrase] = []
        for choice in choices:
            whole.extend(_Phrase(_key(phrase), choice.value) for phrase in choice.phrases)
        self._exact: dict[str, set[int]] = {}
        for phrase in whole:
            self._exact.setdefault(phrase.key, set()).add(phrase.value)
        self._parts: dict[str, set[int]] = {}
        for phrase in whole:
            for part in _parts(phrase.key):
                self._parts.setdefault(part, set()).add(phrase.value)
        self._dont_know = {_key(words) for words in dont_know}
        near = [
            *whole,
            *(_Phrase(key, value) for key, values in self._parts.items() for value in values),
        ]
        near.extend(_Phrase(key, _DONT_KNOW) for key in self._dont_know)
        self._near = tuple(near)

    def read(self, text: str) -> Reading:
        raw = clean(text).casefold()
        whole = _key(raw)
        if whole in self._exact:  # a label or synonym as it is, even with a number word in it
            return self._result(self._exact[whole])
        signed = _NEGATIVE.match(raw) or _DECIMAL.search(raw)
        if signed:
            # "-1", "3,5": only when nothing else is said ("kl. 14.30" is about something else).
            rest = _key(raw[: signed.start()] + " " + raw[signed.end() :]).split()
            if any(word not in FILLERS for word in rest):
                return NoAnswer()
            if signed.re is _NEGATIVE:
                return OutOfRange(-int(signed.group(1)))
            return self._between(int(signed.group(1)))
        tokens = _key(_SLASH.sub(r"\1 af \2", raw)).split()
        if not tokens or len(tokens) > MAX_WORDS:
            return NoAnswer()
        if raw.rstrip().endswith("?") and _strip_fillers(tokens) != tokens:
            # A label asked back is an answer ("det meste?"); a question around one is not
            # ("er det hele tiden?").
            return self._known(" ".join(tokens)) or NoAnswer()
        numbers = self._numbers(tokens)
        if numbers is not None:
            return numbers
        return self._words(tokens)

    # --- numbers --------------------------------------------------------------------------

    def _numbers(self, tokens: list[str]) -> Reading | None:
        """The reading of a text with numbers in it, or None when it has none."""
        if len(tokens) == 1 and tokens[0] in ALONE_NUMBER_WORDS:
            return self._number(ALONE_NUMBER_WORDS[tokens[0]])
        if any(_LONG_NUMBER.fullmatch(token) for token in tokens):
            return NoAnswer()
        tokens = self._drop_out_of(tokens)
        values: list[int] = []
        rest: list[str] = []
        for token in tokens:
            number = _number_of(token)
            if number is None:
                rest.append(token)
            elif number not in values:
                values.append(number)
        if not values:
            return None
        if NEGATION in rest:
            return NoAnswer()
        if len(values) > 1:
            if any(word not in FILLERS | CONNECTORS for word in rest):
                return NoAnswer()
            inside = tuple(v for v in self._order if v in values)
            return Unsure(inside) if len(inside) == len(values) else NoAnswer()
        [value] = values
        meaningful = [word for word in rest if word not in FILLERS]
        if not meaningful:
            return self._number(value)
        words = self._words(rest)
        if not isinstance(words, Chosen) or self._number(value) != Chosen(value):
            return NoAnswer()
        if words.value == value:
            return words
        return Unsure(tuple(v for v in self._order if v in (value, words.value)))

    def _drop_out_of(self, tokens: list[str]) -> list[str]:
        """ "4 ud af 5", "fem af fem", "3/5": the last part names the scale, not an answer."""
        kept = list(tokens)
        for index in range(len(kept) - 1, 0, -1):
            if kept[index - 1] == "af" and _number_of(kept[index]) == self._high:
                start = index - 2 if index >= 2 and kept[index - 2] == "ud" else index - 1
                if start > 0 and _number_of(kept[start - 1]) is not None:
                    del kept[start : index + 1]
                    break
        return kept

    def _number(self, value: int) -> Reading:
        return Chosen(value) if value in self._order else OutOfRange(value)

    def _between(self, whole: int) -> Reading:
        """ "3,5": between two options, so unsure; off the scale, out of range."""
        if whole in self._order and whole + 1 in self._order:
            return Unsure(tuple(v for v in self._order if v in (whole, whole + 1)))
        return OutOfRange(whole) if whole not in self._order else NoAnswer()

    # --- words ----------------------------------------------------------------------------

    def _words(self, tokens: list[str], *, split: bool = True) -> Reading:
        if "eller" in tokens:
            return self._either(tokens)
        key = " ".join(tokens)
        found = self._known(key)
        if found is not None:
            return found
        core = _strip_fillers(tokens)
        if not core:
            return NoAnswer()
        key = " ".join(core)
        found = self._known(key) or self._nearest(key)
        if isinstance(found, NoAnswer) and split:
            return self._two_answers(core)
        return found

    def _two_answers(self, tokens: list[str]) -> Reading:
        """Two answers in a row: "nej slet ikke" is one answer said twice; "godt og skidt"
        names two, so it is unsure. Anything left over makes it no answer."""
        if len(tokens) > MAX_SPLIT_WORDS:
            return NoAnswer()
        for cut in range(1, len(tokens)):
            left, right = tokens[:cut], tokens[cut:]
            if right[0] == "og":
                right = right[1:]
            if not right:
                continue
            first = self._words(left, split=False)
            second = self._words(right, split=False)
            if isinstance(first, Chosen) and isinstance(second, Chosen):
                return self._result({first.value, second.value})
        return NoAnswer()

    def _either(self, tokens: list[str]) -> Reading:
        """ "hele tiden eller det meste": each side read alone; two answers are unsure."""
        sides: list[list[str]] = [[]]
        for word in tokens:
            if word == "eller":
                sides.append([])
            else:
                sides[-1].append(word)
        values: set[int] = set()
        for side in sides:
            reading = self._words(side) if side else NoAnswer()
            if not isinstance(reading, Chosen):
                return NoAnswer()
            values.add(reading.value)
        return self._result(values)

    def _known(self, key: str) -> Reading | None:
        """A whole phrase or a meaningful part of one, exactly."""
        if key in self._dont_know:
            return DontKnow()
        for table in (self._exact, self._parts):
            if key in table:
                return self._result(table[key])
        return None

    def _nearest(self, key: str) -> Reading:
        negated = NEGATION in key.split()
        best: dict[int, int] = {}
        for phrase in self._near:
            if (NEGATION in phrase.key.split()) != negated:
                continue
            limit = allowed_edits(phrase.key)
            distance = OSA.distance(key, phrase.key, score_cutoff=limit)
            if distance <= limit and distance < best.get(phrase.value, limit + 1):
                best[phrase.value] = distance
        if not best:
            return NoAnswer()
        nearest = min(best.values())
        values = {value for value, distance in best.items() if distance == nearest}
        if values == {_DONT_KNOW}:
            return DontKnow()
        if _DONT_KNOW in values:
            return NoAnswer()
        return self._result(values)

    def _result(self, values: set[int]) -> Reading:
        if len(values) == 1:
            [value] = values
            return DontKnow() if value == _DONT_KNOW else Chosen(value)
        return Unsure(tuple(v for v in self._order if v in values))


def _key(text: str) -> str:
    """The matching key of a text: folded, with every spelling of "ikke" as "ikke"."""
    return " ".join(NEGATION_SPELLINGS.get(word, word) for word in fold(text).split())


def _number_of(token: str) -> int | None:
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    digits = _DIGIT_TOKEN.fullmatch(token)
    return int(digits.group(1)) if digits else None


def _strip_fillers(tokens: list[str]) -> list[str]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] in FILLERS:
        start += 1
    while end > start and tokens[end - 1] in FILLERS:
        end -= 1
    return tokens[start:end]


def _parts(key: str) -> Iterable[str]:
    """The runs of whole words of a phrase that carry enough of its meaning: "meste af tiden"
    of "det meste af tiden", "halvdelen" of "mere end halvdelen"; a negation is kept."""
    words = key.split()
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            if (start, end) == (0, len(words)):
                continue
            part = words[start:end]
            text = " ".join(part)
            if all(word in STOPWORDS for word in part):
                continue
            if NEGATION in words and NEGATION not in part:
                continue  # "rigtig" is not "ikke rigtig", "så godt" not "ikke så godt"
            if len(text) >= MIN_PART_SHARE * len(key):
                yield text


@functools.lru_cache(maxsize=32)
def reader(choices: tuple[Choice, ...]) -> TypedAnswers:
    """The reader for a scale, built once per scale."""
    return TypedAnswers(choices)


def read_answer(questionnaire: Questionnaire, text: str) -> Reading:
    """What a typed text says about a question of `questionnaire`: a value, or why not."""
    choices = tuple(
        Choice(option.value, (option.label, *option.synonyms)) for option in questionnaire.scale
    )
    return reader(choices).read(text)
