"""The conversation service on real SQLite and PostgreSQL: every answer committed when given."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.engine import Command, Press
from bot.errors import UnknownPerson
from bot.service import ConversationService
from domain.people import create_young_person, issue_invite
from storage import (
    Answer,
    ConversationStateRow,
    PersonStatus,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from tests.auxil.ports import INFORMATION_VERSION
from tests.auxil.transcript import Conversation, replies, verify_dialog


def accept(talk: Conversation) -> None:
    verify_dialog(
        talk,
        [
            ("/start", ["Er det okay for dig?"]),
            ("[Ja, det er okay]", ["Nu er du med"]),
        ],
    )


def stored_answers(database, person_id):
    with database.session() as session:
        rows = session.execute(
            select(Answer.item_id, Answer.value)
            .join(QuestionnaireResponse)
            .where(QuestionnaireResponse.young_person_id == person_id)
            .order_by(Answer.id)
        ).all()
    return [tuple(row) for row in rows]


def test_whole_who5_with_buttons_is_stored(service, database, person_id, clock):
    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    verify_dialog(
        talk,
        [
            ("[Ja, lad os prøve]", ["5 korte spørgsmål", "Spørgsmål 1 af 5"]),
            ("[Hele tiden]", ["Spørgsmål 2 af 5"]),
            ("[Hele tiden]", ["Spørgsmål 3 af 5"]),
            ("[Det meste af tiden]", ["Spørgsmål 4 af 5"]),
            ("[Lidt af tiden]", ["Spørgsmål 5 af 5"]),
            ("[Hele tiden]", ["Dine svar giver 80 ud af 100"]),
            ("Min praktikplads <b>og</b> mine venner", ["Det kommer med på listen"]),
        ],
    )
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        assert person.status == PersonStatus.ACTIVE
        assert person.information_version == INFORMATION_VERSION
        assert person.information_accepted_at == clock()
        [response] = session.scalars(select(QuestionnaireResponse)).all()
        assert (response.questionnaire_id, response.questionnaire_version) == ("who5", 1)
        assert response.status == ResponseStatus.COMPLETED
        assert response.score == 80
        assert response.completed_at.tzinfo is not None
        assert response.talk_next_time == "Min praktikplads <b>og</b> mine venner"
        state = session.get(ConversationStateRow, person_id)
        assert (state.flow, state.step) == ("idle", "idle")
    assert stored_answers(database, person_id) == [
        ("glad", 5),
        ("rolig", 5),
        ("aktiv", 4),
        ("udhvilet", 1),
        ("interesse", 5),
    ]


def test_typed_answers_and_change_since_last_time(service, database, person_id, clock):
    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    for typed in ("/tjek who5", "ja", "3", "3", "3", "3", "3", "nej tak"):
        talk.send(typed)
    clock.advance(days=30)
    verify_dialog(
        talk,
        [
            ("/tjek who5", ["5 korte spørgsmål"]),
            ("ja", ["Spørgsmål 1 af 5"]),
            ("altid", []),
            ("4", []),
            ("4", []),
            ("det meste af tiden", []),
            (
                "4",
                [
                    "Dine svar giver 84 ud af 100",
                    "Det er 24 mere end sidst (tirsdag den 24. november)",
                ],
            ),
        ],
    )
    with database.session() as session:
        scores = session.scalars(
            select(QuestionnaireResponse.score).order_by(QuestionnaireResponse.started_at)
        ).all()
    assert scores == [60, 84]


def test_ambiguous_typed_answers_store_nothing(service, database, person_id):
    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    talk.send("/tjek who5")
    talk.send("ja")
    for typed in ("måske 3", "7", "ikke altid", "🤷", "3 4"):
        assert "Tryk på" in replies(talk.send(typed))[0]  # the short re-ask, with buttons
    assert stored_answers(database, person_id) == []


def test_stale_button_after_restart_changes_nothing(database, content, clock, person_id):
    first = ConversationService(database, content, clock=clock)
    talk = Conversation(lambda event: first.handle(person_id, event))
    accept(talk)
    talk.send("/tjek who5")
    talk.send("ja")
    old = talk.button("Hele tiden")
    talk.press("Hele tiden")
    restarted = ConversationService(database, content, clock=clock)
    messages = restarted.handle(person_id, Press(old.data))
    assert "Den knap virker ikke længere." in str(messages)
    assert stored_answers(database, person_id) == [("glad", 5)]


def test_two_presses_of_the_same_button_store_one_answer(database, content, clock, person_id):
    service = ConversationService(database, content, clock=clock)
    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    talk.send("/tjek who5")
    talk.send("ja")
    press = Press(talk.button("4").data)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: service.handle(person_id, press), range(2)))
    stale = [r for r in results if "Den knap virker ikke længere." in str(r)]
    assert len(stale) == 1
    assert stored_answers(database, person_id) == [("glad", 4)]
    with database.session() as session:
        assert session.get(ConversationStateRow, person_id).step == "items:1"


def test_unknown_person_is_an_error_not_a_silent_create(service):
    with pytest.raises(UnknownPerson):
        service.handle(999_999, Command("start"))


# --- joining by invite --------------------------------------------------------------------


def make_invite(database, clock, **validity):
    with database.session() as session:
        person = create_young_person(session, pseudonym="Sam", birth_year=2007, now=clock())
        code = issue_invite(session, person, now=clock(), **validity)
        return person.id, code


def test_join_links_the_chat_and_stores_nothing_else_before_acceptance(service, database, clock):
    person_id, code = make_invite(database, clock)
    messages = service.handle_chat(4242, Command("start", code))
    assert "Er det okay for dig?" in replies(messages)[0]
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        assert person.telegram_chat_id == 4242
        assert person.invite_used_at == clock()
        assert person.information_version is None
        assert person.status == PersonStatus.INVITED
        assert session.scalar(select(func.count()).select_from(QuestionnaireResponse)) == 0
    declined = service.handle_chat(4242, Press(f"o|decline|{INFORMATION_VERSION}"))
    assert "gemmer vi ingen svar" in replies(declined)[0]
    with database.session() as session:
        assert session.get(YoungPerson, person_id).information_version is None


def test_join_answers_for_bad_codes(service, database, clock):
    _, expired = make_invite(database, clock, valid_for=timedelta(minutes=1))
    _, used = make_invite(database, clock)
    clock.advance(minutes=2)
    service.handle_chat(1, Command("start", used))
    assert "udløbet" in replies(service.handle_chat(2, Command("start", expired)))[0]
    assert "allerede brugt" in replies(service.handle_chat(3, Command("start", used)))[0]
    assert "kender jeg ikke" in replies(service.handle_chat(4, Command("start", "nope")))[0]
    assert "det link, du har fået" in replies(service.handle_chat(5, Command("tjek")))[0]
    with database.session() as session:
        linked = session.scalars(
            select(YoungPerson.telegram_chat_id).where(YoungPerson.telegram_chat_id.is_not(None))
        ).all()
    assert linked == [1]


def test_a_linked_chat_is_not_relinked_by_another_code(service, database, clock):
    first_id, first_code = make_invite(database, clock)
    second_id, second_code = make_invite(database, clock)
    service.handle_chat(77, Command("start", first_code))
    assert (
        "allerede forbundet" in replies(service.handle_chat(77, Command("start", second_code)))[0]
    )
    again = service.handle_chat(77, Command("start", first_code))  # the own link, tapped again
    assert "Er det okay for dig?" in replies(again)[0]
    with database.session() as session:
        assert session.get(YoungPerson, first_id).telegram_chat_id == 77
        assert session.get(YoungPerson, second_id).telegram_chat_id is None


def test_a_reissued_invite_moves_the_young_person_to_a_new_chat(service, database, clock):
    person_id, code = make_invite(database, clock)
    service.handle_chat(11, Command("start", code))
    with database.session() as session:
        new_code = issue_invite(session, session.get(YoungPerson, person_id), now=clock())
    assert "det link, du har fået" in replies(service.handle_chat(11, Command("tjek")))[0]
    assert "Er det okay for dig?" in replies(service.handle_chat(12, Command("start", new_code)))[0]
    with database.session() as session:
        assert session.get(YoungPerson, person_id).telegram_chat_id == 12


def test_a_new_information_version_is_asked_again_and_a_no_stops_reminders(
    service, database, person_id, clock
):
    from storage.models import Alert

    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    with database.session() as session:
        session.get(YoungPerson, person_id).information_version = 1  # accepted an older text
    verify_dialog(talk, [("hej", ["Vi har opdateret informationen", "Er det okay for dig?"])])
    clock.advance(minutes=5)
    talk.press("Ja, det er okay")
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        assert (person.information_version, person.information_accepted_at) == (
            INFORMATION_VERSION,
            clock(),
        )
        person.information_version = 1
    talk.send("hej")
    talk.press("Nej tak")
    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        assert person.information_version is None
        assert person.status == PersonStatus.INVITED
        assert [a.kind for a in session.scalars(select(Alert))] == ["information_declined"]
