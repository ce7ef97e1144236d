"""What an interpreter makes of a text, and the protocol every interpreter follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# The intent returned when no intent is confident enough (Rasa's name for it, too).
FALLBACK = "nlu_fallback"

INTENTS = (
    "greet",
    "goodbye",
    "thanks",
    "help",
    "affirm",
    "deny",
    "start_checkin",
    "postpone",
    "pause_reminders",
    "ask_meetings",
    "cannot_attend",
    "ask_agreements",
    "agreement_done",
    "show_progress",
    "submit_idea",
    "delete_data",
    "ask_privacy",
    "contact_coordinator",
    "feel_sad",
    "feel_lonely",
    "feel_stressed",
    "feel_bad",
    "bullied",
    "conflict_home",
    "crisis",
    "out_of_scope",
)


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class Parse:
    text: str
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...] = ()
    entities: tuple[Entity, ...] = ()

    def score(self, intent: str) -> float:
        """The confidence of `intent` in the ranking (0 when it is not ranked)."""
        return next((s.confidence for s in self.ranking if s.name == intent), 0.0)

    def entity(self, name: str) -> str | None:
        return next((e.value for e in self.entities if e.entity == name), None)


class Interpreter(Protocol):
    """Text in; intent, confidence, ranking and entities out."""

    name: str

    def parse(self, text: str) -> Parse: ...
