"""The SIGKILL benchmark's report: what was stored against what was meant, and the recovery."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from benchmarks.faults_kill_people import KillBotApi, KillPerson, Tally
from storage import Answer, Database, QuestionnaireResponse, ResponseStatus


@dataclass
class KillReport:
    backend: str
    checkins: int
    kills: int = 0
    restarts: int = 0
    answers_expected: int = 0
    answers_stored: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    completed: int = 0
    stuck: int = 0  # people who found no way forward in time
    updates: int = 0
    updates_dropped: int = 0  # handed to the bot and never handled (lost in a kill)
    cut_off: int = 0  # Bot API calls whose request a kill cut off (never carried out)
    interrupted: int = 0  # people waiting for a reply at the moment of a kill (summed)
    tally: Tally = field(default_factory=Tally)
    stale_notices: int = 0
    resumed: int = 0  # "Vi fortsætter ved spørgsmål n af 5" after a /tjek
    answering_s: list[float] = field(default_factory=list)  # restart → first reply
    moving_s: list[float] = field(default_factory=list)  # restart → all interrupted moved on
    moving_cut: int = 0  # restarts where the next kill came before everyone moved on
    tracebacks: int = 0
    elapsed_s: float = 0.0
    problems: list[str] = field(default_factory=list)  # why the first stuck people stopped

    def lines(self) -> list[str]:
        return [
            f"database: {self.backend}; check-ins: {self.checkins}; run: {self.elapsed_s:.1f} s",
            f"SIGKILLs: {self.kills}; restarts: {self.restarts}; people waiting for a reply at "
            f"a kill: {self.interrupted}",
            f"answers expected: {self.answers_expected}; stored: {self.answers_stored}; "
            f"lost: {self.lost}; duplicated: {self.duplicated}; wrong: {self.wrong}",
            f"check-ins completed: {self.completed} of {self.checkins}; stuck: {self.stuck}",
            f"restart → bot answering again: p50 {_ms(self.answering_s, 0.5)} ms, "
            f"max {_ms(self.answering_s, 1.0)} ms",
            f"restart → every interrupted check-in moving again: p50 {_ms(self.moving_s, 0.5)} "
            f"ms, max {_ms(self.moving_s, 1.0)} ms ({len(self.moving_s)} restarts; "
            f"{self.moving_cut} cut short by the next kill)",
            f"updates: {self.updates}; taken by the bot and never handled (lost in a kill): "
            f"{self.updates_dropped}; bot calls cut off half-way: {self.cut_off}",
            f"people's retries: {self.tally.repeats} same press again, {self.tally.resumes} "
            f"/tjek; check-ins resumed at their question: {self.resumed}; 'Den knap virker "
            f"ikke længere.': {self.stale_notices}; talk question ended by /tjek: "
            f"{self.tally.ended_by_menu}",
            f"tracebacks in the bot's log: {self.tracebacks}",
            *(f"stuck: {problem}" for problem in self.problems),
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _ms(values: list[float], fraction: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000:.0f}"


def count_stored(
    database: Database, people: list[tuple[int, dict[str, int]]], report: KillReport
) -> None:
    """Compare the stored responses and answers with what each person meant."""
    with database.session() as session:
        for person_id, intended in people:
            responses = session.scalars(
                select(QuestionnaireResponse).where(
                    QuestionnaireResponse.young_person_id == person_id
                )
            ).all()
            rows = session.execute(
                select(Answer.item_id, Answer.value)
                .join(QuestionnaireResponse)
                .where(QuestionnaireResponse.young_person_id == person_id)
            ).all()
            report.answers_stored += len(rows)
            report.duplicated += max(0, len(responses) - 1)
            for item, value in intended.items():
                values = [v for i, v in rows if i == item]
                report.lost += not values
                report.duplicated += max(0, len(values) - 1)
                report.wrong += sum(v != value for v in values)
            report.wrong += sum(i not in intended for i, _ in rows)
            done = [r for r in responses if r.status == ResponseStatus.COMPLETED]
            report.completed += len(done) == 1 and len(rows) == len(intended)


def recovery(
    api: KillBotApi, events: list[tuple[float, float, list[KillPerson]]], report: KillReport
) -> None:
    for number, (killed_at, started, waiting) in enumerate(events):
        next_kill = events[number + 1][0] if number + 1 < len(events) else float("inf")
        answered = [t for t in api.replies_at if started < t < next_kill]
        if answered:
            report.answering_s.append(min(answered) - started)
        moved = [next((t for t in p.moved_at if t > killed_at), None) for p in waiting]
        if all(t is not None and t < next_kill for t in moved):
            report.moving_s.append(
                max([t for t in moved if t is not None], default=started) - started
            )
        else:
            report.moving_cut += 1
