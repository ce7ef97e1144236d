"""The safety net's two tiers on the held-out data and on tests/data/safety_eval.yml.

    python -m benchmarks.safety [--rasa-url URL] [--sweep] [--list]

For each interpreter (the embedded one; Rasa too when a URL is given or RASA_URL is set) and
each set: crisis texts that get neither tier (must be 0), crisis texts that are only
"possible", calm texts (hyperbole, dark humour, everyday moods, other intents) that are
certain (must be 0) or possible, and feelings that get either tier. `--sweep` shows how the
figures move with the classifier's threshold (how it was chosen; the classifier only ever
makes a text possible); `--list` prints the texts.
With Rasa, "rasa" is Rasa alone and "rasa+embedded" the bot's path (the embedded classifier as
the safety net's second opinion).
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable, Sequence

from bot.nlu import Interpreter, Parse
from bot.nlu.build import DEFAULT_NLU_DIR, LEXICON_FILE, build_understander
from bot.nlu.data import Example, load_examples
from bot.nlu.evaluate import EVERYDAY, FEELINGS, HELD_OUT, SAFETY_EVAL, safety_figures
from bot.nlu.safety import CRISIS, THRESHOLDS, Lexicon, SafetyNet, Thresholds

POSSIBLE_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def sets() -> dict[str, list[Example]]:
    return {
        "held-out": load_examples(HELD_OUT) + load_examples(EVERYDAY),
        "safety_eval": load_examples(SAFETY_EVAL),
    }


def figures_table(columns: dict[str, dict[str, int]]) -> str:
    rows = next(iter(columns.values())).keys()
    head = f"{'figure':<24}" + "".join(f"{name:>27}" for name in columns)
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(f"{row:<24}" + "".join(f"{c[row]:>27}" for c in columns.values()))
    return "\n".join(lines)


def sweep(interpreter: Interpreter, examples: Sequence[Example]) -> str:
    """Crisis missed / crisis only possible / calm certain / calm possible / feelings hit, per
    threshold, parsing each text once."""
    parse: Callable[[str], Parse] = functools.cache(interpreter.parse)
    lexicon = Lexicon.load(DEFAULT_NLU_DIR / LEXICON_FILE)
    lines = [f"{'possible':>9}  missed  only-possible  calm-certain  calm-possible  feelings-hit"]
    for possible in POSSIBLE_GRID:
        net = SafetyNet(lexicon, thresholds={interpreter.name: Thresholds(possible)})
        tally = [0, 0, 0, 0, 0]
        for example in examples:
            hit = net.assess(example.text, parse(example.text), parse, interpreter=interpreter.name)
            if example.intent == CRISIS:
                tally[0] += hit is None
                tally[1] += hit is not None and not hit.certain
            elif example.intent in FEELINGS:
                tally[4] += hit is not None
            elif hit is not None:
                tally[2 if hit.certain else 3] += 1
        lines.append(
            f"{possible:>9.2f}{tally[0]:>8}{tally[1]:>15}{tally[2]:>14}{tally[3]:>15}{tally[4]:>14}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL"))
    parser.add_argument("--sweep", action="store_true", help="figures per pair of thresholds")
    parser.add_argument("--list", action="store_true", help="print the texts behind the figures")
    args = parser.parse_args()

    understanders = {"embedded": build_understander()}
    if args.rasa_url:
        # Rasa alone, and as the bot runs it: the embedded classifier as a second opinion.
        understanders["rasa"] = build_understander(
            rasa_url=args.rasa_url, fallback=False, second_opinion=False
        )
        understanders["rasa+embedded"] = build_understander(rasa_url=args.rasa_url, fallback=False)
    data = sets()
    columns: dict[str, dict[str, int]] = {}
    for name, limits in THRESHOLDS.items():
        print(f"{name}: thresholds {limits}")
    for name, understander in understanders.items():
        for set_name, examples in data.items():
            figures = safety_figures(understander, examples)
            columns[f"{name} {set_name}"] = figures.counts()
            if args.list:
                for label, texts in (
                    ("crisis, neither tier", figures.crisis_missed),
                    ("crisis, only possible", figures.crisis_possible),
                    ("calm, certain", figures.calm_certain),
                    ("calm, possible", figures.calm_possible),
                    ("feelings, either tier", figures.feelings_hit),
                ):
                    for text in texts:
                        print(f"  [{name} {set_name}] {label}: {text}")
    print(figures_table(columns))
    if args.sweep:
        for name, understander in understanders.items():
            if name not in THRESHOLDS:
                continue  # a sweep is per classifier
            for set_name, examples in data.items():
                print(f"\nsweep: {name} on {set_name}")
                print(sweep(understander.interpreter, examples))
    for understander in understanders.values():
        understander.close()


if __name__ == "__main__":
    main()
