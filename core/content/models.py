"""Pydantic models for dialogues/*.yml.

Every model forbids unknown fields, so a typo in a key is an error rather than a silently
ignored text. Texts with placeholders declare which names they may use (`template(...)`).
"""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

from core.text import normalize

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=16)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def allows(*allowed: str) -> AfterValidator:
    """Validator for a text whose `{placeholders}` must be among `allowed`."""

    def check(value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as error:
            raise ValueError(f"broken {{placeholder}}: {error}") from None
        unknown = sorted(names - set(allowed))
        if unknown:
            permitted = ", ".join(f"{{{name}}}" for name in allowed) or "none"
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; allowed here: {permitted}")
        return value

    return AfterValidator(check)


Template = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def _words(values: list[str]) -> list[str]:
    normalized = [normalize(value) for value in values]
    if any(not value for value in normalized):
        raise ValueError("a word must contain letters or digits")
    return values


Words = Annotated[list[Annotated[str, StringConstraints(min_length=1)]], AfterValidator(_words)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- questionnaires -------------------------------------------------------------------------


class ScaleOption(Strict):
    value: int = Field(ge=0, le=100)
    label: Line
    synonyms: Words = []


class Item(Strict):
    id: ItemId
    text: Line
    short: Line | None = None


class SumScoring(Strict):
    method: Literal["sum"]
    multiplier: int = Field(ge=1)
    max: int = Field(ge=1)


class ProfileScoring(Strict):
    method: Literal["profile"]
    max: int = Field(ge=1)


class SumAfter(Strict):
    result: Annotated[Template, allows("score", "max")]
    first_time: Annotated[Template, allows()]
    up: Annotated[Template, allows("change", "last_date")]
    same: Annotated[Template, allows("last_date")]
    down: Annotated[Template, allows("change", "last_date")]


class ProfileAfter(Strict):
    result: Annotated[Template, allows("max")]
    line: Annotated[Template, allows("item", "value")]
    line_changed: Annotated[Template, allows("item", "value", "last")]
    first_time: Annotated[Template, allows()]
    compared: Annotated[Template, allows("last_date")]


def _after_kind(value: object) -> str:
    # A profile guide is recognised by its per-item line; the check then matches it to scoring.
    if isinstance(value, dict):
        return "profile" if "line" in value else "sum"
    return "profile" if isinstance(value, ProfileAfter) else "sum"


After = Annotated[
    Annotated[SumAfter, Tag("sum")] | Annotated[ProfileAfter, Tag("profile")],
    Discriminator(_after_kind),
]


class Guide(Strict):
    before: list[Line] = Field(min_length=1)
    after: After
    chart_title: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    talk_next_time: Line


class AlertThresholds(Strict):
    """When a completed questionnaire raises an alert for the coordinator. Never shown to the
    young person: thresholds drive alerts, not verdicts."""

    low: int = Field(ge=0)  # a score at or below: poor well-being, worth a talk
    urgent: int = Field(ge=0)  # a score at or below: act soon (an urgent alert, e-mailed)
    drop: int = Field(ge=1)  # a fall of this many points or more since the last time
    item_low: int = Field(ge=0)  # any item answered at or below this


class Questionnaire(Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Line
    menu_label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    credit: Line
    menu_order: int = Field(ge=1)
    cadence_days: int = Field(ge=1, le=366)
    # Planned for every young person unless their own plan says otherwise.
    planned_by_default: bool = False
    alerts: AlertThresholds | None = None
    stem: Line
    scoring: SumScoring | ProfileScoring = Field(discriminator="method")
    scale: list[ScaleOption] = Field(min_length=2)
    items: list[Item] = Field(min_length=1)
    guide: Guide

    @property
    def low(self) -> int:
        return min(option.value for option in self.scale)

    @property
    def high(self) -> int:
        return max(option.value for option in self.scale)

    def item_index(self, item_id: str) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.id == item_id), None)

    def option(self, value: int) -> ScaleOption | None:
        return next((option for option in self.scale if option.value == value), None)

    def score(self, answers: dict[str, int]) -> int | None:
        """The total score, or None for a profile questionnaire or an incomplete set."""
        if not isinstance(self.scoring, SumScoring):
            return None
        if any(item.id not in answers for item in self.items):
            return None
        return sum(answers[item.id] for item in self.items) * self.scoring.multiplier


# --- onboarding and general texts -----------------------------------------------------------

ButtonLabel = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Onboarding(Strict):
    version: int = Field(ge=1)
    information: Annotated[Template, allows("who_sees")]
    # Who can see the answers, by name: `who_sees` with the administrators, or `who_sees_alone`
    # when the municipality has none (bot/flows/onboarding.py).
    who_sees: Annotated[Template, allows("administrators")]
    who_sees_alone: Line
    accept_label: ButtonLabel
    decline_label: ButtonLabel
    accepted: Line
    declined: Line
    still_declined: Line
    must_answer: Line
    offer_first_checkin: Line
    offer_yes_label: ButtonLabel
    offer_later_label: ButtonLabel
    updated: Line
    reaccepted: Line
    declined_update: Line


class CheckinTexts(Strict):
    choose: Line
    begin_label: ButtonLabel
    later_label: ButtonLabel
    later: Line
    begin_hint: Line
    question_header: Annotated[Template, allows("number", "total")]
    back_label: ButtonLabel
    pause_label: ButtonLabel
    stop_label: ButtonLabel
    back_at_first: Line
    previous_answer: Annotated[Template, allows("label")]
    not_understood: Annotated[Template, allows("low", "high")]
    chosen: Annotated[Template, allows("label")]
    paused: Annotated[Template, allows("number")]
    still_paused: Annotated[Template, allows("number")]
    resumed: Annotated[Template, allows("number", "total")]
    already_running: Line
    content_changed: Line
    stopped: Line
    chart_first_time: Line
    # The score, plainly, after the care message of a WHO-5 that worries (no cheerful lines).
    result_after_care: Annotated[Template, allows("score", "max")]
    chart_now: ButtonLabel
    chart_before: Annotated[Template, allows("date")]
    skip_label: ButtonLabel
    talk_saved: Line
    talk_skipped: Line
    goodbye: Line


class WordLists(Strict):
    consent: Words  # narrower than `agree`: saying yes to the information text
    agree: Words
    decline: Words
    back: Words
    pause: Words
    stop: Words
    resume: Words
    skip: Words
    # Answers to the safety question "are you thinking of hurting yourself?": the exact words,
    # or a first word of yes or no (bot/flows/safety_check.py); anything else counts as unclear,
    # and the coordinator is told. A question why gets an explanation and the question again.
    safety_yes: Words
    safety_talk: Words
    safety_no: Words
    safety_yes_first: Words
    safety_no_first: Words
    safety_why: Words

    def control_words(self) -> dict[str, str]:
        """Normalized word -> control action, for the words that work during the items."""
        controls: dict[str, str] = {}
        for action, words in (("back", self.back), ("pause", self.pause), ("stop", self.stop)):
            controls.update({normalize(word): action for word in words})
        return controls


class JoinTexts(Strict):
    not_linked: Line
    unknown: Line
    expired: Line
    used: Line
    already_linked: Line


class ChannelTexts(Strict):
    only_private: Line
    unsupported: Line
    edited: Line
    forwarded: Line
    error: Line


CommandName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")]
CommandDescription = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PausingTexts(Strict):
    paused: Line
    already_paused: Line
    started_again: Line
    not_paused: Line
    offer: Line
    offer_yes: ButtonLabel
    offer_no: ButtonLabel
    offer_declined: Line


class MyDataTexts(Strict):
    intro: Line
    line: Annotated[Template, allows("label", "count")]
    outro: Line
    caption: Line
    # Table name -> what the young person calls it ("answer" -> "svar").
    labels: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=60)]]


