"""The multi-process benchmark's figures, and the checks it makes on the database afterwards."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from benchmarks.faults_kill_people import Tally
from benchmarks.multiprocess_telegram import WebhookTelegram
from bot.flows.reminders import MEETING
from storage import Answer, Database, QuestionnaireResponse, ResponseStatus
from storage.models import Reminder, YoungPerson

REMINDER_CHAT = 9_000_000  # the first chat of the people who get reminders (pseudonym R<n>)


@dataclass
class MultiReport:
    processes: int
    people: int
    kills: int = 0
    restarts: int = 0
    elapsed_s: float = 0.0
    updates: int = 0  # updates delivered (answered 2xx) through the proxy
    updates_dropped: int = 0  # sent by Telegram and never handled
    undelivered: int = 0  # still waiting at Telegram at the end (never answered 2xx)
    order_problems: int = 0  # a chat's update answered before an older one of the same chat
    failed_deliveries: int = 0  # deliveries Telegram had to make again (502, broken, refused)
    failures: dict[str, int] = field(default_factory=dict)  # why, by HTTP status or error
    refused: int = 0  # connections the proxy found refused and sent to another process
    dropped: int = 0  # requests a process took and never answered (killed)
    spread: list[int] = field(default_factory=list)  # requests answered per process
    answers_expected: int = 0
    answers_stored: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    out_of_order: int = 0  # people whose stored answers are not in the order of the questions
    completed: int = 0
    stuck: int = 0
    problems: list[str] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    latencies: list[float] = field(default_factory=list)  # a person's wait for each reply
    handling_s: list[float] = field(default_factory=list)  # each webhook request's round trip
    reminders: int = 0
    reminders_once: int = 0
    reminders_twice: int = 0  # delivered more than once
    reminders_missing: int = 0  # marked sent or failed and never delivered, or still pending
    # Claimed by a process that was killed mid-send: not marked, so sent again after the
    # dispatcher's reclaim_after (5 minutes). Delivered once already / not yet.
    claimed_by_dead_delivered: int = 0
    claimed_by_dead_undelivered: int = 0
    stray_messages: int = 0  # messages in reminder chats that belong to no reminder row
    start_webhook_calls: int = 0
    webhook_calls: int = 0
    webhook_same: bool = False
    tracebacks: int = 0  # while serving
    stop_tracebacks: int = 0  # after SIGTERM (a scheduler job cancelled as it stops)

    def faultless(self) -> bool:
        return (
            self.lost,
            self.duplicated,
            self.wrong,
            self.out_of_order,
            self.stuck,
            self.updates_dropped,
            self.order_problems,
            self.reminders_twice,
            self.reminders_missing,
            self.stray_messages,
            self.tracebacks,
            self.undelivered,
        ) == (0,) * 12 and self.completed == self.people

    def lines(self) -> list[str]:
        return [
            f"processes: {self.processes}; young people: {self.people}; SIGKILLs: {self.kills}, "
            f"restarts: {self.restarts}; run: {self.elapsed_s:.1f} s",
            f"updates handled: {self.updates} ({self.updates / max(self.elapsed_s, 1e-9):.1f} "
            f"updates/s); per process: {self.spread}; never handled: {self.updates_dropped}; "
            f"still waiting at the end: {self.undelivered}",
            f"reply latency (a person's wait): p50 {_ms(self.latencies, 0.5)} ms, p95 "
            f"{_ms(self.latencies, 0.95)} ms, max {_ms(self.latencies, 1.0)} ms",
            f"webhook request (update stored and answered): p50 {_ms(self.handling_s, 0.5)} ms, "
            f"p95 {_ms(self.handling_s, 0.95)} ms",
            f"answers expected: {self.answers_expected}; stored: {self.answers_stored}; lost: "
            f"{self.lost}; doubled: {self.duplicated}; wrong: {self.wrong}; people with answers "
            f"out of order: {self.out_of_order}; a chat's updates out of order: "
            f"{self.order_problems}",
            f"check-ins completed: {self.completed} of {self.people}; stuck: {self.stuck}; "
            f"people's retries: {self.tally.repeats} same press, {self.tally.resumes} /tjek",
            f"deliveries made again: {self.failed_deliveries} {self.failures}; proxy: "
            f"{self.refused} refused "
            f"connections tried elsewhere, {self.dropped} requests cut off by a kill",
            f"reminders: {self.reminders}; delivered exactly once: {self.reminders_once}; twice "
            f"or more: {self.reminders_twice}; missing: {self.reminders_missing}; claimed by a "
            f"killed process (sent again after 5 min): {self.claimed_by_dead_delivered} already "
            f"delivered, {self.claimed_by_dead_undelivered} not yet; stray: {self.stray_messages}",
            f"setWebhook calls: {self.webhook_calls} (one per start), all the same URL and "
            f"secret: {self.webhook_same}; tracebacks in the logs: {self.tracebacks} while "
            f"serving, {self.stop_tracebacks} while stopping",
            *(f"stuck: {problem}" for problem in self.problems),
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _ms(values: list[float], fraction: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000:.0f}"


def check_answers(
    database: Database,
    people: list[tuple[int, dict[str, int]]],
    items: list[str],
    report: MultiReport,
) -> None:
    """Each person's stored answers against what they meant: lost, doubled, wrong, completed,
    and whether they were stored in the order of the questions (row ids and times)."""
    with database.session() as session:
        for person_id, intended in people:
            responses = session.scalars(
                select(QuestionnaireResponse).where(
                    QuestionnaireResponse.young_person_id == person_id
                )
            ).all()
            rows = session.execute(
                select(Answer.item_id, Answer.value, Answer.answered_at)
                .join(QuestionnaireResponse)
                .where(QuestionnaireResponse.young_person_id == person_id)
                .order_by(Answer.id)
            ).all()
            report.answers_stored += len(rows)
            report.duplicated += max(0, len(responses) - 1)
            for item, value in intended.items():
                values = [v for i, v, _ in rows if i == item]
                report.lost += not values
                report.duplicated += max(0, len(values) - 1)
                report.wrong += sum(v != value for v in values)
            report.wrong += sum(i not in intended for i, _, _ in rows)
            stored = [item for item, _, _ in rows]
            times = [moment for _, _, moment in rows]
            report.out_of_order += stored != items[: len(stored)] or times != sorted(times)
            done = [r for r in responses if r.status == ResponseStatus.COMPLETED]
            report.completed += len(done) == 1 and len(rows) == len(intended)


def reminder_deliveries(database: Database, api: WebhookTelegram, report: MultiReport) -> None:
    """Each reminder row seeded by the benchmark against the messages its chat got (matched by
    the meeting's button); any other message in those chats is stray."""
    with database.session() as session:
        rows = session.execute(
            select(Reminder.subject, Reminder.status, YoungPerson.telegram_chat_id)
            .join(YoungPerson, Reminder.young_person_id == YoungPerson.id)
            .where(Reminder.dedup_key.like("multi:%"))  # not what the planner adds
        ).all()
    chats = {chat for _, _, chat in rows if chat is not None}
    delivered: Counter[str] = Counter()
    for chat in chats:
        for message in api.messages(chat):
            datas = [b.get("callback_data", "") for row in message.buttons for b in row]
            found = [d.split("|")[1] for d in datas if d.startswith(MEETING) and "|coming" in d]
            if found:
                delivered[f"meeting:{found[0]}"] += 1
            else:
                report.stray_messages += 1
    report.reminders = len(rows)
    for subject, status, _ in rows:
        count = delivered.pop(subject, 0)
        if status == "sending":  # claimed and never marked: its process was killed
            if count == 1:
                report.claimed_by_dead_delivered += 1
            else:
                report.claimed_by_dead_undelivered += count == 0
                report.reminders_twice += count > 1
        elif count == 1 and status == "sent":
            report.reminders_once += 1
        elif count > 1:
            report.reminders_twice += 1
        else:
            report.reminders_missing += 1
    report.stray_messages += sum(delivered.values())
