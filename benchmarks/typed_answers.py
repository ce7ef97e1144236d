"""Typed check-in answers on the labelled set tests/data/typed_answers.yml.

    python -m benchmarks.typed_answers [--list]

Per scale (WHO-5, both BIP variants, livsområder), through the bot's own reading
(bot/nlu/typed_answer.py::read_answer, as bot/flows/checkin_items.py uses it):
  accepted   answerable texts stored with the labelled value
  missed     answerable texts asked again instead (no harm: the young person is asked again)
  rejected   texts labelled `reject` that were not stored
  wrong      texts stored with a value other than the label, or stored although labelled
             `reject` (must be 0)
`--list` prints the missed and wrong texts.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.nlu.typed_answer import Chosen, read_answer
from core.content import Content, load_content

REPO = Path(__file__).resolve().parent.parent
LABELLED = REPO / "tests" / "data" / "typed_answers.yml"
REJECT = "reject"


@dataclass(frozen=True)
class Example:
    text: str
    expect: int | None  # None: labelled `reject`


@dataclass
class Tally:
    answerable: int = 0
    accepted: int = 0
    missed: int = 0
    rejects: int = 0
    rejected: int = 0
    wrong: int = 0
    missed_texts: list[str] = field(default_factory=list)
    wrong_texts: list[str] = field(default_factory=list)

    @property
    def accept_rate(self) -> float:
        return self.accepted / self.answerable if self.answerable else 1.0


def load_labelled(path: Path = LABELLED) -> dict[str, list[Example]]:
    """The labelled set, per questionnaire id."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        questionnaire_id: [
            Example(str(row["text"]), None if row["expect"] == REJECT else int(row["expect"]))
            for row in rows
        ]
        for questionnaire_id, rows in data.items()
    }


def measure(content: Content, labelled: dict[str, list[Example]]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for questionnaire_id, examples in labelled.items():
        questionnaire = content.questionnaires[questionnaire_id]
        tally = tallies.setdefault(questionnaire_id, Tally())
        for example in examples:
            reading = read_answer(questionnaire, example.text)
            stored = reading.value if isinstance(reading, Chosen) else None
            if example.expect is None:
                tally.rejects += 1
                if stored is None:
                    tally.rejected += 1
                else:
                    tally.wrong += 1
                    tally.wrong_texts.append(f"{example.text!r} -> {stored} (label: reject)")
                continue
            tally.answerable += 1
            if stored == example.expect:
                tally.accepted += 1
            elif stored is None:
                tally.missed += 1
                tally.missed_texts.append(f"{example.text!r} ({example.expect}): {reading}")
            else:
                tally.wrong += 1
                tally.wrong_texts.append(f"{example.text!r} -> {stored} (label: {example.expect})")
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    head = f"{'scale':<20}{'texts':>7}{'accepted':>10}{'missed':>8}{'rejected':>10}{'wrong':>7}"
    lines = [head, "-" * len(head)]
    total = Tally()
    for name, tally in tallies.items():
        lines.append(_row(name, tally))
        for attribute in ("answerable", "accepted", "missed", "rejects", "rejected", "wrong"):
            setattr(total, attribute, getattr(total, attribute) + getattr(tally, attribute))
    lines.append(_row("all", total))
    return "\n".join(lines)


def _row(name: str, tally: Tally) -> str:
    texts = tally.answerable + tally.rejects
    accepted = f"{tally.accepted}/{tally.answerable}"
    rejected = f"{tally.rejected}/{tally.rejects}"
    return (
        f"{name:<20}{texts:>7}{accepted:>10}{tally.missed:>8}{rejected:>10}{tally.wrong:>7}"
        f"   accept rate {tally.accept_rate:.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the missed and wrong texts")
    args = parser.parse_args()
    tallies = measure(load_content(REPO / "dialogues"), load_labelled())
    print(table(tallies))
    if args.list:
        for name, tally in tallies.items():
            for line in tally.wrong_texts:
                print(f"WRONG  {name}: {line}")
            for line in tally.missed_texts:
                print(f"missed {name}: {line}")


if __name__ == "__main__":
    main()
