"""The default interpreter: trained from nlu_data/, no server needed.

The classifier (bot/nlu/training.py) is trained with scikit-learn and parses with NumPy alone
(bot/nlu/linear.py). A saved model carries a hash of the training files and MODEL_VERSION and
is used only for exactly those: the one shipped beside nlu_data/ (`make nlu-model`), or one
the bot trained and kept in its data folder. Without a current one the bot trains in a child
process, so scikit-learn never stays in the bot's memory. Entities come from a lookup of the
values annotated in the training data, matched on word boundaries.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.nlu.data import Example, data_hash, load_examples, training_files
from bot.nlu.features import prepare, spelling_pattern
from bot.nlu.linear import FloatArray, LinearTextModel
from bot.nlu.parse import FALLBACK, Entity, IntentScore, Parse

log = logging.getLogger(__name__)

# Below this confidence the parse is a fallback (measured on the held-out set: see RESULTS).
# 0.3 with 20 intents; 26 spread the softmax thinner, and 0.27 keeps the same texts confident.
DEFAULT_THRESHOLD = 0.27
# Bump when the model, its features or its file change, so saved models from older code are
# trained again.
MODEL_VERSION = "3"  # 3: NumPy inference, .npz files; 2: prepare() does NFKC and look-alikes
RANKING_LENGTH = 5
# Scales SVM margins before the softmax (measured so the threshold separates well).
TEMPERATURE = 5.0
TRAINING_TIMEOUT = 600  # seconds for the child process that trains
SHIPPED_MODEL = "embedded-model.npz"

_memory_cache: dict[str, EmbeddedInterpreter] = {}


def confidences(scores: FloatArray) -> FloatArray:
    """The SVM's margins as a probability-like ranking (softmax with a measured temperature)."""
    scaled = scores * TEMPERATURE
    exponents: FloatArray = np.exp(scaled - scaled.max())
    normalized: FloatArray = exponents / exponents.sum()
    return normalized


# (entity, the text as annotated, the value it stands for)
LookupValue = tuple[str, str, str]


@dataclass(frozen=True)
class _Lookup:
    entity: str
    value: str
    pattern: re.Pattern[str]


class EmbeddedInterpreter:
    name = "embedded"

    def __init__(
        self,
        model: LinearTextModel,
        values: Sequence[LookupValue],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        training_seconds: float = 0.0,
    ) -> None:
        self.model = model
        self._values = tuple(values)
        self._lookups = tuple(_lookup(value) for value in self._values)
        self.threshold = threshold
        self.training_seconds = training_seconds
        self.intents: tuple[str, ...] = model.classes

    @classmethod
    def train(
        cls, examples: Sequence[Example], *, threshold: float = DEFAULT_THRESHOLD
    ) -> EmbeddedInterpreter:
        """Train with scikit-learn (imported here, on first use)."""
        from bot.nlu import training  # only to train: it imports this module to save

        started = time.perf_counter()
        model = training.fit(examples)
        return cls(
            model,
            lookup_values(examples),
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
        """The interpreter for the Rasa YAML at `path`: a model saved for the same data and code
        (in `cache_dir`, or shipped beside the data as SHIPPED_MODEL), else a new one (trained
        in a child process when there is a `cache_dir`, so this process never loads
        scikit-learn, else in this process)."""
        key = model_key(path)
        cached = (
            _memory_cache.get(key)
            or _read_saved(cache_dir, key)
            or EmbeddedInterpreter.load(shipped_model(path), key=key)
        )
        if cached is None:
            cached = _train_apart(path, cache_dir, key) or cls.train(load_examples(path))
        _memory_cache[key] = cached
        if cached.threshold == threshold:
            return cached
        return cls(
            cached.model,
            cached._values,
            threshold=threshold,
            training_seconds=cached.training_seconds,
        )

    def save(self, path: Path, *, key: str) -> None:
        """Write the model with its key and lookups (atomically; .npz, no pickles)."""
        meta = {
            "key": key,
            "lookups": [list(value) for value in self._values],
            "training_seconds": self.training_seconds,
        }
        self.model.save(path, meta=meta)

    @classmethod
    def load(cls, path: Path, *, key: str) -> EmbeddedInterpreter | None:
        """The model saved at `path` for `key`; None when it is missing, broken or stale."""
        try:
            model, meta = LinearTextModel.load(path)
            if meta.get("key") != key:
                return None
            values = [(str(e), str(s), str(v)) for e, s, v in meta["lookups"]]
            return cls(model, values, training_seconds=float(meta["training_seconds"]))
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
            return None

    def parse(self, text: str) -> Parse:
        prepared = prepare(text)
        if not prepared:
            return Parse(text, FALLBACK, 0.0)
        probabilities = confidences(self.model.decision(prepared))
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


def model_key(path: Path) -> str:
    """What a saved model must have been trained for: the training files and MODEL_VERSION."""
    return data_hash(training_files(path), MODEL_VERSION)


def shipped_model(path: Path) -> Path:
    """Where the source tree keeps the model trained on the training data at `path` (a folder,
    like nlu_data/nlu, or a file): beside it. `make nlu-model` writes it; a test fails while it
    is stale, and a stale one is never used."""
    return path.parent / SHIPPED_MODEL


def lookup_values(examples: Sequence[Example]) -> list[LookupValue]:
    """Each annotated entity text once (first value wins), longest first."""
    values: dict[tuple[str, str], str] = {}
    for example in examples:
        for annotation in example.entities:
            shown = example.text[annotation.start : annotation.end]
            values.setdefault((annotation.entity, shown.casefold()), annotation.value)
    by_length = sorted(values.items(), key=lambda item: -len(item[0][1]))
    return [(entity, shown, value) for (entity, shown), value in by_length]


def _lookup(value: LookupValue) -> _Lookup:
    entity, shown, meant = value
    pattern = re.compile(rf"(?<!\w){spelling_pattern(shown)}(?!\w)", re.IGNORECASE)
    return _Lookup(entity, meant, pattern)


def _saved_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"nlu-{key}.npz"


def _read_saved(cache_dir: Path | None, key: str) -> EmbeddedInterpreter | None:
    if cache_dir is None:
        return None
    return EmbeddedInterpreter.load(_saved_path(cache_dir, key), key=key)


def _train_apart(path: Path, cache_dir: Path | None, key: str) -> EmbeddedInterpreter | None:
    """Train in a child process that saves the model in `cache_dir`; None when there is no
    folder or the child failed (the caller then trains here: slower to shed, never lost)."""
    if cache_dir is None:
        return None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(  # noqa: S603 - our own module, by the running interpreter
            [
                sys.executable,
                "-m",
                "bot.nlu.training",
                str(path),
                str(_saved_path(cache_dir, key)),
                key,
            ],
            capture_output=True,
            timeout=TRAINING_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("training the NLU model in a child process failed: %s", type(error).__name__)
        return None
    if done.returncode != 0:
        log.warning("training the NLU model in a child process failed (exit %d)", done.returncode)
        return None
    return _read_saved(cache_dir, key)
