"""A deletion request holds, on real SQLite and PostgreSQL: after /slet nothing new is stored,
what reaches a person still does, and the request can be taken back."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from bot.engine import Press, Text
from domain.meetings import MeetingDetails, create_meeting
from domain.reminder_timing import at_local
from storage import Answer, PersonStatus, QuestionnaireResponse, YoungPerson
from storage.models import Alert, Meeting, MeetingKind
from tests.auxil.transcript import Conversation, verify_dialog

HELD = "Derfor gemmer jeg ikke flere svar fra dig, og der er ingen tjek."


def counts(database, person_id):
    with database.session() as session:
        responses = session.scalar(
            select(func.count())
            .select_from(QuestionnaireResponse)
            .where(QuestionnaireResponse.young_person_id == person_id)
        )
        answers = session.scalar(
            select(func.count())
            .select_from(Answer)
            .join(QuestionnaireResponse)
            .where(QuestionnaireResponse.young_person_id == person_id)
        )
        alerts = list(
            session.scalars(
                select(Alert.kind).where(Alert.young_person_id == person_id).order_by(Alert.id)
            )
        )
        status = session.get(YoungPerson, person_id).status
    return responses, answers, alerts, status


def joined_and_answered(talk: Conversation) -> None:
    verify_dialog(
        talk,
        [
            ("/start", ["Er det okay for dig?"]),
            ("ja", ["Nu er du med", "Vil du prøve dit første tjek nu?"]),
            ("nej tak", ["Skriv /tjek, når du er klar"]),
            ("/tjek who5", ["5 korte spørgsmål"]),
            ("ja", ["Spørgsmål 1 af 5"]),
            ("3", ["Spørgsmål 2 af 5"]),
            ("3", ["Spørgsmål 3 af 5"]),
            ("3", ["Spørgsmål 4 af 5"]),
            ("3", ["Spørgsmål 5 af 5"]),
            ("3", ["tale med din kontaktperson om næste gang"]),
            ("ikke noget", ["Helt fint."]),
        ],
    )


def test_after_a_deletion_request_tjek_stores_nothing_new(service, database, person_id):
    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    verify_dialog(
        talk,
        [
            ("/slet", ["Vil du have slettet alt", "Din kontaktperson sletter det."]),
            ("ja", ["Er du helt sikker?", "Du kan fortryde"]),
            ("ja", ["Din kontaktperson har fået besked og sletter dine data."]),
        ],
    )
    before = counts(database, person_id)
    assert before == (1, 5, ["delete_request"], PersonStatus.ENDED)
    verify_dialog(
        talk,
        [
            ("/tjek", [HELD]),
            ("/tjek who5", [HELD]),
            ("5", [HELD]),
            ("/ide", [HELD]),
            ("/start", [HELD]),
            ("/pause", ["Du får ingen påmindelser eller tjek"]),
            ("/slet", ["Det har du allerede bedt om"]),
            ("/start_igen", ["Vil du fortryde, at dine data skal slettes?"]),
            ("nej", ["Din kontaktperson sletter dine data, som du bad om."]),
        ],
    )
    # Old buttons store nothing either: a questionnaire from the menu, a check-in invitation.
    verify_dialog(talk, [("/hjaelp", ["/start_igen – fortryd"])])
    talk.send(Press("q|who5"))
    talk.send(Text("ja"))
    assert counts(database, person_id) == before


def test_a_cry_for_help_and_a_cannot_come_still_reach_a_person(service, database, person_id, clock):
    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    with database.session() as session:
        starts = at_local(date(2026, 11, 27), time(14, 0))
        details = MeetingDetails(kind=MeetingKind.INDIVIDUAL, starts_at=starts, place="Her")
        meeting_id = create_meeting(session, person_id, details, now=clock()).id
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja tak", ["sikker"]), ("okay", ["Tak."])])
    verify_dialog(
        talk,
        [
            ("jeg kan ikke komme til mødet", ["Jeg har givet din kontaktperson besked"]),
            ("hmm", [HELD]),  # no reason is asked for, so none is stored
            ("jeg vil ikke leve mere", ["Livslinien"]),
        ],
    )
    with database.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.answer, meeting.answer_reason) == ("cannot_come", None)
    *_, alerts, status = counts(database, person_id)
    assert alerts == ["delete_request", "cannot_come", "crisis"]
    assert status == PersonStatus.ENDED


def test_taking_the_request_back_by_button_tells_the_coordinator(service, database, person_id):
    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    verify_dialog(
        talk,
        [
            ("/slet", ["Vil du have"]),
            ("[Ja, slet mine data]", ["Er du helt sikker?"]),
            ("[Ja, slet det hele]", ["Fortryder du, så tryk på knappen, eller skriv /start_igen."]),
            ("/tjek", [HELD]),
            ("[Fortryd sletningen]", ["Vil du fortryde"]),
            ("[Ja, fortryd]", ["Godt, så beholder vi dine data.", "påmindelser og tjek igen"]),
            ("/tjek", ["Hvilket tjek vil du tage?"]),
        ],
    )
    assert counts(database, person_id) == (
        1,
        5,
        ["delete_request", "delete_withdrawn"],
        PersonStatus.ACTIVE,
    )
    talk.send(Press("u|yes"))  # an old button changes nothing more
    assert counts(database, person_id)[2] == ["delete_request", "delete_withdrawn"]


def test_once_the_coordinator_ended_the_course_it_cannot_be_taken_back_here(
    service, database, person_id, clock
):
    from domain.lifecycle import end_course
    from storage.models import EndOutcome

    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    with database.session() as session:
        outcome = next(iter(EndOutcome))
        end_course(
            session,
            person_id,
            outcome,
            ended_on=clock().date(),
            note="x",
            staff_id=None,
            now=clock(),
        )
    verify_dialog(
        talk,
        [
            ("/start_igen", ["Dit forløb er afsluttet, så det kan du ikke fortryde her."]),
            ("/tjek", [HELD]),
        ],
    )
    talk.send(Press("u|yes"))  # an old take-back button
    *_, alerts, status = counts(database, person_id)
    assert (alerts, status) == (["delete_request"], PersonStatus.ENDED)


def test_a_course_ended_without_a_request_is_not_held(service, database, person_id, clock):
    from domain.lifecycle import end_course
    from storage.models import EndOutcome

    talk = Conversation(lambda event: service.handle(person_id, event))
    joined_and_answered(talk)
    with database.session() as session:
        outcome = next(iter(EndOutcome))
        end_course(
            session,
            person_id,
            outcome,
            ended_on=clock().date(),
            note="x",
            staff_id=None,
            now=clock(),
        )
    verify_dialog(talk, [("/slet", ["Vil du have slettet alt"])])
    assert HELD not in "\n".join(talk.log[-1][1])
