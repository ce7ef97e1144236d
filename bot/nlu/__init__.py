"""Danish free-text understanding: interpreters, the safety net, evaluation."""

from bot.nlu.embedded import EmbeddedInterpreter
from bot.nlu.parse import FALLBACK, INTENTS, Entity, IntentScore, Interpreter, Parse
from bot.nlu.rasa import RasaInterpreter
from bot.nlu.safety import CrisisHit, Lexicon, SafetyNet, Thresholds
from bot.nlu.understand import NOTHING, Understander, Understanding

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
]
