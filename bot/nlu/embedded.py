"""The default interpreter: trained from nlu_data/ at startup, no server needed.

TF-IDF over character n-grams (robust to typos, slang and missing æ/ø/å) and word n-grams,
then a linear classifier; chosen by measurement (benchmarks/nlu.py). Entities come from a
lookup of the values annotated in the training data, matched on word boundaries.
"""

from __future__ import annotations

import pickle
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from bot.nlu.data import Example, data_hash, load_examples, training_files
from bot.nlu.features import prepare, spelling_pattern
from bot.nlu.parse import FALLBACK, Entity, IntentScore, Parse

# Below this confidence the parse is a fallback (measured on the held-out set: see RESULTS).
# 0.3 with 20 intents; 26 spread the softmax thinner, and 0.27 keeps the same texts confident.
DEFAULT_THRESHOLD = 0.27
# Bump when the model below changes, so cached models from older code are not reused.
MODEL_VERSION = "2"  # 2: prepare() does NFKC, look-alike letters and doubled æ/ø/å
RANKING_LENGTH = 5
# Scales SVM margins before the softmax (measured so the threshold separates well).
TEMPERATURE = 5.0

_memory_cache: dict[str, EmbeddedInterpreter] = {}


def build_model() -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
                ),
            ),
        ]
    )
    classifier = LinearSVC(C=1.0, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


def confidences(scores: np.ndarray) -> np.ndarray:
    """The SVM's margins as a probability-like ranking (softmax with a measured temperature)."""
    scaled = scores * TEMPERATURE
    exponents: np.ndarray = np.exp(scaled - scaled.max())
    normalized: np.ndarray = exponents / exponents.sum()
    return normalized


@dataclass(frozen=True)
class _Lookup:
    entity: str
    value: str
    pattern: re.Pattern[str]


class EmbeddedInterpreter:
    name = "embedded"

    def __init__(
        self,
        model: Pipeline,
        lookups: Sequence[_Lookup],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        training_seconds: float = 0.0,
    ) -> None:
        self._model = model
        self._lookups = tuple(lookups)
        self.threshold = threshold
        self.training_seconds = training_seconds
        self.intents: tuple[str, ...] = tuple(str(c) for c in model.classes_)

    @classmethod
    def train(
        cls, examples: Sequence[Example], *, threshold: float = DEFAULT_THRESHOLD
    ) -> EmbeddedInterpreter:
        started = time.perf_counter()
        model = build_model()
        model.fit([prepare(e.text) for e in examples], [e.intent for e in examples])
        return cls(
            model,
            _lookups(examples),
            threshold=threshold,
            training_seconds=time.perf_counter() - started,
        )

    @classmethod
    def from_path(
        cls,
        path: Path,
        *,
        cache_dir: Path | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> EmbeddedInterpreter:
        """Train on the Rasa YAML at `path`, reusing a model trained on identical data."""
        key = data_hash(training_files(path), MODEL_VERSION, sklearn.__version__)
        cached = _memory_cache.get(key) or _read_cache(cache_dir, key)
        if cached is None:
            cached = cls.train(load_examples(path))
            _write_cache(cache_dir, key, cached)
        _memory_cache[key] = cached
        if cached.threshold == threshold:
            return cached
        return cls(
            cached._model,
            cached._lookups,
            threshold=threshold,
            training_seconds=cached.training_seconds,
        )

    def parse(self, text: str) -> Parse:
        prepared = prepare(text)
        if not prepared:
            return Parse(text, FALLBACK, 0.0)
        probabilities = confidences(self._model.decision_function([prepared])[0])
        ranked = sorted(zip(self.intents, probabilities, strict=True), key=lambda p: -p[1])
        ranking = tuple(IntentScore(n, float(p)) for n, p in ranked[:RANKING_LENGTH])
        best = ranking[0]
        intent = best.name if best.confidence >= self.threshold else FALLBACK
        return Parse(text, intent, best.confidence, ranking, self._entities(text))

    def _entities(self, text: str) -> tuple[Entity, ...]:
        found: list[Entity] = []
        taken: set[int] = set()
        for lookup in self._lookups:  # longest values first, so "i morgen tidlig" beats "i morgen"
            for match in lookup.pattern.finditer(text):
                span = set(range(match.start(), match.end()))
                if span & taken:
                    continue
                taken |= span
                found.append(Entity(lookup.entity, lookup.value, match.start(), match.end()))
        return tuple(sorted(found, key=lambda e: e.start))


def _lookups(examples: Sequence[Example]) -> list[_Lookup]:
    values: dict[tuple[str, str], str] = {}
    for example in examples:
        for annotation in example.entities:
            shown = example.text[annotation.start : annotation.end]
            values.setdefault((annotation.entity, shown.casefold()), annotation.value)
    by_length = sorted(values.items(), key=lambda item: -len(item[0][1]))
    return [
        _Lookup(
            entity,
            value,
            re.compile(rf"(?<!\w){spelling_pattern(shown)}(?!\w)", re.IGNORECASE),
        )
        for (entity, shown), value in by_length
    ]


def _read_cache(cache_dir: Path | None, key: str) -> EmbeddedInterpreter | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"nlu-{key}.pickle"
    try:
        with path.open("rb") as file:
            loaded = pickle.load(file)  # noqa: S301 - our own cache file, in our data folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return loaded if isinstance(loaded, EmbeddedInterpreter) else None


def _write_cache(cache_dir: Path | None, key: str, interpreter: EmbeddedInterpreter) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f".nlu-{key}.tmp"
        with temporary.open("wb") as file:
            pickle.dump(interpreter, file)
        temporary.replace(cache_dir / f"nlu-{key}.pickle")
    except OSError:
        pass  # a cache that cannot be written only costs the next start a second of training
