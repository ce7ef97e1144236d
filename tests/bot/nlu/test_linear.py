"""The NumPy model parses exactly as the scikit-learn pipeline it was copied from, and a saved
model is used only for the data and code it was trained on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from bot.nlu import EmbeddedInterpreter
from bot.nlu.build import DEFAULT_NLU_DIR
from bot.nlu.data import load_examples
from bot.nlu.embedded import model_key, shipped_model
from bot.nlu.evaluate import EVERYDAY, HELD_OUT
from bot.nlu.features import prepare
from bot.nlu.linear import LinearTextModel, char_wb_ngrams, word_ngrams
from bot.nlu.training import export, fit_pipeline

TRAINING = DEFAULT_NLU_DIR / "nlu"


@pytest.fixture(scope="module")
def pipeline():
    return fit_pipeline(load_examples(TRAINING))


def held_out_texts() -> list[str]:
    return [prepare(e.text) for e in load_examples(HELD_OUT) + load_examples(EVERYDAY)]


def test_numpy_scores_equal_scikit_learns_on_the_held_out_set(pipeline):
    model = export(pipeline)
    texts = [t for t in held_out_texts() if t]
    expected = pipeline.decision_function(texts)
    found = np.array([model.decision(text) for text in texts])
    assert len(texts) >= 600  # 420 held out + the everyday set
    assert model.classes == tuple(pipeline.classes_)
    np.testing.assert_allclose(found, expected, rtol=0, atol=1e-5)  # weights in float32
    assert list(pipeline.predict(texts)) == [model.classes[i] for i in found.argmax(axis=1)]


def test_n_grams_are_scikit_learns(pipeline):
    chars, words = (v for _, v in pipeline.named_steps["features"].transformer_list)
    for text in ["ka vi ikk ta det imorgen", "a  b\tc", "jeg 👍 er ok", "x", ""]:
        assert char_wb_ngrams(text, 2, 5) == chars.build_analyzer()(text)
        assert word_ngrams(text, 1, 2) == words.build_analyzer()(text)


def test_a_saved_model_parses_the_same_and_holds_no_pickles(tmp_path, pipeline):
    interpreter = EmbeddedInterpreter.from_path(TRAINING)
    path = tmp_path / "model.npz"
    interpreter.save(path, key="k1")
    loaded = EmbeddedInterpreter.load(path, key="k1")
    assert loaded is not None
    for text in ["ka vi ikk ta det imorgen", "hvornaar er mit moede", "jeg vil ikke mere"]:
        assert loaded.parse(text) == interpreter.parse(text)
    with np.load(path, allow_pickle=False) as stored:  # raises if anything needs a pickle
        assert json.loads(str(stored["meta"]))["key"] == "k1"


def test_a_stale_or_broken_saved_model_is_not_used(tmp_path):
    interpreter = EmbeddedInterpreter.from_path(TRAINING)
    path = tmp_path / "model.npz"
    interpreter.save(path, key="old")
    assert EmbeddedInterpreter.load(path, key="new") is None
    path.write_bytes(path.read_bytes()[:1000])
    assert EmbeddedInterpreter.load(path, key="old") is None
    assert EmbeddedInterpreter.load(tmp_path / "missing.npz", key="old") is None
    bad = LinearTextModel(
        interpreter.model.classes,
        interpreter.model.vocabularies,
        interpreter.model.weights[:-1],
        interpreter.model.intercept,
    )
    bad.save(path, meta={"key": "old"})
    with pytest.raises(ValueError, match="do not fit"):
        LinearTextModel.load(path)


# A bot with a data folder and training data without a current shipped model: the first start
# trains in a child process and saves the model there; the next start reads it. scikit-learn
# and SciPy are never imported by the bot's process.
_START = """
import sys
from pathlib import Path
from bot.nlu.embedded import EmbeddedInterpreter
interpreter = EmbeddedInterpreter.from_path(Path(sys.argv[2]), cache_dir=Path(sys.argv[1]))
assert interpreter.parse("ka vi ikk ta det imorgen").intent == "postpone"
print(sorted(m for m in ("sklearn", "scipy") if m in sys.modules))
"""


def test_the_bot_process_trains_apart_and_then_only_reads_the_saved_model(tmp_path):
    data = tmp_path / "nlu_data" / "nlu"
    shutil.copytree(TRAINING, data)
    cache = tmp_path / "cache"
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _START, str(cache), str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == "[]"
        [saved] = cache.glob("nlu-*.npz")
    assert EmbeddedInterpreter.load(saved, key=model_key(data)) is not None
    assert not shipped_model(data).exists()


def test_the_shipped_model_is_trained_on_the_current_training_data():
    key = model_key(TRAINING)
    shipped = EmbeddedInterpreter.load(shipped_model(TRAINING), key=key)
    assert shipped is not None, "nlu_data/ changed: run `make nlu-model` and commit the model"
    trained = EmbeddedInterpreter.train(load_examples(TRAINING))
    texts = held_out_texts()
    assert [shipped.parse(t).intent for t in texts] == [trained.parse(t).intent for t in texts]
