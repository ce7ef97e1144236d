"""An in-memory implementation of the engine's Ports, for pure engine tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.engine import (
    AcceptInformation,
    AgreementView,
    CompleteResponse,
    DeclineInformation,
    Effect,
    MeetingView,
    PastResult,
    ReminderQuestion,
    RequestErasure,
    SaveAnswer,
    SaveIdea,
    SetPaused,
    WithdrawErasure,
    WorkshopView,
)
from bot.nlu import CrisisHit, Parse, Understanding
from bot.nlu.build import default_understander
from domain.reminder_timing import out_of_quiet_hours
from domain.workshops import idea_problem
from testing.seed import INFORMATION_VERSION as INFORMATION_VERSION  # accepted by FakePorts


@dataclass
class FakePorts:
    moment: datetime = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    accepted: int | None = INFORMATION_VERSION  # accepted, and current
    past: dict[str, list[PastResult]] = field(default_factory=dict)
    ids: int = 0
    answers: dict[str, dict[str, int]] = field(default_factory=dict)
    meetings: dict[int, MeetingView] = field(default_factory=dict)
    agreements: dict[int, AgreementView] = field(default_factory=dict)
    invitation: str | None = None
    # The yes/no question of a reminder lately sent and not answered.
    question: ReminderQuestion | None = None
    is_paused: bool = False
    # A deletion request waiting for the coordinator (status ended).
    requested: bool = False
    ended: bool = False  # the coordinator ended the course
    erasure: str = "request"
    stored: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    workshops: list[WorkshopView] = field(default_factory=list)
    # Ideas as the service would store them: (workshop id, theme, text).
    ideas: list[tuple[int, str, str]] = field(default_factory=list)
    idea_times: list[datetime] = field(default_factory=list)
    # None: staff are at work now; else when they are next.
    away_until: datetime | None = None
    admins: list[str] = field(default_factory=lambda: ["Anne Admin"])
    # Texts whose meaning a test fixes (intent, confidence, safety net), instead of the model's.
    scripted: dict[str, Understanding] = field(default_factory=dict)

    def open_workshops(self) -> list[WorkshopView]:
        return list(self.workshops)

    def idea_problem(self, text: str) -> str | None:
        problem = idea_problem(text)
        return None if problem is None else problem.value

    def seal(self, text: str) -> str:
        return "sealed:" + text.encode().hex()

    @staticmethod
    def unseal(token: str) -> str:
        return bytes.fromhex(token.removeprefix("sealed:")).decode()

    def recent_ideas(self) -> list[datetime]:
        return list(self.idea_times)

    def staff_away_until(self) -> datetime | None:
        return self.away_until

    def administrators(self) -> list[str]:
        return list(self.admins)

    def my_data(self) -> dict[str, list[dict[str, object]]]:
        return self.stored

    def erasure_mode(self) -> str:
        return self.erasure

    def paused(self) -> bool:
        return self.is_paused

    def deletion_requested(self) -> bool:
        return self.requested

    def course_ended(self) -> bool:
        return self.ended

    def understand(self, text: str) -> Understanding:
        if text in self.scripted:
            return self.scripted[text]
        return default_understander().understand(text)

    def next_allowed(self, moment: datetime) -> datetime:
        return out_of_quiet_hours(moment)

    def open_invitation(self) -> str | None:
        return self.invitation

    def reminder_question(self) -> ReminderQuestion | None:
        return self.question

    def meeting(self, meeting_id: int) -> MeetingView | None:
        return self.meetings.get(meeting_id)

    def agreement(self, agreement_id: int) -> AgreementView | None:
        return self.agreements.get(agreement_id)

    def upcoming_meetings(self) -> list[MeetingView]:
        return sorted(self.meetings.values(), key=lambda m: m.starts_at)

    def open_agreements(self) -> list[AgreementView]:
        return sorted(self.agreements.values(), key=lambda a: a.deadline)

    def now(self) -> datetime:
        return self.moment

    def new_id(self) -> str:
        self.ids += 1
        return f"{self.ids:032x}"

    def accepted_information_version(self) -> int | None:
        return self.accepted

    def past_results(self, questionnaire_id: str) -> list[PastResult]:
        return self.past.get(questionnaire_id, [])

    def apply(self, effects: tuple[Effect, ...]) -> None:
        """Play effects back the way the service would, as far as the engine can observe."""
        for effect in effects:
            if isinstance(effect, AcceptInformation):
                self.accepted = effect.version
            if isinstance(effect, DeclineInformation):
                self.accepted = None
            if isinstance(effect, SetPaused):
                self.is_paused = effect.paused
            if isinstance(effect, RequestErasure):
                self.requested = True
            if isinstance(effect, WithdrawErasure):
                self.requested = False
            if isinstance(effect, SaveIdea):
                text = self.unseal(effect.sealed_text)
                self.ideas.append((effect.workshop_id, effect.theme, text))
                self.idea_times.append(self.moment)
            if isinstance(effect, SaveAnswer):
                self.answers.setdefault(effect.response_id, {})[effect.item_id] = effect.value
        self.moment += timedelta(seconds=5)

    def completed(self, effects: tuple[Effect, ...]) -> list[CompleteResponse]:
        return [effect for effect in effects if isinstance(effect, CompleteResponse)]


def meaning(
    text: str, intent: str, confidence: float = 1.0, *, crisis: CrisisHit | None = None
) -> Understanding:
    """What a text means, fixed by the test (no trained model needed)."""
    return Understanding(Parse(text, intent, confidence), crisis)


def possible(text: str, intent: str = "crisis") -> Understanding:
    """A text the safety net is unsure about."""
    return meaning(text, intent, 0.5, crisis=CrisisHit("classifier", "0.50", certain=False))
