"""What the national month measures: statement times, database size, and the outbox's record."""

from __future__ import annotations

import contextvars
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection, Engine

from core.locale import TIMEZONE
from domain.outbox import CHECKIN_KINDS
from domain.reminder_timing import DEFAULT_RULES, ReminderRules, out_of_quiet_hours
from storage import Database
from storage.models import Reminder, ReminderStatus

# Which part of the run issued a statement: "planner", "dispatcher" or "harness" (seeding, the
# simulated young people's answers, the backlog count). asyncio.to_thread copies it.
PART: contextvars.ContextVar[str] = contextvars.ContextVar("part", default="harness")


@dataclass
class StatementTimes:
    """Each statement's count, total and slowest wall time, per part of the run."""

    count: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    total: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    slowest: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))

    def listen(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Connection, *_: Any) -> None:
        conn.info.setdefault("started", []).append(time.perf_counter())

    def _after(self, conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        elapsed = time.perf_counter() - conn.info["started"].pop()
        key = (PART.get(), " ".join(statement.split()))
        self.count[key] += 1
        self.total[key] += elapsed
        self.slowest[key] = max(self.slowest[key], elapsed)

    def top(self, *, by: str, parts: tuple[str, ...], n: int = 3) -> list[tuple[str, str]]:
        def weight(key: tuple[str, str]) -> float:
            if by == "mean":
                return self.total[key] / self.count[key]
            return self.slowest[key] if by == "slowest" else self.total[key]

        keys = sorted((k for k in self.count if k[0] in parts), key=lambda k: -weight(k))[:n]
        return [
            (
                k[0],
                f"max {self.slowest[k] * 1000:.1f} ms, mean "
                f"{self.total[k] / self.count[k] * 1000:.2f} ms, {self.count[k]} runs, total "
                f"{self.total[k]:.1f} s: {k[1][:220]}",
            )
            for k in keys
        ]


def database_bytes(database: Database) -> dict[str, int]:
    """Bytes on disk per table, indexes and TOAST included (PostgreSQL), or the file (SQLite)."""
    with database.engine.connect() as connection:
        if database.is_sqlite:
            pages = connection.execute(text("PRAGMA page_count")).scalar_one()
            size = connection.execute(text("PRAGMA page_size")).scalar_one()
            return {"(file)": int(pages) * int(size)}
        rows = connection.execute(
            text(
                "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
        ).all()
    return {str(name): int(size) for name, size in rows}


@dataclass(frozen=True)
class OutboxRecord:
    statuses: dict[str, int]
    delays: list[float]  # seconds from due_at to sent_at, every sent row
    worst_kind: str
    waves: list[tuple[datetime, int, float]]  # 16.00 check-in waves: when, rows, seconds
    quiet_sends: int
    resent: int  # sent rows with more than one attempt


def outbox_record(
    database: Database, *, start: datetime, end: datetime, rules: ReminderRules = DEFAULT_RULES
) -> OutboxRecord:
    statuses: dict[str, int] = defaultdict(int)
    delays: list[float] = []
    worst, worst_kind = -1.0, ""
    waves: dict[datetime, list[float]] = defaultdict(list)
    quiet = resent = 0
    with database.session() as session:
        rows = session.execute(
            select(
                Reminder.kind, Reminder.status, Reminder.due_at, Reminder.sent_at, Reminder.attempts
            ).where(Reminder.due_at >= start, Reminder.due_at < end)
        ).all()
    for kind, status, due, sent, attempts in rows:
        statuses[status] += 1
        if status != ReminderStatus.SENT or sent is None:
            continue
        delay = (sent - due).total_seconds()
        delays.append(delay)
        if delay > worst:
            worst, worst_kind = delay, kind
        if out_of_quiet_hours(sent, rules) != sent:
            quiet += 1
        resent += attempts > 1
        local = due.astimezone(TIMEZONE)
        if (
            kind in CHECKIN_KINDS
            and local.timetz().replace(tzinfo=None) == rules.checkin_default_at
        ):
            waves[due].append(delay)
    return OutboxRecord(
        statuses=dict(statuses),
        delays=sorted(delays),
        worst_kind=worst_kind,
        waves=sorted((due, len(d), max(d)) for due, d in waves.items()),
        quiet_sends=quiet,
        resent=resent,
    )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(share * len(values)))]


def describe_waves(waves: list[tuple[datetime, int, float]]) -> str:
    if not waves:
        return "no 16.00 wave in the run"
    biggest = max(waves, key=lambda w: w[1])
    longest = max(waves, key=lambda w: w[2])
    median = statistics.median(w[2] for w in waves)
    return (
        f"{len(waves)} waves; longest {longest[2] / 60:.1f} min ({longest[1]} check-in messages, "
        f"{longest[0].astimezone(TIMEZONE):%d %b}); biggest {biggest[1]} messages in "
        f"{biggest[2] / 60:.1f} min; median {median / 60:.1f} min"
    )


def span(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))


@dataclass
class DailyFigures:
    """A progress line a simulated day, with that day's worst delay and 16.00 wave: a run cut
    short still tells what its finished days did."""

    start: datetime
    began: float  # wall clock (perf_counter) when the simulation began
    worst: float = 0.0
    worst_at: str = ""
    longest_wave: float = 0.0
    rules: ReminderRules = DEFAULT_RULES

    def line(self, database: Database, now: datetime, sent: int, run: Any) -> str:
        local = now.astimezone(TIMEZONE)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        day_start = max(self.start, (midnight - timedelta(days=1)).astimezone(now.tzinfo))
        with database.session() as session:
            rows = session.execute(
                select(Reminder.kind, Reminder.due_at, Reminder.sent_at).where(
                    Reminder.status == ReminderStatus.SENT,
                    Reminder.due_at >= day_start,
                    Reminder.due_at < midnight,
                )
            ).all()
        worst, kind, wave, wave_rows = 0.0, "", 0.0, 0
        for row_kind, due, sent_at in rows:
            if sent_at is None:
                continue
            delay = (sent_at - due).total_seconds()
            if delay > worst:
                worst, kind = delay, row_kind
            at = due.astimezone(TIMEZONE).timetz().replace(tzinfo=None)
            if row_kind in CHECKIN_KINDS and at == self.rules.checkin_default_at:
                wave, wave_rows = max(wave, delay), wave_rows + 1
        if worst > self.worst:
            self.worst, self.worst_at = worst, f"{day_start.astimezone(TIMEZONE):%d %b} {kind}"
        self.longest_wave = max(self.longest_wave, wave)
        size = sum(database_bytes(database).values())
        return (
            f"  {local:%a %d %b} wall {time.perf_counter() - self.began:.0f} s: sent {sent}, "
            f"{run.ticks} polls, peak backlog {run.peak_backlog}; the day before: {len(rows)} "
            f"sent, worst delay {span(worst)} ({kind}), 16.00 wave {wave_rows} in "
            f"{wave / 60:.1f} min; so far worst {span(self.worst)} ({self.worst_at}), longest "
            f"wave {self.longest_wave / 60:.1f} min; database {size / 1e6:.0f} MB"
        )
