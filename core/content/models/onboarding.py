"""The model of dialogues/onboarding.yml: the information, consent and first check-in offer."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.content.models.base import ButtonLabel, Line, Strict, Template, allows


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
    # Before the information is answered: a short re-ask with the buttons, never the whole text.
    greet_again: Line
    ask_again: Line
    privacy_before: Annotated[Template, allows("who_sees")]
    offer_first_checkin: Line
    offer_yes_label: ButtonLabel
    offer_later_label: ButtonLabel
    updated: Line
    reaccepted: Line
    declined_update: Line
