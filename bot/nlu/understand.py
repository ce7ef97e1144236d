"""One call for the engine: what a text means, and whether it may be a cry for help."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.nlu.parse import FALLBACK, Interpreter, InterpreterUnavailable, Parse
from bot.nlu.safety import CrisisHit, SafetyNet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Understanding:
    parse: Parse
    crisis: CrisisHit | None = None

    @property
    def intent(self) -> str:
        return self.parse.intent


NOTHING = Understanding(Parse("", FALLBACK, 0.0))


class Understander:
    """The configured interpreter, the embedded one when it is unavailable, and the safety net."""

    def __init__(
        self, interpreter: Interpreter, safety: SafetyNet, *, fallback: Interpreter | None = None
    ) -> None:
        self.interpreter = interpreter
        self._fallback = fallback
        self._safety = safety

    def close(self) -> None:
        """Release the interpreter's connections (the Rasa client's pool)."""
        close = getattr(self.interpreter, "close", None)
        if close is not None:
            close()

    def understand(self, text: str) -> Understanding:
        parse = self._parse(text)
        return Understanding(parse, self._safety.assess(text, parse, self._parse))

    def _parse(self, text: str) -> Parse:
        try:
            return self.interpreter.parse(text)
        except InterpreterUnavailable as error:
            if self._fallback is None:
                raise
            # Never a reason to miss a cry for help: the embedded model answers instead.
            log.warning(
                "interpreter %s unavailable (%s); using the fallback", self.interpreter.name, error
            )
            return self._fallback.parse(text)
