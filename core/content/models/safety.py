"""The model of dialogues/safety.yml: what the bot says when a text may be a cry for help."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from core.content.models.base import ButtonLabel, Line, Strict, Template, allows


class SupportLine(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9 ]{2,15}$")]
    hours: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    note: Annotated[str, StringConstraints(max_length=200)] = ""
    # Open day and night, every day: named when the office is closed ("you can call now").
    always_open: bool = False


def _one_always_open(lines: list[SupportLine]) -> list[SupportLine]:
    if not any(line.always_open for line in lines):
        raise ValueError("at least one line must be `always_open: true` (open day and night)")
    return lines


class SafetyTexts(Strict):
    """dialogues/safety.yml: what the bot says when a text may be a cry for help."""

    message: Annotated[Template, allows("lines", "contact")]
    # The last sentence of `message`, true by the clock: staff at work, or the office closed.
    contact_at_work: Line
    contact_closed: Annotated[Template, allows("when", "open_lines")]
    open_line: Annotated[Template, allows("name", "phone", "note")]
    line: Annotated[Template, allows("name", "phone", "hours", "note")]
    lines: Annotated[list[SupportLine], Field(min_length=2), AfterValidator(_one_always_open)]
    checkin_paused: Line
    # The possible tier (bot/flows/safety_check.py): asked first, with three buttons.
    question: Line
    yes_label: ButtonLabel
    talk_label: ButtonLabel
    no_label: ButtonLabel
    talk_sent: Annotated[Template, allows("lines")]
    okay: Annotated[Template, allows("lines")]
    unclear: Annotated[Template, allows("lines", "contact")]
    why: Line
    # Right after the support lines or an answer (bot/flows/after_crisis.py): a waiting check-in
    # goes on only when chosen, and "hvad sker der nu?" gets the truth about who was told.
    continue_question: Line
    continue_now_label: ButtonLabel
    continue_later_label: ButtonLabel
    continue_now_words: list[str]
    continue_now: Line
    continue_later: Annotated[Template, allows("number")]
    what_now_words: Annotated[list[str], Field(min_length=1)]
    what_now_urgent: Annotated[Template, allows("when", "lines")]
    read_at_work: Line
    read_closed: Annotated[Template, allows("when")]
    what_now_noted: Annotated[Template, allows("lines")]
    what_now_talk: Annotated[Template, allows("lines")]
    # After a WHO-5 at or below 28 (bot/flows/wellbeing.py).
    low_wellbeing: Annotated[Template, allows("lines")]
    # After a WHO-5 above 28 with a question answered 0-1.
    low_item: Annotated[Template, allows("lines")]

    def listed(self) -> str:
        return "\n".join(
            self.line.format(name=s.name, phone=s.phone, hours=s.hours, note=s.note).rstrip()
            for s in self.lines
        )

    def open_lines(self) -> str:
        """The lines open day and night, as one Danish phrase ("A på 1 eller B på 2")."""
        names = [
            self.open_line.format(name=s.name, phone=s.phone, note=s.note).rstrip()
            for s in self.lines
            if s.always_open
        ]
        return join_danish(names, "eller")

    def render(self, contact: str) -> str:
        return self.message.format(lines=self.listed(), contact=contact)


def join_danish(names: list[str], last_word: str = "og") -> str:
    """'A', 'A og B', 'A, B og C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last_word} {names[-1]}"