class DeletionTexts(Strict):
    first_question: Line
    how_immediate: Line
    how_request: Line
    first_yes: ButtonLabel
    second_question: Line
    second_yes: ButtonLabel
    keep: ButtonLabel
    kept: Line
    deleted: Line
    requested: Line


class IdeaTexts(Strict):
    """/ide: anonymous ideas for a workshop (bot/flows/ideas.py)."""

    anonymous: Line
    none_open: Line
    choose_workshop: Line
    question: Annotated[Template, allows("title", "question")]
    choose_theme: Line
    chosen: Annotated[Template, allows("label")]
    write: Annotated[Template, allows("max")]
    empty: Line
    too_long: Annotated[Template, allows("length", "max")]
    no_words: Line
    preview: Annotated[Template, allows("text", "theme")]
    send_label: ButtonLabel
    edit_label: ButtonLabel
    drop_label: ButtonLabel
    use_buttons: Line
    write_again: Line
    sent: Line
    dropped: Line
    closed: Line
    limited: Annotated[Template, allows("minutes")]
    # What became of a workshop's ideas, sent to everyone who sent ideas through the bot.
    outcome_intro: Annotated[Template, allows("title")]
    outcome_forward: Line
    outcome_discussed: Line
    outcome_anonymous: Line


class FreeTextTexts(Strict):
    """Answers to what a young person types outside a question (see bot/flows/free_text.py)."""

    greet: Line
    goodbye: Line
    thanks: Line
    affirm: Line
    deny: Line
    out_of_scope: Line
    postponed: Annotated[Template, allows("when")]
    nothing_to_postpone: Line
    contact_requested: Line
    idea_not_yet: Line
    cannot_come_noted: Annotated[Template, allows("when")]
    cannot_come_which: Line
    cannot_come_no_meeting: Line
    meeting_button: Annotated[Template, allows("when")]
    agreement_which: Line
    agreement_button: Annotated[Template, allows("action")]
    no_open_agreements: Line
    no_progress: Line
    progress_intro: Line


