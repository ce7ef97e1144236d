"""What the bot promises about the contact person, kept: through the service on both databases,
with the alert, its e-mail and the agenda as they are stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.nlu import Understander, Understanding
from bot.nlu.build import default_understander
from bot.service import ConversationService
from domain.alerts.escalation import CarePolicy, queue_digests
from domain.alerts.kinds import AlertKind
from storage.models import (
    Alert,
    AlertStatus,
    Meeting,
    NotificationKind,
    StaffNotification,
    StaffRole,
    StaffUser,
    YoungPerson,
)
from tests.auxil.ports import meaning, possible
from tests.auxil.transcript import Conversation, replies
from tests.bot.test_reminder_answers import accepted, add_meeting

HARD = "det hele er bare for meget"
SAD = "jeg er så ked af det i dag"
SATURDAY_NIGHT = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)


class Scripted(Understander):
    """The real understander, with a few texts whose meaning the test fixes."""

    def __init__(self, scripted: dict[str, Understanding]) -> None:
        base = default_understander()
        super().__init__(base.interpreter, base._safety)
        self.scripted = scripted

    def understand(self, text: str) -> Understanding:
        return self.scripted.get(text) or super().understand(text)


@pytest.fixture
def service(database, content, clock) -> ConversationService:
    scripted = Scripted(
        {
            HARD: possible(HARD),
            SAD: meaning(SAD, "feel_sad", 0.9),
            "kan jeg snakke med min kontaktperson": meaning(
                "kan jeg snakke med min kontaktperson", "contact_coordinator", 0.9
            ),
        }
    )
    return ConversationService(database, content, clock=clock, understander=scripted)


@pytest.fixture
def kim(database, person_id, clock) -> int:
    """Mille's coordinator, Kim, with an e-mail address; Sara stands in for Kim."""
    with database.session() as session:
        kim = StaffUser(
            email="kim@kommune.dk",
            display_name="Kim",
            role=StaffRole.COORDINATOR,
            created_at=clock(),
        )
        sara = StaffUser(
            email="sara@kommune.dk",
            display_name="Sara",
            role=StaffRole.COORDINATOR,
            created_at=clock(),
        )
        session.add_all([kim, sara])
        session.flush()
        kim.stand_in_id = sara.id
        session.get(YoungPerson, person_id).coordinator_id = kim.id
        return kim.id


@pytest.fixture
def talk(service, database, person_id, clock, kim) -> Conversation:
    accepted(database, person_id, clock)
    return Conversation(lambda event: service.handle(person_id, event))


def stored(database) -> list[tuple[str, bool, str]]:
    with database.session() as session:
        rows = session.scalars(select(Alert).order_by(Alert.id))
        return [(a.kind, a.urgent, a.status) for a in rows]


def emails(database) -> list[tuple[str, str, datetime]]:
    with database.session() as session:
        rows = session.execute(
            select(StaffUser.display_name, StaffNotification.kind, StaffNotification.due_at)
            .join(StaffUser, StaffUser.id == StaffNotification.staff_user_id)
            .order_by(StaffNotification.id)
        ).all()
        return [tuple(row) for row in rows]


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


# --- certain --------------------------------------------------------------------------------


def test_a_cry_for_help_is_emailed_to_the_contact_person_at_once(talk, database, clock):
    answer = said(talk, "jeg vil ikke leve mere")
    assert "jeg har lige sendt en besked til din kontaktperson" in answer
    assert stored(database) == [(AlertKind.CRISIS, True, AlertStatus.OPEN)]
    assert emails(database) == [("Kim", NotificationKind.ALERT, clock())]


def test_while_the_contact_person_is_away_a_colleague_gets_it(talk, database, clock, kim):
    with database.session() as session:
        session.get(StaffUser, kim).absent = True
    answer = said(talk, "jeg vil ikke leve mere")
    assert "Er din kontaktperson ikke på arbejde, får en kollega beskeden." in answer
    assert emails(database) == [("Sara", NotificationKind.ALERT, clock())]


def test_outside_staff_hours_it_says_when_the_office_opens(talk, database, clock):
    clock.moment = SATURDAY_NIGHT
    answer = said(talk, "jeg vil ikke leve mere")
    assert "Beskeden bliver læst, når kontoret åbner mandag den 30. november kl. 08.00." in answer
    assert "BørneTelefonen på 116 111" in answer
    # The e-mail is sent now; it is read when the office opens.
    assert emails(database) == [("Kim", NotificationKind.ALERT, SATURDAY_NIGHT)]


# --- possible -------------------------------------------------------------------------------


def test_the_question_holds_an_alert_nobody_sees_yet(talk, database):
    assert "Tænker du på at gøre dig selv noget?" in said(talk, HARD)
    assert stored(database) == [(AlertKind.CRISIS_POSSIBLE, True, AlertStatus.HELD)]
    assert emails(database) == []


