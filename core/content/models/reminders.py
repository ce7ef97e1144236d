"""The model of dialogues/reminders.yml: reminders of meetings, agreements and check-ins."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.content.models.base import ButtonLabel, Line, Strict, Template, allows


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
    # A moved or cancelled meeting (domain.meetings.change_message).
    meeting_moved: Annotated[Template, allows("when", "place")]
    meeting_cancelled: Annotated[Template, allows("when")]
    agreement_soon: Annotated[Template, allows("action", "goal", "day")]
    agreement_today: Annotated[Template, allows("action", "goal", "day")]
    agreement_followup: Annotated[Template, allows("action", "goal", "day")]
    done_label: ButtonLabel
    not_yet_label: ButtonLabel
    dropped_label: ButtonLabel
    help_label: ButtonLabel
    done_thanks: Line
    not_yet_thanks: Line
    dropped_thanks: Line
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
