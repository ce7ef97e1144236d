"""Errors raised by the conversation core.

    BotError
     ├── UnknownPerson            an event for a young person who does not exist (any more)
     ├── InterpreterUnavailable   the interpreter could not answer (the Rasa server is down)
     ├── TrainingDataError        a training file is missing, not Rasa NLU YAML, or broken
     └── LexiconError             the crisis lexicon file is missing or malformed

Nothing a young person sends raises: bad input gets a Danish answer from the engine.
"""

from __future__ import annotations


class BotError(Exception):
    """Base class for errors of the conversation core."""


class UnknownPerson(BotError):
    def __init__(self, person_id: int) -> None:
        self.person_id = person_id
        super().__init__(f"no young person with id {person_id}")


class InterpreterUnavailable(BotError):
    """The interpreter could not answer (for example, the Rasa server is down)."""


class TrainingDataError(BotError):
    """A training file is missing, is not Rasa NLU YAML, or has a broken example."""


class LexiconError(BotError):
    """The lexicon file is missing or malformed."""
