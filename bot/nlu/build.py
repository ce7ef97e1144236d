"""Assemble the Understander from nlu_data/ (and a Rasa server, when one is configured).

The interpreters are imported by `build_understander`, not by this module: the conversation
service imports it, and the embedded interpreter brings NumPy (see LoadingUnderstander).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

from bot.nlu.safety import THRESHOLDS, Lexicon, SafetyNet
from bot.nlu.understand import Understander, Understanding

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
    from bot.nlu.embedded import EmbeddedInterpreter
    from bot.nlu.rasa import RasaInterpreter

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


class LoadingUnderstander:
    """An Understander that is built later, in another thread (`ungeguide run` takes updates
    before its NLU is loaded). Until `load` has run, `understand` waits for it: a free text is
    never read without the interpreter, nor passed by the safety net unchecked."""

    def __init__(self, build: Callable[[], Understander]) -> None:
        self._build = build
        self._loaded: Understander | None = None
        self._done = threading.Event()

    @property
    def loaded(self) -> bool:
        return self._done.is_set()

    def load(self) -> None:
        """Build the Understander (in the calling thread) and let every waiting text through.
        If it raises, texts keep waiting: the caller stops the process (ungeguide/server.py)."""
        self._loaded = self._build()
        self._done.set()

    def understand(self, text: str) -> Understanding:
        self._done.wait()
        assert self._loaded is not None  # noqa: S101 - set before the event
        return self._loaded.understand(text)

    def close(self) -> None:
        if self._loaded is not None:
            self._loaded.close()