def test_no_tells_the_contact_person_without_urgency_and_keeps_the_words(talk, database, clock):
    # The information text promises the contact person hears of a text that sounds like
    # danger: a "no" turns the held alert into a non-urgent one (no e-mail now; the next
    # digest), with the words that raised the question.
    said(talk, HARD)
    answer = "\n".join(replies(talk.press("Nej, jeg er okay")))
    assert "Jeg fortæller din kontaktperson, at jeg spurgte, så I kan tale om det." in answer
    assert stored(database) == [(AlertKind.SAFETY_OKAY, False, AlertStatus.OPEN)]
    assert emails(database) == []
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert (alert.details["text"], alert.details["answer"]) == (HARD, "no")
    assert_in_next_working_day_digest(database, clock)


def test_yes_is_a_crisis_emailed_at_once(talk, database, clock):
    said(talk, HARD)
    talk.press("Ja")
    assert stored(database) == [(AlertKind.CRISIS, True, AlertStatus.OPEN)]
    assert emails(database) == [("Kim", NotificationKind.ALERT, clock())]
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert alert.details["text"] == HARD  # the words that raised the question are kept


def test_a_certain_text_while_the_question_waits_keeps_both_texts(talk, database):
    said(talk, HARD)
    said(talk, "jeg vil ikke leve mere")
    assert stored(database) == [(AlertKind.CRISIS, True, AlertStatus.OPEN)]
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert (alert.details["text"], alert.details["text_before"]) == (
            "jeg vil ikke leve mere",
            HARD,
        )


def test_an_unclear_answer_opens_the_alert_and_emails_it(talk, database, clock):
    said(talk, HARD)
    answer = said(talk, "ved ikke")
    assert "Derfor giver jeg din kontaktperson besked, så I kan tale sammen." in answer
    assert stored(database) == [(AlertKind.CRISIS_POSSIBLE, True, AlertStatus.OPEN)]
    assert emails(database) == [("Kim", NotificationKind.ALERT, clock())]
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert alert.details["text"] == HARD  # the coordinator sees the words


def test_wanting_to_talk_reaches_the_contact_person_by_the_next_working_day(talk, database, clock):
    said(talk, HARD)
    answer = "\n".join(replies(talk.press("Jeg vil gerne tale med nogen")))
    assert "Den når frem senest næste hverdag." in answer
    assert stored(database) == [(AlertKind.CONTACT_REQUEST, False, AlertStatus.OPEN)]
    assert_in_next_working_day_digest(database, clock)


# --- feelings and wishes ---------------------------------------------------------------------


def assert_in_next_working_day_digest(database, clock) -> None:
    """A non-urgent alert: in the digest e-mail of the next working day at the latest."""
    next_morning = clock() + timedelta(days=1)  # Wednesday 25 November, 14.00
    with database.session() as session:
        queue_digests(session, now=next_morning, policy=CarePolicy())
    assert emails(database)[-1] == ("Kim", NotificationKind.DIGEST, next_morning)


def test_telling_the_contact_person_about_a_feeling(talk, database, clock):
    said(talk, SAD)
    answer = "\n".join(replies(talk.press("Sig det til min kontaktperson")))
    assert "Den når frem senest næste hverdag." in answer
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert (alert.kind, alert.urgent, alert.details) == (
            AlertKind.CONTACT_REQUEST,
            False,
            {"about": "feel_sad"},
        )
    assert_in_next_working_day_digest(database, clock)


def test_a_feeling_goes_on_the_next_meeting_s_agenda(talk, database, person_id, clock):
    meeting_id = add_meeting(database, person_id, clock)
    said(talk, SAD)
    talk.press("Tag det med til næste møde")
    with database.session() as session:
        agenda = session.get(Meeting, meeting_id).agenda
    assert agenda == "Den unge vil gerne tale om: at jeg er ked af det"
    assert stored(database) == []


def test_with_no_meeting_planned_the_coordinator_gets_the_topic(talk, database):
    said(talk, SAD)
    answer = "\n".join(replies(talk.press("Tag det med til næste møde")))
    assert "Jeg har skrevet det ned til din kontaktperson" in answer
    with database.session() as session:
        [alert] = session.scalars(select(Alert)).all()
        assert (alert.kind, alert.details) == (
            AlertKind.TALK_TOPIC,
            {"text": "at jeg er ked af det"},
        )


def test_asking_for_the_contact_person_in_words_is_passed_on(talk, database):
    answer = said(talk, "kan jeg snakke med min kontaktperson")
    assert "Jeg har givet din kontaktperson besked." in answer
    assert stored(database) == [(AlertKind.CONTACT_REQUEST, False, AlertStatus.OPEN)]


# --- after a WHO-5 --------------------------------------------------------------------------


def test_a_very_low_who5_is_told_and_emailed(talk, database, clock):
    for line in ("/tjek who5", "ja", "0", "1", "2", "1"):
        talk.send(line)
    answer = said(talk, "1")
    assert "Din kontaktperson får besked om dine svar og tager kontakt til dig." in answer
    kinds = {(kind, urgent) for kind, urgent, _ in stored(database)}
    assert (AlertKind.WHO5_LOW, True) in kinds
    assert emails(database) == [("Kim", NotificationKind.ALERT, clock())]
