"""Danish free-text understanding: interpreters, the safety net, evaluation.

The interpreters are imported when first asked for: the engine and the flows need only the
types (Understanding, CrisisHit), and the embedded interpreter brings NumPy, which `ungeguide
run` loads after it has begun taking updates (ungeguide/app.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.nlu.parse import FALLBACK, INTENTS, Entity, IntentScore, Interpreter, Parse
from bot.nlu.safety import CrisisHit, Lexicon, SafetyNet, Thresholds
from bot.nlu.understand import NOTHING, Understander, Understanding, Understands

if TYPE_CHECKING:
    from bot.nlu.embedded import EmbeddedInterpreter
    from bot.nlu.rasa import RasaInterpreter

# Name -> the module that defines it, imported on first use (PEP 562).
_LATER = {"EmbeddedInterpreter": "bot.nlu.embedded", "RasaInterpreter": "bot.nlu.rasa"}


def __getattr__(name: str) -> object:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LATER[name]), name)


__all__ = [
    "FALLBACK",
    "INTENTS",
    "NOTHING",
    "CrisisHit",
    "EmbeddedInterpreter",
    "Entity",
    "IntentScore",
    "Interpreter",
    "Lexicon",
    "Parse",
    "RasaInterpreter",
    "SafetyNet",
    "Thresholds",
    "Understander",
    "Understanding",
    "Understands",
]
