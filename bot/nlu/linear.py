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
# The weights are kept in single precision: 19,000 x 26 of them, 4 MB as doubles in every bot
# process. Scores stay within 1e-5 of scikit-learn's and every held-out figure is the same.
WeightArray = npt.NDArray[np.float32]

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


StrArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Terms:
    """A vocabulary's terms and their columns, as two arrays: the terms sorted, and the column
    of each. A dict of the ~19,000 terms as Python strings held 2.2 MB of the bot process; these
    arrays hold 0.4 MB and are looked up in one vectorised search per text."""

    ordered: StrArray  # sorted
    columns: IntArray  # the column of each term in `ordered`

    @classmethod
    def by_column(cls, terms: StrArray) -> Terms:
        """From the terms in column order (as saved)."""
        order = np.argsort(terms, kind="stable")
        return cls(ordered=terms[order], columns=order.astype(np.intp))

    @classmethod
    def of(cls, index: dict[str, int]) -> Terms:
        terms = [""] * len(index)
        for term, column in index.items():
            terms[column] = term
        return cls.by_column(np.array(terms, dtype=str))

    def __len__(self) -> int:
        return len(self.ordered)

    def in_column_order(self) -> StrArray:
        terms = np.empty_like(self.ordered)
        terms[self.columns] = self.ordered
        return terms

    def lookup(self, grams: list[str]) -> tuple[npt.NDArray[np.bool_], IntArray]:
        """Which of `grams` are terms, and the columns of those that are."""
        probe = np.array(grams, dtype=str)
        at = np.minimum(np.searchsorted(self.ordered, probe), len(self.ordered) - 1)
        found: npt.NDArray[np.bool_] = self.ordered[at] == probe
        return found, self.columns[at[found]]


@dataclass(frozen=True)
class Vocabulary:
    """One TF-IDF vectorizer: its analyzer, n-gram range, terms (with columns) and idf weights."""

    analyzer: str
    ngram_range: tuple[int, int]
    terms: Terms
    idf: FloatArray

    def features(self, text: str) -> tuple[IntArray, FloatArray]:
        """Columns and l2-normalised sublinear TF-IDF values of `text` (columns unsorted)."""
        low, high = self.ngram_range
        counts = Counter(ANALYZERS[self.analyzer](text, low, high))
        if not counts or not len(self.terms):
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        found, columns = self.terms.lookup(list(counts))
        if not columns.size:
            return columns, np.zeros(0)
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values: FloatArray = tf[found] * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm else values


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF vocabularies side by side, then one linear score per class."""

    classes: tuple[str, ...]
    vocabularies: tuple[Vocabulary, ...]
    weights: WeightArray  # (features, classes): one row per column of the stacked vocabularies
    intercept: FloatArray  # (classes,)

    def decision(self, text: str) -> FloatArray:
        """The classifier's margin per class, as scikit-learn's decision_function."""
        scores: FloatArray = self.intercept.copy()
        offset = 0
        for vocabulary in self.vocabularies:
            columns, values = vocabulary.features(text)
            if columns.size:
                scores += values @ self.weights[columns + offset]
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
            arrays[f"terms{number}"] = vocabulary.terms.in_column_order()
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
                    terms=Terms.by_column(np.asarray(stored[f"terms{number}"], dtype=str)),
                    idf=np.asarray(stored[f"idf{number}"], dtype=np.float64),
                )
                for number, spec in enumerate(meta["vocabularies"])
            )
            model = cls(
                classes=tuple(str(c) for c in meta["classes"]),
                vocabularies=vocabularies,
                weights=np.ascontiguousarray(stored["weights"], dtype=np.float32),
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
                terms=Terms.of({str(t): int(i) for t, i in vectorizer.vocabulary_.items()}),
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
        weights=np.ascontiguousarray(weights.T, dtype=np.float32),
        intercept=scores,
    )
