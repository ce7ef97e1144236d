"""One call for the engine: what a text means, and whether it may be a cry for help."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.errors import InterpreterUnavailable
from bot.nlu.parse import FALLBACK, Interpreter, Parse
from bot.nlu.safety import CrisisHit, Opinion, SafetyNet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Understanding:
    parse: Parse
    crisis: CrisisHit | None = None

    @property
    def intent(self) -> str:
        return self.parse.intent


NOTHING = Understanding(Parse("", FALLBACK, 0.0))


class Understands(Protocol):
    """What the conversation service asks of its NLU: an `Understander`, or one still loading
    (bot/nlu/build.py LoadingUnderstander)."""

    def understand(self, text: str) -> Understanding: ...

    def close(self) -> None: ...


class Understander:
    """The configured interpreter, the embedded one when it is unavailable (and as the safety
    net's second opinion beside Rasa), and the safety net."""

    def __init__(
        self,
        interpreter: Interpreter,
        safety: SafetyNet,
        *,
        fallback: Interpreter | None = None,
        second_opinion: Interpreter | None = None,
    ) -> None:
        self.interpreter = interpreter
        self._fallback = fallback
        self._safety = safety
        # A second classifier for the safety net only (the embedded one beside Rasa).
        self._second = second_opinion

    def close(self) -> None:
        """Release the interpreter's connections (the Rasa client's pool)."""
        close = getattr(self.interpreter, "close", None)
        if close is not None:
            close()

    def understand(self, text: str) -> Understanding:
        parse, answered = self._parse(text)
        second = None
        if self._second is not None and self._second.name != answered:
            second = Opinion(self._second.name, self._second.parse(text), self._second.parse)
        crisis = self._safety.assess(
            text,
            parse,
            lambda masked: self._parse(masked)[0],
            interpreter=answered,
            second=second,
        )
        return Understanding(parse, crisis)

    def _parse(self, text: str) -> tuple[Parse, str]:
        """The parse, and the name of the interpreter that made it (the safety net's
        thresholds are per interpreter)."""
        try:
            return self.interpreter.parse(text), self.interpreter.name
        except InterpreterUnavailable as error:
            if self._fallback is None:
                raise
            # Never a reason to miss a cry for help: the embedded model answers instead.
            log.warning(
                "interpreter %s unavailable (%s); using the fallback", self.interpreter.name, error
            )
            return self._fallback.parse(text), self._fallback.name
