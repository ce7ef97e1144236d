"""Models of dialogues/texts.yml: the bot's general texts and the words it understands."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from core.content.models.base import ButtonLabel, Line, Strict, Template, Words, allows
from core.text import normalize


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
    # Short answers to a typed text that is not a certain answer, sent with the answer buttons
    # (bot/flows/checkin_items.py: ask_again): it fits two options, it is a number off the
    # scale, or it says "ved ikke".
    unsure: Annotated[Template, allows("first", "second")]
    out_of_range: Annotated[Template, allows("number", "low", "high")]
    dont_know: Line
    # Free text in the middle of the items that is not an answer (bot/flows/checkin_aside.py):
    # the short way back to the question, with its buttons, after the text was answered.
    reask: Annotated[Template, allows("number", "total")]
    # "hvad skal jeg svare?": the scale in one sentence.
    how_to_answer: Annotated[Template, allows("high", "high_label", "low", "low_label")]
    # "nej vent jeg mente to": the last answer changed.
    corrected: Annotated[Template, allows("number", "label")]
    # "min kontaktperson skal ikke vide det": what the contact person sees, truthfully.
    contact_sees: Line
    # "ved ikke", "hmm" at "Ja, lad os starte".
    begin_nudge: Line
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
    # A typed answer to a yes/no question asked with buttons (bot/flows/words.py: means_yes).
    yes: Words
    no: Words
    take_back: Words  # after a deletion request: "fortryd"
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
    # A chart or file that could not be sent, and a reply that did not arrive in time
    # (bot/channels/telegram/delivery.py and held.py).
    chart_failed: Line
    file_failed: Line
    missed: Line


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
    # One line per kind of row under its table's line ("2 × Du kunne ikke komme til et møde"):  # noqa: RUF003
    # table -> stored code (a kind, or a check-in's status) -> what it means, in Danish.
    kind_line: Annotated[Template, allows("count", "label")]
    kinds: dict[str, dict[str, Annotated[str, StringConstraints(min_length=1, max_length=80)]]]


class DeletionTexts(Strict):
    first_question: Line
    how_immediate: Line
    how_request: Line
    first_yes: ButtonLabel
    second_question: Line
    second_question_request: Line
    second_yes: ButtonLabel
    keep: ButtonLabel
    # Any other text while a deletion question is open: that question once more, short.
    first_again: Line
    second_again: Line
    kept: Line
    deleted: Line
    requested: Line
    # After a deletion request (bot/flows/deletion_hold.py), until the coordinator carries it out.
    held: Line
    already_requested: Line
    no_reminders: Line
    held_help: Line
    take_back_label: ButtonLabel
    take_back_question: Line
    take_back_yes: ButtonLabel
    take_back_no: ButtonLabel
    taken_back: Line
    still_requested: Line
    cannot_take_back: Line


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
    # The idea typed before its theme, a theme typed, or a question at any step.
    theme_for_text: Line
    theme_hint: Line
    confirm_theme: Annotated[Template, allows("theme")]
    send_question: Line
    # An idea typed (outside /ide) while no workshop takes ideas: not sent, and not kept.
    none_open_typed: Line
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
    # "Hvem kan se mine svar?": who sees what, how long it is kept, how to see or delete it.
    privacy: Annotated[Template, allows("who_sees")]


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
    # In the middle of a check-in the feelings question comes first; the check-in waits.
    checkin_waits: Line

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
