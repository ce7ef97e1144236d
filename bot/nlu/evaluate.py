"""Score an interpreter on labelled examples: per-intent P/R/F1, confusions, latency."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.nlu.data import Example
from bot.nlu.parse import FALLBACK
from bot.nlu.understand import Understander, Understanding

# The held-out utterances (never trained on): the default test set of `nlu compare`.
HELD_OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "nlu_heldout.yml"
CRISIS = "crisis"
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class IntentScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    interpreter: str
    accuracy: float
    macro_f1: float
    per_intent: dict[str, IntentScores]
    confused: list[tuple[str, str, int]]  # (expected, predicted, count), most frequent first
    latency_ms_p50: float
    latency_ms_p99: float
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # text, expected, got

    def as_json(self) -> dict[str, Any]:
        return {
            "interpreter": self.interpreter,
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "per_intent": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for name, s in self.per_intent.items()
            },
            "confused": [{"expected": e, "predicted": p, "count": n} for e, p, n in self.confused],
            "latency_ms": {
                "p50": round(self.latency_ms_p50, 3),
                "p99": round(self.latency_ms_p99, 3),
            },
        }


def effective_intent(understanding: Understanding) -> str:
    """What the bot acts on: the safety net decides crisis (either tier: both are answered with
    care instead of the intent), and a fallback is answered like out_of_scope ("that I cannot
    help with")."""
    if understanding.crisis is not None:
        return CRISIS
    intent = understanding.intent
    # A crisis intent the safety net did not confirm gets the bot's "not understood".
    return OUT_OF_SCOPE if intent in (FALLBACK, CRISIS) else intent


def evaluate(
    understander: Understander, examples: Sequence[Example], *, raw: bool = False, top: int = 10
) -> Report:
    """Score the whole path the bot takes (interpreter + safety net), or with `raw` the
    interpreter alone. Latency is per text, for the same path."""
    predictions: list[str] = []
    latencies: list[float] = []
    for example in examples:
        started = time.perf_counter()
        if raw:
            intent = understander.interpreter.parse(example.text).intent
            predictions.append(OUT_OF_SCOPE if intent == FALLBACK else intent)
        else:
            predictions.append(effective_intent(understander.understand(example.text)))
        latencies.append((time.perf_counter() - started) * 1000)
    name = understander.interpreter.name + ("" if raw else "+safety")
    return score(name, examples, predictions, latencies, top=top)


def score(
    name: str,
    examples: Sequence[Example],
    predictions: Sequence[str],
    latencies: Sequence[float],
    *,
    top: int = 10,
) -> Report:
    expected = [e.intent for e in examples]
    pairs = list(zip(expected, predictions, strict=True))
    per_intent: dict[str, IntentScores] = {}
    for intent in sorted(set(expected)):
        true_positive = sum(1 for e, p in pairs if e == intent and p == intent)
        predicted = sum(1 for _, p in pairs if p == intent)
        support = sum(1 for e in expected if e == intent)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = IntentScores(precision, recall, f1, support)
    confusions = Counter((e, p) for e, p in pairs if e != p)
    ordered = sorted(latencies)
    return Report(
        interpreter=name,
        accuracy=sum(1 for e, p in pairs if e == p) / len(pairs) if pairs else 0.0,
        macro_f1=statistics.fmean(s.f1 for s in per_intent.values()) if per_intent else 0.0,
        per_intent=per_intent,
        confused=[(e, p, n) for (e, p), n in confusions.most_common(top)],
        latency_ms_p50=_percentile(ordered, 0.50),
        latency_ms_p99=_percentile(ordered, 0.99),
        errors=[(x.text, e, p) for x, (e, p) in zip(examples, pairs, strict=True) if e != p],
    )


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def format_reports(reports: Sequence[Report]) -> str:
    """The reports side by side, as a plain-text table for a terminal."""
    intents = sorted({name for r in reports for name in r.per_intent})
    head = f"{'intent':<22}" + "".join(f"{r.interpreter + ' P/R/F1':>26}{'n':>5}" for r in reports)
    lines = [head, "-" * len(head)]
    for intent in intents:
        row = f"{intent:<22}"
        for report in reports:
            s = report.per_intent.get(intent)
            row += (
                f"{s.precision:>8.2f}{s.recall:>9.2f}{s.f1:>9.2f}{s.support:>5}"
                if s
                else f"{'-':>26}{'':>5}"
            )
        lines.append(row)
    lines.append("-" * len(head))
    totals = (
        ("macro-F1", [f"{r.macro_f1:.3f}" for r in reports]),
        ("accuracy", [f"{r.accuracy:.3f}" for r in reports]),
        ("latency p50 ms", [f"{r.latency_ms_p50:.2f}" for r in reports]),
        ("latency p99 ms", [f"{r.latency_ms_p99:.2f}" for r in reports]),
    )
    for label, values in totals:
        lines.append(f"{label:<22}" + "".join(f"{value:>26}{'':>5}" for value in values))
    for report in reports:
        if report.confused:
            lines.append(f"\nMost confused ({report.interpreter}): expected -> predicted (count)")
            lines.extend(f"  {e} -> {p} ({n})" for e, p, n in report.confused)
    return "\n".join(lines)


# --- the safety net's two tiers -----------------------------------------------------------

# Intents that are feelings: never a crisis by themselves.
FEELINGS = frozenset(
    {"feel_sad", "feel_lonely", "feel_stressed", "feel_bad", "bullied", "conflict_home"}
)
# The safety net's own evaluation set (tests/data/safety_eval.yml): crisis, hyperbole, feelings.
SAFETY_EVAL = HELD_OUT.with_name("safety_eval.yml")
EVERYDAY = HELD_OUT.with_name("nlu_everyday.yml")


@dataclass(frozen=True)
class SafetyFigures:
    """Which texts got which tier. "Calm" is every text that is neither crisis nor a feeling:
    hyperbole, dark humour, everyday moods and the other intents."""

    crisis: int
    crisis_missed: list[str]  # neither tier: must stay empty
    crisis_possible: list[str]  # only the kind question
    calm: int
    calm_certain: list[str]  # an urgent alert on hyperbole: must stay empty
    calm_possible: list[str]
    feelings: int
    feelings_hit: list[str]  # either tier

    def counts(self) -> dict[str, int]:
        return {
            "crisis texts": self.crisis,
            "crisis: neither tier": len(self.crisis_missed),
            "crisis: only possible": len(self.crisis_possible),
            "calm texts": self.calm,
            "calm: certain": len(self.calm_certain),
            "calm: possible": len(self.calm_possible),
            "feeling texts": self.feelings,
            "feelings: either tier": len(self.feelings_hit),
        }


def safety_figures(understander: Understander, examples: Sequence[Example]) -> SafetyFigures:
    missed: list[str] = []
    possible: list[str] = []
    certain_calm: list[str] = []
    possible_calm: list[str] = []
    feelings_hit: list[str] = []
    for example in examples:
        hit = understander.understand(example.text).crisis
        if example.intent == CRISIS:
            if hit is None:
                missed.append(example.text)
            elif not hit.certain:
                possible.append(example.text)
        elif example.intent in FEELINGS:
            if hit is not None:
                feelings_hit.append(example.text)
        elif hit is not None:
            (certain_calm if hit.certain else possible_calm).append(example.text)
    crisis = sum(1 for e in examples if e.intent == CRISIS)
    feelings = sum(1 for e in examples if e.intent in FEELINGS)
    return SafetyFigures(
        crisis=crisis,
        crisis_missed=missed,
        crisis_possible=possible,
        calm=len(examples) - crisis - feelings,
        calm_certain=certain_calm,
        calm_possible=possible_calm,
        feelings=feelings,
        feelings_hit=feelings_hit,
    )
