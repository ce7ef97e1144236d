"""The national-month benchmark's code at a tiny size: its invariants, not its timings."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from benchmarks.national_month import run_month
from benchmarks.national_people import Shares
from benchmarks.national_seed import agreement_rows, meeting_rows
from benchmarks.virtual_time import VirtualTimeLoop
from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage.models import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingFeedback,
    MeetingKind,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
)

START = at_local(date(2026, 3, 1), datetime.min.time())


def test_virtual_time_jumps_over_sleeps_and_waits_for_threads() -> None:
    loop = VirtualTimeLoop()

    async def scenario() -> list[float]:
        started = time.perf_counter()
        await asyncio.sleep(86_400)  # a day, at once
        await asyncio.to_thread(time.sleep, 0.05)  # a thread's result is awaited for real
        moments = await asyncio.gather(*(_at(loop, n / 30) for n in range(3)))
        assert time.perf_counter() - started < 5
        return moments

    try:
        moments = loop.run_until_complete(scenario())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
    assert moments == [86_400, 86_400 + 1 / 30, 86_400 + 2 / 30]


async def _at(loop: asyncio.AbstractEventLoop, delay: float) -> float:
    await asyncio.sleep(delay)
    return loop.time()


def _stored(session, person_id: int) -> list[tuple[str, datetime, datetime, str, str]]:
    rows = session.scalars(select(Reminder).where(Reminder.young_person_id == person_id))
    return sorted((r.kind, r.due_at, r.latest_at, r.status, r.dedup_key) for r in rows)


def test_seeded_reminders_are_what_the_domain_plans(database, active_person) -> None:
    """The bulk seed's outbox rows equal those create_meeting and create_agreement store."""
    now = START - timedelta(hours=12)
    starts = at_local(date(2026, 3, 4), datetime.min.time().replace(hour=9))
    with database.session() as session:
        meeting = create_meeting(
            session,
            active_person,
            MeetingDetails(kind=MeetingKind.NETWORK, starts_at=starts, place="Ungehuset"),
            now=now,
        )
        agreement = create_agreement(
            session,
            active_person,
            AgreementDetails(
                goal="Mål", action="Ring", responsible="Den unge", deadline=date(2026, 3, 6)
            ),
            now=now,
        )
        planned = _stored(session, active_person)
    seeded = meeting_rows(active_person, meeting.id, MeetingKind.NETWORK, starts, now=now)
    seeded += agreement_rows(active_person, agreement.id, date(2026, 3, 6), now=now)
    expected = sorted(
        (r["kind"], r["due_at"], r["latest_at"], r["status"], r["dedup_key"]) for r in seeded
    )
    assert planned == expected
    assert len(planned) == 6  # day before, 2 h before, feedback; soon, on the day, follow-up


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_small_week_sends_each_reminder_once_in_daytime_and_drains(database, content) -> None:
    outcome = run_month(
        database,
        content,
        people=200,
        start=START,
        days=7,
        rate=30.0,
        # More "can't come" than the month's 5 %: one random stream is drawn in the order the
        # concurrent sends arrive, and at 5 % a week of ~90 meeting reminders had none about once
        # in a hundred runs, failing the check that every kind of answer is stored.
        shares=Shares(coming=0.5, cannot_come=0.2),
        plan_every=timedelta(hours=24),
        rng=random.Random(1),
    )
    with database.session() as session:
        answered = session.scalars(
            select(QuestionnaireResponse).where(QuestionnaireResponse.started_at >= START)
        ).all()
    record, fake, run = outcome.record, outcome.fake, outcome.run
    sent = record.statuses[ReminderStatus.SENT]
    assert sent > 200 * 7 * 8 // 30  # about 8 messages a young person a month, at least
    assert fake.sent == sent  # every sent row went out once, and nothing else went out
    assert record.resent == 0
    assert ReminderStatus.MISSED not in record.statuses
    assert ReminderStatus.FAILED not in record.statuses
    assert fake.quiet_sends == record.quiet_sends == 0
    assert fake.over_rate == 0
    assert run.final_backlog == 0
    assert run.peak_backlog > 0
    assert len(record.waves) == 7  # a 16.00 wave each day, every one out in minutes
    assert max(seconds for _, _, seconds in record.waves) < 15 * 60
    assert answered  # the simulated young people answered check-ins
    assert all(r.completed_at is not None for r in answered)
    _assert_answers_stored(database)


def _assert_answers_stored(database) -> None:
    """Each kind of answer the harness stores in bulk landed, with what it cancels."""
    with database.session() as session:
        rows = session.scalars(select(Reminder).where(Reminder.due_at >= START)).all()
        meetings = session.scalars(select(Meeting).where(Meeting.answer.is_not(None))).all()
        done = session.scalars(
            select(Agreement).where(Agreement.status == AgreementStatus.DONE)
        ).all()
        feedback = session.scalars(select(MeetingFeedback)).all()
    assert {m.answer for m in meetings} == {"coming", "cannot_come"}
    assert all(m.answered_at is not None and m.answered_at >= START for m in meetings)
    assert done
    assert all(a.done_at is not None and a.outcome_by == "young_person" for a in done)
    assert feedback
    pending = {r.subject for r in rows if r.status == ReminderStatus.PENDING}
    assert not pending & {f"agreement:{a.id}" for a in done}  # "done" ends its reminders
    assert any(r.last_error == "check-in completed" for r in rows)
