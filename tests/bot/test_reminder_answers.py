"""The young person's side of reminders, through the service on both databases."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.engine import Command, Press, Text
from bot.engine.messages import RemoveButtons
from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage.models import (
    Agreement,
    Alert,
    ConversationStateRow,
    Meeting,
    MeetingFeedback,
    MeetingKind,
    PersonStatus,
    Reminder,
    YoungPerson,
)
from tests.auxil.ports import INFORMATION_VERSION
from tests.auxil.transcript import Conversation, replies, verify_dialog


def accepted(database, person_id, clock):
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        person.information_version = INFORMATION_VERSION
        person.information_accepted_at = clock()
        person.status = PersonStatus.ACTIVE


def add_meeting(database, person_id, clock, *, day=27, kind=MeetingKind.INDIVIDUAL):
    with database.session() as session:
        details = MeetingDetails(
            kind=kind, starts_at=at_local(date(2026, 11, day), time(14, 0)), place="Ungehuset"
        )
        return create_meeting(session, person_id, details, now=clock()).id


def alerts(database):
    with database.session() as session:
        return [(a.kind, a.details) for a in session.scalars(select(Alert).order_by(Alert.id))]


def test_cannot_come_asks_for_a_reason_and_alerts_the_coordinator(
    service, database, person_id, clock
):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock)
    answer = replies(service.handle(person_id, Press(f"m|{meeting_id}|cannot")))
    assert answer == [
        "Tak fordi du siger til. Vil du skrive, hvorfor du ikke kan? Det er helt frivilligt."
    ]
    assert replies(service.handle(person_id, Text("Jeg skal til tandlæge"))) == [
        "Tak. Din kontaktperson får besked og finder en ny tid sammen med dig."
    ]
    with database.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.answer, meeting.answer_reason) == ("cannot_come", "Jeg skal til tandlæge")
    assert alerts(database) == [("cannot_come", {"meeting_id": meeting_id})]


def test_cannot_come_mid_questionnaire_alerts_and_keeps_the_questionnaire(
    service, database, person_id, clock
):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock)
    talk = Conversation(lambda event: service.handle(person_id, event))
    talk.send("/tjek who5")
    talk.send("ja")
    talk.send("4")
    answer = replies(service.handle(person_id, Press(f"m|{meeting_id}|cannot")))
    assert answer == ["Tak fordi du siger til. Din kontaktperson får besked."]
    assert alerts(database) == [("cannot_come", {"meeting_id": meeting_id})]
    with database.session() as session:
        assert session.get(ConversationStateRow, person_id).step == "items:1"
    verify_dialog(talk, [("3", ["Spørgsmål 3 af 5"])])


def test_coming_stale_and_forged_meeting_buttons(service, database, person_id, clock):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock)
    assert replies(service.handle(person_id, Press(f"m|{meeting_id}|coming"))) == [
        "Super, tak fordi du siger til. Vi ses!"
    ]
    clock.advance(days=10)  # after the meeting: its old reminder buttons are stale
    assert "Den knap virker ikke længere." in str(
        service.handle(person_id, Press(f"m|{meeting_id}|cannot"))
    )
    for forged in (
        f"m|{meeting_id + 99}|cannot",
        f"m|{meeting_id}|maybe",
        "m|x|cannot",
        "g|1|done",
    ):
        messages = service.handle(person_id, Press(forged))
        assert "Den knap virker ikke længere." in str(messages)
    assert alerts(database) == []


def test_agreement_answers_and_help_alert(service, database, person_id, clock):
    accepted(database, person_id, clock)
    with database.session() as session:
        details = AgreementDetails(
            goal="Job", action="Skrive CV", responsible="Mille", deadline=date(2026, 12, 4)
        )
        agreement_id = create_agreement(session, person_id, details, now=clock()).id
    assert "Helt okay" in replies(service.handle(person_id, Press(f"g|{agreement_id}|not_yet")))[0]
    assert "kontakter dig" in replies(service.handle(person_id, Press(f"g|{agreement_id}|help")))[0]
    assert "Godt gået" in replies(service.handle(person_id, Press(f"g|{agreement_id}|done")))[0]
    with database.session() as session:
        agreement = session.get(Agreement, agreement_id)
        assert agreement.status == "done"
        assert agreement.done_at == clock()
    assert alerts(database) == [("agreement_help", {"agreement_id": agreement_id})]


def test_lists_of_meetings_and_agreements_with_danish_dates(service, database, person_id, clock):
    accepted(database, person_id, clock)
    assert replies(service.handle(person_id, Command("moeder"))) == ["Du har ingen møder lige nu."]
    add_meeting(database, person_id, clock, day=27)
    add_meeting(database, person_id, clock, day=30)
    with database.session() as session:
        details = AgreementDetails(
            goal="Job", action="Skrive CV", responsible="Mille", deadline=date(2026, 12, 4)
        )
        create_agreement(session, person_id, details, now=clock())
    assert replies(service.handle(person_id, Command("moeder"))) == [
        "Dine næste møder:\n• fredag den 27. november kl. 14.00, Ungehuset\n"
        "• mandag den 30. november kl. 14.00, Ungehuset"
    ]
    assert replies(service.handle(person_id, Command("aftaler"))) == [
        "Dine aftaler:\n• Skrive CV (senest fredag den 4. december)"
    ]


def test_network_meeting_feedback_is_stored(service, database, person_id, clock):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock, kind=MeetingKind.NETWORK)
    assert replies(service.handle(person_id, Press(f"f|{meeting_id}|0|3"))) == [
        "Var du med til at bestemme?"
    ]
    service.handle(person_id, Press(f"f|{meeting_id}|1|2"))
    assert replies(service.handle(person_id, Press(f"f|{meeting_id}|2|1"))) == [
        "Tak for dine svar. Din kontaktperson kan se dem."
    ]
    with database.session() as session:
        feedback = session.get(MeetingFeedback, meeting_id)
        assert (feedback.heard, feedback.part_of_decisions, feedback.knows_next) == (3, 2, 1)


def test_talk_next_time_lands_on_the_next_meetings_agenda(service, database, person_id, clock):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock)
    talk = Conversation(lambda event: service.handle(person_id, event))
    for line in ("/tjek who5", "ja", "3", "3", "3", "3", "3", "Min lejlighed"):
        talk.send(line)
    with database.session() as session:
        assert (
            session.get(Meeting, meeting_id).agenda == "Den unge vil gerne tale om: Min lejlighed"
        )


def test_topics_from_before_a_meeting_existed_go_on_its_agenda(service, database, person_id, clock):
    accepted(database, person_id, clock)
    talk = Conversation(lambda event: service.handle(person_id, event))
    for line in ("/tjek who5", "ja", "3", "3", "3", "3", "3", "Skolen"):
        talk.send(line)
    meeting_id = add_meeting(database, person_id, clock)
    with database.session() as session:
        assert session.get(Meeting, meeting_id).agenda == "Den unge vil gerne tale om: Skolen"
    second = add_meeting(database, person_id, clock, day=30)
    with database.session() as session:
        assert session.get(Meeting, second).agenda == ""  # a topic goes on one agenda only


def test_a_second_cannot_come_press_raises_no_second_alert(service, database, person_id, clock):
    accepted(database, person_id, clock)
    meeting_id = add_meeting(database, person_id, clock)
    first = service.handle(person_id, Press(f"m|{meeting_id}|cannot"))
    assert RemoveButtons() in first  # the reminder's buttons go, so it is answered once
    service.handle(person_id, Press("r|skip"))
    again = replies(service.handle(person_id, Press(f"m|{meeting_id}|cannot")))
    assert again == ["Tak fordi du siger til. Din kontaktperson får besked."]
    assert len(alerts(database)) == 1


def test_the_reason_question_can_be_skipped_and_expires(service, database, person_id, clock):
    accepted(database, person_id, clock)
    first = add_meeting(database, person_id, clock, day=27)
    second = add_meeting(database, person_id, clock, day=30)
    service.handle(person_id, Press(f"m|{first}|cannot"))
    assert replies(service.handle(person_id, Press("r|skip"))) == [
        "Tak. Din kontaktperson får besked og finder en ny tid sammen med dig."
    ]
    service.handle(person_id, Press(f"m|{second}|cannot"))
    clock.advance(hours=2)
    later = replies(service.handle(person_id, Text("hej")))
    assert later[0].startswith("Hej! 😊")  # a greeting, not taken as the reason any more
    with database.session() as session:
        assert session.get(Meeting, second).answer_reason is None
    assert "Den knap virker ikke længere." in str(service.handle(person_id, Press("r|skip")))


def test_the_young_person_can_say_an_agreement_is_no_longer_relevant(
    service, database, person_id, clock
):
    accepted(database, person_id, clock)
    with database.session() as session:
        details = AgreementDetails(
            goal="Job", action="Skrive CV", responsible="Mille", deadline=date(2026, 12, 4)
        )
        agreement_id = create_agreement(session, person_id, details, now=clock()).id
    answer = replies(service.handle(person_id, Press(f"g|{agreement_id}|dropped")))
    assert answer == [
        "Okay, tak fordi du siger det. Det er skrevet ned, så din kontaktperson kan se det."
    ]
    with database.session() as session:
        agreement = session.get(Agreement, agreement_id)
        assert (agreement.status, agreement.outcome_by, agreement.outcome_at) == (
            "dropped",
            "young_person",
            clock(),
        )
        pending = session.scalars(
            select(Reminder.kind).where(
                Reminder.subject == f"agreement:{agreement_id}", Reminder.status == "pending"
            )
        ).all()
    assert pending == []  # an outcome stops its reminders
    # A wrong button can be put right by the young person (not over the coordinator's outcome).
    assert "Godt gået" in replies(service.handle(person_id, Press(f"g|{agreement_id}|done")))[0]
    with database.session() as session:
        assert session.get(Agreement, agreement_id).status == "done"
