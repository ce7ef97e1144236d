"""Training of the embedded interpreter's classifier with scikit-learn.

TF-IDF over character n-grams (robust to typos, slang and missing æ/ø/å) and word n-grams,
then a linear SVM; chosen by measurement (benchmarks/nlu.py). Only training imports
scikit-learn; what it learned is copied into a NumPy-only LinearTextModel for parsing.

Run as a program it trains on a folder and saves the model for a key (by default the data's
own), so a bot starting without a current model trains in a short-lived child process and
never holds scikit-learn; `make nlu-model` writes the model shipped beside nlu_data/:

    python -m bot.nlu.training DATA_DIR [OUT_FILE [KEY]]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.nlu.data import Example
from bot.nlu.features import prepare
from bot.nlu.linear import LinearTextModel, from_fitted

CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
SVM_C = 1.0


def build_model() -> Any:
    """The scikit-learn pipeline (untrained); imports scikit-learn."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=WORD_NGRAMS,
                    sublinear_tf=True,
                    token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
                ),
            ),
        ]
    )
    classifier = LinearSVC(C=SVM_C, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


def fit_pipeline(examples: Sequence[Example]) -> Any:
    """The fitted scikit-learn pipeline (the reference the NumPy model is tested against)."""
    pipeline = build_model()
    pipeline.fit([prepare(e.text) for e in examples], [e.intent for e in examples])
    return pipeline


def export(pipeline: Any) -> LinearTextModel:
    """What a fitted pipeline learned, as arrays."""
    vectorizers = [
        vectorizer for _, vectorizer in pipeline.named_steps["features"].transformer_list
    ]
    classifier = pipeline.named_steps["classifier"]
    return from_fitted(classifier.classes_, vectorizers, classifier.coef_, classifier.intercept_)


def fit(examples: Sequence[Example]) -> LinearTextModel:
    return export(fit_pipeline(examples))


def main() -> None:
    from bot.nlu.data import load_examples
    from bot.nlu.embedded import (  # embedded imports this module
        EmbeddedInterpreter,
        model_key,
        shipped_model,
    )

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path, nargs="?", help="default: the shipped model's place")
    parser.add_argument("key", nargs="?", help="default: the hash of DATA and MODEL_VERSION")
    args = parser.parse_args()
    out = args.out or shipped_model(args.data)
    key = args.key or model_key(args.data)
    EmbeddedInterpreter.train(load_examples(args.data)).save(out, key=key)


if __name__ == "__main__":
    main()
