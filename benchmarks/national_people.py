"""The simulated young people of the national month: they read the buttons of what the
dispatcher sends them and answer a share of it, stored as the bot's effects would store it."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, tuple_, update

from benchmarks.national_seed import completed_response
from bot.engine import Message, Reply
from core.content import Content
from domain.outbox import Subject
from domain.reminder_timing import DEFAULT_RULES, out_of_quiet_hours
from storage import Database
from storage.models import (
    Agreement,
    AgreementStatus,
    Answer,
    Meeting,
    MeetingFeedback,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
)


@dataclass(frozen=True, kw_only=True)
class Shares:
    """How the simulated young people answer (the issue asks for "a realistic share").

    60% of check-ins are completed: half the invitations are answered, and a fifth of those
    nudged. Meeting reminders get "coming" from 65% and "can't come" from 5%; each agreement
    reminder gets "done" from 30% (two in three agreements are done by the follow-up); half the
    network meetings' feedback questions are answered. Answers come 1-240 minutes after the
    message (check-ins) or 1-60 minutes (buttons)."""

    invite: float = 0.5
    nudge: float = 0.2
    coming: float = 0.65
    cannot_come: float = 0.05
    agreement_done: float = 0.3
    feedback: float = 0.5


@dataclass(order=True)
class Reaction:
    at: float  # simulated seconds
    seq: int
    what: str = field(compare=False)  # checkin | coming | cannot_come | done | feedback
    person_id: int = field(compare=False)
    ref: str = field(compare=False)


@dataclass
class FakePeople:
    """The channel: records each send at simulated time and queues the young person's answer."""

    loop: asyncio.AbstractEventLoop
    clock: Callable[[], datetime]
    rng: random.Random
    shares: Shares
    rate: float
    sent: int = 0
    quiet_sends: int = 0
    over_rate: int = 0
    reactions: list[Reaction] = field(default_factory=list)
    _recent: deque[float] = field(default_factory=deque)
    _seen: dict[tuple[int, str], float] = field(default_factory=dict)
    _seq: Iterator[int] = field(default_factory=itertools.count)

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[Message, ...]
    ) -> None:
        now = self.loop.time()
        self.sent += 1
        if out_of_quiet_hours(self.clock(), DEFAULT_RULES) != self.clock():
            self.quiet_sends += 1
        self._recent.append(now)
        if len(self._recent) > self.rate and now - self._recent.popleft() < 1.0 - 1e-6:
            self.over_rate += 1
        data = next(
            (b.data for m in messages if isinstance(m, Reply) for row in m.buttons for b in row),
            "",
        )
        self._react(person_id, data.split("|"), now)

    def _react(self, person_id: int, parts: list[str], now: float) -> None:
        roll, shares = self.rng.random(), self.shares
        if parts[0] == "q":
            seen = self._seen.get((person_id, parts[1]))
            self._seen[(person_id, parts[1])] = now
            nudge = seen is not None and now - seen < 7 * 86_400
            if roll < (shares.nudge if nudge else shares.invite):
                self._queue(now + self.rng.uniform(60, 14_400), "checkin", person_id, parts[1])
        elif parts[0] == "m" and (person_id, parts[1]) not in self._seen:
            self._seen[(person_id, parts[1])] = now
            if roll < shares.coming + shares.cannot_come:
                what = "coming" if roll < shares.coming else "cannot_come"
                self._queue(now + self.rng.uniform(60, 3_600), what, person_id, parts[1])
        elif parts[0] == "g" and roll < shares.agreement_done:
            self._queue(now + self.rng.uniform(60, 3_600), "done", person_id, parts[1])
        elif parts[0] == "f" and roll < shares.feedback:
            self._queue(now + self.rng.uniform(60, 3_600), "feedback", person_id, parts[1])

    def _queue(self, at: float, what: str, person_id: int, ref: str) -> None:
        heapq.heappush(self.reactions, Reaction(at, next(self._seq), what, person_id, ref))

    def due(self, now: float) -> list[Reaction]:
        out = []
        while self.reactions and self.reactions[0].at <= now:
            out.append(heapq.heappop(self.reactions))
        return out


def apply_answers(
    database: Database,
    content: Content,
    answers: list[tuple[datetime, Reaction]],
    *,
    rng: random.Random,
) -> None:
    """Store the answers, each at its own moment, as the bot's effects store them
    (bot/service/effects.py): a completed check-in cancels its pending invitation and nudge;
    "done" ends an agreement's reminders. A few statements for the whole batch: the harness's
    own writes should not be what a run's wall time goes to."""
    if not answers:
        return
    responses: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    checkins: list[tuple[int, str]] = []
    meetings: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    done: list[tuple[int, str]] = []
    feedback: dict[int, datetime] = {}
    for now, answer in answers:
        if answer.what == "checkin":
            response, rows = completed_response(content, answer.person_id, answer.ref, now, rng)
            responses.append(response)
            items += rows
            checkins.append((answer.person_id, str(Subject.checkin(answer.ref))))
        elif answer.what in ("coming", "cannot_come"):
            meetings.append({"meeting": int(answer.ref), "answer": answer.what, "at": now})
        elif answer.what == "done":
            agreements.append({"agreement": int(answer.ref), "at": now})
            done.append((answer.person_id, str(Subject.agreement(int(answer.ref)))))
        else:
            feedback.setdefault(int(answer.ref), now)
    with database.session() as session:
        # The young person's id beside the subject: the same rows, found by an index.
        for pairs, values in (
            (checkins, {"status": ReminderStatus.CANCELLED, "last_error": "check-in completed"}),
            (done, {"status": ReminderStatus.CANCELLED}),
        ):
            if pairs:
                session.execute(
                    update(Reminder)
                    .where(
                        tuple_(Reminder.young_person_id, Reminder.subject).in_(pairs),
                        Reminder.status == ReminderStatus.PENDING,
                    )
                    .values(**values)
                )
        if meetings:
            table = cast(Table, Meeting.__table__)
            session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("meeting"))
                .values(answer=bindparam("answer"), answered_at=bindparam("at")),
                meetings,
            )
        if agreements:
            table = cast(Table, Agreement.__table__)
            session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("agreement"), table.c.status == AgreementStatus.OPEN)
                .values(
                    status=AgreementStatus.DONE,
                    done_at=bindparam("at"),
                    outcome_at=bindparam("at"),
                    outcome_by="young_person",
                ),
                agreements,
            )
        if feedback:
            known = set(
                session.scalars(
                    select(MeetingFeedback.meeting_id).where(
                        MeetingFeedback.meeting_id.in_(feedback)
                    )
                )
            )
            rows = [
                {
                    "meeting_id": meeting,
                    "heard": 3,
                    "part_of_decisions": 2,
                    "knows_next": 3,
                    "answered_at": at,
                }
                for meeting, at in feedback.items()
                if meeting not in known
            ]
            if rows:
                session.execute(insert(MeetingFeedback), rows)
        if responses:
            session.execute(insert(QuestionnaireResponse), responses)
            session.execute(insert(Answer), items)
