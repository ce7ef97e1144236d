"""Assemble the Understander from nlu_data/ (and a Rasa server, when one is configured)."""

from __future__ import annotations

import functools
from pathlib import Path

from bot.nlu.embedded import EmbeddedInterpreter
from bot.nlu.rasa import RasaInterpreter
from bot.nlu.safety import THRESHOLDS, Lexicon, SafetyNet
from bot.nlu.understand import Understander

DEFAULT_NLU_DIR = Path(__file__).resolve().parents[2] / "nlu_data"
TRAINING_SUBDIR = "nlu"
LEXICON_FILE = "crisis_lexicon.yml"


def build_understander(
    nlu_dir: Path = DEFAULT_NLU_DIR,
    *,
    rasa_url: str | None = None,
    cache_dir: Path | None = None,
    fallback: bool = True,
    second_opinion: bool = True,
) -> Understander:
    """The embedded interpreter, or the Rasa one with the embedded one as its fallback and as
    the safety net's second opinion (`fallback=False, second_opinion=False` measure Rasa alone).
    The safety net's thresholds are per interpreter (bot/nlu/safety.py THRESHOLDS).

    Raises TrainingDataError or LexiconError for missing or broken files.
    """
    embedded = EmbeddedInterpreter.from_path(nlu_dir / TRAINING_SUBDIR, cache_dir=cache_dir)
    safety = SafetyNet(Lexicon.load(nlu_dir / LEXICON_FILE), thresholds=THRESHOLDS)
    if rasa_url:
        return Understander(
            RasaInterpreter(rasa_url),
            safety,
            fallback=embedded if fallback else None,
            second_opinion=embedded if second_opinion else None,
        )
    return Understander(embedded, safety)


@functools.cache
def default_understander() -> Understander:
    """The embedded Understander on the source tree's nlu_data/, built once per process."""
    return build_understander()
