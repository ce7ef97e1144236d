"""Free text through the service on both databases: alerts and postponed check-ins are stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.engine import Text
from domain.outbox import ReminderKind, Subject, enqueue
from storage.models import Alert, Reminder, ReminderStatus
from tests.auxil.transcript import replies
from tests.bot.test_reminder_answers import accepted


def stored_alerts(database):
    with database.session() as session:
        return [(a.kind, a.urgent, a.details) for a in session.scalars(select(Alert))]


def checkin_reminders(database):
    with database.session() as session:
        rows = session.scalars(select(Reminder).order_by(Reminder.id))
        return [(r.kind, r.status, r.due_at) for r in rows]


def sent_invitation(database, person_id, clock):
    with database.session() as session:
        reminder = enqueue(
            session,
            person_id,
            kind=ReminderKind.CHECKIN_INVITE,
            subject=Subject.checkin("who5"),
            due_at=clock() - timedelta(hours=1),
            latest_at=clock() + timedelta(hours=5),
            dedup_key="checkin:who5:test:invite",
        )
        assert reminder is not None
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = clock() - timedelta(hours=1)
        enqueue(
            session,
            person_id,
            kind=ReminderKind.CHECKIN_NUDGE,
            subject=Subject.checkin("who5"),
            due_at=clock() + timedelta(hours=20),
            latest_at=clock() + timedelta(days=2),
            dedup_key="checkin:who5:test:nudge",
        )


def test_a_cry_for_help_is_stored_as_an_urgent_alert_with_the_words(
    service, database, person_id, clock
):
    accepted(database, person_id, clock)
    answer = replies(service.handle(person_id, Text("jeg vil ikke leve mere")))
    assert "70 201 201" in answer[0]
    assert stored_alerts(database) == [
        ("crisis", True, {"source": "lexicon", "where": "idle", "text": "jeg vil ikke leve mere"})
    ]


def test_putting_off_an_invitation_plans_one_reminder_at_that_time(
    service, database, person_id, clock
):
    accepted(database, person_id, clock)
    sent_invitation(database, person_id, clock)
    tomorrow_at_four = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 16.00 in Copenhagen
    for _ in range(2):  # said twice: still one reminder
        answer = replies(service.handle(person_id, Text("ka vi ikk ta det i morgen")))
        assert answer == ["Helt i orden. Jeg minder dig om det onsdag den 25. november kl. 16.00."]
    assert checkin_reminders(database) == [
        ("checkin_invite", ReminderStatus.SENT, clock() - timedelta(hours=1)),
        # The young person said when: no nudge besides.
        ("checkin_nudge", ReminderStatus.CANCELLED, clock() + timedelta(hours=20)),
        ("checkin_later", ReminderStatus.PENDING, tomorrow_at_four),
    ]
    # Changing their mind to the evening replaces the reminder.
    replies(service.handle(person_id, Text("nej vent, kan vi ta det i aften")))
    pending = [r for r in checkin_reminders(database) if r[1] == ReminderStatus.PENDING]
    assert pending == [
        ("checkin_later", ReminderStatus.PENDING, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    ]


def test_with_no_invitation_open_nothing_is_planned(service, database, person_id, clock):
    accepted(database, person_id, clock)
    answer = replies(service.handle(person_id, Text("kan vi tage det senere")))
    assert "Der er ikke noget, du skal nå lige nu" in answer[0]
    assert checkin_reminders(database) == []


def test_a_text_is_understood_once_before_the_transaction(database, content, person_id, clock):
    from bot.nlu import Understander
    from bot.nlu.build import default_understander
    from bot.service import ConversationService

    class Counting(Understander):
        def __init__(self) -> None:
            base = default_understander()
            super().__init__(base.interpreter, base._safety)
            self.calls: list[str] = []

        def understand(self, text):
            self.calls.append(text)
            return super().understand(text)

    counting = Counting()
    service = ConversationService(database, content, clock=clock, understander=counting)
    accepted(database, person_id, clock)
    replies(service.handle(person_id, Text("  hvornår er mit møde \u200b")))
    assert counting.calls == ["hvornår er mit møde"]
