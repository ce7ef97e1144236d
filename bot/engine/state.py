"""Conversation state: where a young person is in a flow. Serialized to the database as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _State(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Idle(_State):
    flow: Literal["idle"] = "idle"

    @property
    def step(self) -> str:
        return "idle"


class Onboarding(_State):
    flow: Literal["onboarding"] = "onboarding"
    step: Literal["information", "declined", "offer_checkin"] = "information"


class Checkin(_State):
    flow: Literal["checkin"] = "checkin"
    questionnaire_id: str
    response_id: str
    phase: Literal["before", "items", "talk_next_time"] = "before"
    index: int = Field(default=0, ge=0)
    paused: bool = False
    # The answers given so far in this response (also stored as rows), for scoring at the end.
    answers: dict[str, int] = Field(default_factory=dict)

    @property
    def step(self) -> str:
        return f"{self.phase}:{self.index}" if self.phase == "items" else self.phase


class MeetingReason(_State):
    """After "I can't come": the next text is the (optional) reason."""

    flow: Literal["meeting_reason"] = "meeting_reason"
    meeting_id: int
    asked_at: datetime

    @property
    def step(self) -> str:
        return f"meeting:{self.meeting_id}"


class Deleting(_State):
    """/slet: the first question is asked (`first_yes` False), or the first yes is given and
    the second must follow soon. A typed yes or no answers whichever is asked."""

    flow: Literal["deleting"] = "deleting"
    asked_at: datetime
    # A check-in under way when /slet was asked: it goes on if the young person says no.
    checkin: Checkin | None = None
    first_yes: bool = True

    def leave(self) -> State:
        return self.checkin if self.checkin is not None else Idle()

    @property
    def step(self) -> str:
        return "confirm" if self.first_yes else "asked"


class Asked(_State):
    """A yes/no question whose buttons carry everything they need (a pause, telling the
    contact person about a feeling, taking a deletion request back). It is remembered only so
    that a typed "ja" or "nej" presses the matching button; anything else leaves it."""

    flow: Literal["asked"] = "asked"
    yes: str  # the data of the yes button
    no: str  # the data of the no button
    asked_at: datetime
    # A check-in under way, there again afterwards.
    back_to: Checkin | None = None

    def leave(self) -> State:
        return self.back_to if self.back_to is not None else Idle()

    @property
    def step(self) -> str:
        return "yes_no"


class IdeaDraft(_State):
    """/ide: an anonymous idea for a workshop, being written.

    `draft_id` is in every button, so a button only works for the draft it was made for. The
    text is kept sealed (encrypted by the service's port), never as plain text in this
    young person's state, and is gone once the draft is sent or dropped.
    """

    flow: Literal["idea"] = "idea"
    draft_id: str
    started_at: datetime
    step: Literal["workshop", "theme", "text", "confirm"] = "workshop"
    workshop_id: int | None = None
    theme: str | None = None
    sealed_text: str | None = None
    # A check-in under way when /ide was asked: it waits, and is there again afterwards.
    checkin: Checkin | None = None

    def leave(self) -> State:
        return self.checkin if self.checkin is not None else Idle()


class SafetyCheck(_State):
    """The safety net was unsure: "are you thinking of hurting yourself?" waits for an answer.

    A held alert waits with it (bot/flows/safety_check.py). `check_id` is in every button, so a
    button only answers the question it was shown with. Where the young person was is kept, so
    a "no" goes back there with nothing lost. The text that was asked about is not kept here:
    the state is stored as plain JSON, and the held alert already has it (encrypted).
    """

    flow: Literal["safety_check"] = "safety_check"
    check_id: str
    asked_at: datetime
    # A check-in under way, or the information text not yet answered: there again afterwards.
    back_to: Checkin | Onboarding | None = None

    def leave(self) -> State:
        return self.back_to if self.back_to is not None else Idle()

    @property
    def step(self) -> str:
        return "asked"


class AfterCrisis(_State):
    """Just after the support lines or the safety question's answer: "hvad sker der nu?" gets
    a true answer about who was told, and a check-in that waits is resumed only when the young
    person chooses it (bot/flows/after_crisis.py). Short-lived; anything else leaves it."""

    flow: Literal["after_crisis"] = "after_crisis"
    after_id: str
    at: datetime
    # What the contact person got: an urgent alert, a note for the overview, a wish to talk.
    told: Literal["urgent", "noted", "talk"]
    back_to: Checkin | Onboarding | None = None

    def leave(self) -> State:
        return self.back_to if self.back_to is not None else Idle()

    @property
    def step(self) -> str:
        return self.told


State = (
    Idle
    | Onboarding
    | Checkin
    | MeetingReason
    | Deleting
    | Asked
    | IdeaDraft
    | SafetyCheck
    | AfterCrisis
)
_ADAPTER: TypeAdapter[State] = TypeAdapter(Annotated[State, Field(discriminator="flow")])


def dump_state(state: State) -> dict[str, Any]:
    return state.model_dump(mode="json")


def load_state(data: object) -> State:
    """Parse stored state; anything unreadable becomes Idle rather than a crash."""
    try:
        return _ADAPTER.validate_python(data)
    except ValueError:
        return Idle()
