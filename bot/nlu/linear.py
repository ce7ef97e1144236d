"""The trained text classifier as plain arrays: TF-IDF vocabularies and a linear model's weights.

Parsing needs NumPy alone. scikit-learn trains the model (bot/nlu/training.py) and this module
copies what it learned, so the running bot never loads scikit-learn or SciPy (about 70 MB and
two seconds of start-up). The n-grams are built exactly as scikit-learn's TfidfVectorizer builds
them (`char_wb` and `word` analyzers, lowercase, sublinear tf, l2 norm per vectorizer), so the
scores equal its `decision_function` (tests/bot/nlu/test_linear.py).

Saved as an .npz without pickles: loading a file from the data folder runs no code.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's whitespace normalisation for char n-grams
_TOKEN = re.compile(r"\S+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside words, each word padded with a space (as `char_wb`)."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[:n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams over non-space tokens (as `analyzer="word"`, token_pattern `\\S+`)."""
    tokens = _TOKEN.findall(text.lower())
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


ANALYZERS: dict[str, Callable[[str, int, int], list[str]]] = {
    "char_wb": char_wb_ngrams,
    "word": word_ngrams,
}


@dataclass(frozen=True)
class Vocabulary:
    """One TF-IDF vectorizer: its analyzer, n-gram range, terms (by column) and idf weights."""

    analyzer: str
    ngram_range: tuple[int, int]
    index: dict[str, int]
    idf: FloatArray

    def features(self, text: str) -> tuple[list[int], FloatArray]:
        """Columns and l2-normalised sublinear TF-IDF values of `text` (columns unsorted)."""
        low, high = self.ngram_range
        counts = Counter(ANALYZERS[self.analyzer](text, low, high))
        columns = [self.index[g] for g in counts if g in self.index]
        if not columns:
            return [], np.zeros(0)
        tf = np.array([1.0 + math.log(counts[g]) for g in counts if g in self.index])
        values: FloatArray = tf * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm else values


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF vocabularies side by side, then one linear score per class."""

    classes: tuple[str, ...]
    vocabularies: tuple[Vocabulary, ...]
    weights: FloatArray  # (features, classes): one row per column of the stacked vocabularies
    intercept: FloatArray  # (classes,)

    def decision(self, text: str) -> FloatArray:
        """The classifier's margin per class, as scikit-learn's decision_function."""
        scores: FloatArray = self.intercept.copy()
        offset = 0
        for vocabulary in self.vocabularies:
            columns, values = vocabulary.features(text)
            if columns:
                rows = np.asarray(columns, dtype=np.intp) + offset
                scores += values @ self.weights[rows]
            offset += len(vocabulary.idf)
        return scores

    def save(self, path: Path, *, meta: dict[str, Any]) -> None:
        """Write atomically (a temporary file per process, then a rename)."""
        arrays: dict[str, Any] = {
            "weights": self.weights,
            "intercept": self.intercept,
            "meta": np.array(
                json.dumps(
                    {
                        **meta,
                        "classes": list(self.classes),
                        "vocabularies": [
                            {"analyzer": v.analyzer, "ngram_range": list(v.ngram_range)}
                            for v in self.vocabularies
                        ],
                    }
                )
            ),
        }
        for number, vocabulary in enumerate(self.vocabularies):
            terms = sorted(vocabulary.index, key=vocabulary.index.__getitem__)
            arrays[f"terms{number}"] = np.array(terms, dtype=str)
            arrays[f"idf{number}"] = vocabulary.idf
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as file:
            np.savez_compressed(file, **arrays)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> tuple[LinearTextModel, dict[str, Any]]:
        """The model and the metadata saved with it. Raises OSError, ValueError, KeyError or
        zipfile.BadZipFile for a missing, truncated or foreign file."""
        with path.open("rb") as file, np.load(file, allow_pickle=False) as stored:
            meta: dict[str, Any] = json.loads(str(stored["meta"]))
            vocabularies = tuple(
                Vocabulary(
                    analyzer=spec["analyzer"],
                    ngram_range=(int(spec["ngram_range"][0]), int(spec["ngram_range"][1])),
                    index={str(t): i for i, t in enumerate(stored[f"terms{number}"])},
                    idf=np.asarray(stored[f"idf{number}"], dtype=np.float64),
                )
                for number, spec in enumerate(meta["vocabularies"])
            )
            model = cls(
                classes=tuple(str(c) for c in meta["classes"]),
                vocabularies=vocabularies,
                weights=np.ascontiguousarray(stored["weights"], dtype=np.float64),
                intercept=np.asarray(stored["intercept"], dtype=np.float64),
            )
        if model.weights.shape != (sum(len(v.idf) for v in vocabularies), len(model.classes)):
            raise ValueError(f"{path}: weights do not fit the vocabularies")
        return model, meta


def from_fitted(
    classes: Sequence[object],
    vectorizers: Sequence[Any],
    coef: FloatArray,
    intercept: FloatArray,
) -> LinearTextModel:
    """Copy fitted TfidfVectorizers and a linear classifier's coef_/intercept_ (duck-typed, so
    this module never imports scikit-learn)."""
    vocabularies = []
    for vectorizer in vectorizers:
        if not (vectorizer.lowercase and vectorizer.sublinear_tf and vectorizer.norm == "l2"):
            raise ValueError("only lowercase, sublinear, l2-normalised TF-IDF is supported")
        if vectorizer.analyzer not in ANALYZERS:
            raise ValueError(f"unsupported analyzer {vectorizer.analyzer!r}")
        if vectorizer.analyzer == "word" and vectorizer.token_pattern != _TOKEN.pattern:
            raise ValueError("word n-grams need token_pattern \\S+")
        vocabularies.append(
            Vocabulary(
                analyzer=vectorizer.analyzer,
                ngram_range=tuple(vectorizer.ngram_range),
                index={str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                idf=np.asarray(vectorizer.idf_, dtype=np.float64),
            )
        )
    weights = np.asarray(coef, dtype=np.float64)
    scores = np.asarray(intercept, dtype=np.float64)
    if len(classes) == 2:  # a binary classifier keeps one row: the second class's margin
        weights = np.vstack([-weights[0], weights[0]])
        scores = np.array([-scores[0], scores[0]])
    return LinearTextModel(
        classes=tuple(str(c) for c in classes),
        vocabularies=tuple(vocabularies),
        weights=np.ascontiguousarray(weights.T),
        intercept=scores,
    )