class Feeling(Strict):
    answer: Line
    # What goes on the next meeting's agenda ("Den unge vil gerne tale om: <topic>").
    topic: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class FeelingTexts(Strict):
    """A warm answer to a feeling, with three choices (bot/flows/feelings.py). One entry per
    feeling intent the interpreter knows; a missing one is an error."""

    feel_sad: Feeling
    feel_lonely: Feeling
    feel_stressed: Feeling
    feel_bad: Feeling
    bullied: Feeling
    conflict_home: Feeling
    ask: Line
    tell_label: ButtonLabel
    topic_label: ButtonLabel
    no_label: ButtonLabel
    told: Line
    on_agenda: Line
    no_thanks: Line
    checkin_goes_on: Line

    def of(self, intent: str) -> Feeling | None:
        found = getattr(self, intent, None) if intent in FEELINGS else None
        return found if isinstance(found, Feeling) else None


FEELINGS = ("feel_sad", "feel_lonely", "feel_stressed", "feel_bad", "bullied", "conflict_home")


class Texts(Strict):
    help: Line
    welcome_back: Line
    unknown_command: Line
    empty_message: Line
    too_long: Annotated[Template, allows("max")]
    not_understood: Line
    stale_button: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    commands: dict[CommandName, CommandDescription] = Field(min_length=1)
    channel: ChannelTexts
    join: JoinTexts
    checkin: CheckinTexts
    words: WordLists
    free_text: FreeTextTexts
    feelings: FeelingTexts
    pausing: PausingTexts
    deletion: DeletionTexts
    my_data: MyDataTexts
    ideas: IdeaTexts


class ReminderTexts(Strict):
    meeting_day_before: Annotated[Template, allows("when", "place")]
    meeting_soon: Annotated[Template, allows("when", "place")]
    coming_label: ButtonLabel
    cannot_come_label: ButtonLabel
    coming_thanks: Line
    cannot_come_ask: Line
    cannot_come_thanks: Line
    cannot_come_noted: Line
    coordinator_reply: Annotated[Template, allows("text")]
    agreement_soon: Annotated[Template, allows("action", "goal", "day")]
    agreement_today: Annotated[Template, allows("action", "goal", "day")]
    agreement_followup: Annotated[Template, allows("action", "goal", "day")]
    done_label: ButtonLabel
    not_yet_label: ButtonLabel
    help_label: ButtonLabel
    done_thanks: Line
    not_yet_thanks: Line
    help_thanks: Line
    checkin_invite: Line
    checkin_nudge: Line
    checkin_later: Line
    checkin_yes_label: ButtonLabel
    no_meetings: Line
    meetings_header: Line
    meeting_line: Annotated[Template, allows("when", "place")]
    no_agreements: Line
    agreements_header: Line
    agreement_line: Annotated[Template, allows("action", "goal", "day")]
    feedback_intro: Line
    feedback_questions: list[Line] = Field(min_length=3, max_length=3)
    feedback_yes: ButtonLabel
    feedback_partly: ButtonLabel
    feedback_no: ButtonLabel
    feedback_thanks: Line


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
    okay: Line
    unclear: Annotated[Template, allows("lines", "contact")]
    why: Line
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


class Content(BaseModel):
    """Everything in dialogues/, validated. Questionnaires keep the order of their file names."""

    model_config = ConfigDict(frozen=True)

    texts: Texts
    onboarding: Onboarding
    reminders: ReminderTexts
    safety: SafetyTexts
    questionnaires: dict[str, Questionnaire]

    def questionnaire(self, questionnaire_id: str) -> Questionnaire | None:
        return self.questionnaires.get(questionnaire_id)

    @property
    def default_plan(self) -> dict[str, int]:
        """Questionnaire id -> days between check-ins, for a young person without a plan."""
        return {q.id: q.cadence_days for q in self.questionnaires.values() if q.planned_by_default}
