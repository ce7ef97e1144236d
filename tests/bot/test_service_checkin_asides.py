"""Issue 17, finding 2, kept through the service and the database (SQLite and PostgreSQL): in
the middle of a check-in, "tell my contact person", typed as the tester typed it, really raises
a contact request, and the check-in goes on where it was with nothing lost or taken as an
answer. A correction ("nej vent jeg mente to") changes the stored answer."""

from __future__ import annotations

from sqlalchemy import select

from domain.alerts.kinds import AlertKind
from storage.models import Alert, QuestionnaireResponse
from tests.auxil.transcript import Conversation, replies
from tests.bot.test_service import accept, stored_answers
from tests.bot.test_service_care import assert_in_next_working_day_digest
from tests.bot.test_service_care import kim as kim  # the coordinator, a fixture


def said(talk: Conversation, text: str) -> str:
    return "\n".join(replies(talk.send(text)))


def checkin_at_question_2(service, person_id) -> Conversation:
    talk = Conversation(lambda event: service.handle(person_id, event))
    accept(talk)
    talk.send("/tjek who5")
    assert "Spørgsmål 1 af 5" in said(talk, "ja")
    assert "Spørgsmål 2 af 5" in said(talk, "1")
    return talk


def alerts(database) -> list[tuple[str, bool, dict[str, object]]]:
    with database.session() as session:
        return [(a.kind, a.urgent, a.details) for a in session.scalars(select(Alert))]


def test_typed_tell_my_contact_person_mid_check_in_raises_a_contact_request(
    service, database, person_id, clock, kim
):
    talk = checkin_at_question_2(service, person_id)
    offer = said(talk, "jeg har det lort")  # the trained model: feel_bad
    assert "Dit tjek kan godt vente så længe." in offer
    assert offer.endswith("Vil du have, at din kontaktperson hører om det?")
    answer = said(talk, "sig det til min kontaktperson")
    assert answer.startswith(
        "Jeg har sendt en besked til din kontaktperson. Den når frem senest næste hverdag."
    )
    assert "Spørgsmål 2 af 5" in answer
    assert alerts(database) == [(AlertKind.CONTACT_REQUEST, False, {"about": "feel_bad"})]
    assert_in_next_working_day_digest(database, clock)
    # The check-in went on where it was; the label was not taken as an answer.
    assert "Spørgsmål 3 af 5" in said(talk, "3")
    assert stored_answers(database, person_id) == [("glad", 1), ("rolig", 3)]


def test_ja_tak_to_the_feelings_question_mid_check_in_raises_a_contact_request(
    service, database, person_id, kim
):
    talk = checkin_at_question_2(service, person_id)
    said(talk, "jeg har det lort")
    assert "Jeg har sendt en besked til din kontaktperson." in said(talk, "ja tak")
    assert alerts(database) == [(AlertKind.CONTACT_REQUEST, False, {"about": "feel_bad"})]


def test_not_wanting_the_contact_person_to_know_raises_nothing(service, database, person_id):
    talk = checkin_at_question_2(service, person_id)
    answer = said(talk, "min kontaktperson skal ikke vide det")
    assert "Andet, du skriver her, giver jeg ikke videre." in answer
    assert alerts(database) == []


def test_a_correction_changes_the_stored_answer_and_the_score(service, database, person_id):
    talk = checkin_at_question_2(service, person_id)
    assert 'nu står der "Lidt mindre end halvdelen af tiden"' in said(talk, "nej vent jeg mente to")
    for answer in ["3", "3", "3", "3"]:
        talk.send(answer)
    assert stored_answers(database, person_id) == [
        ("glad", 2),
        ("rolig", 3),
        ("aktiv", 3),
        ("udhvilet", 3),
        ("interesse", 3),
    ]
    with database.session() as session:
        assert session.scalars(select(QuestionnaireResponse.score)).all() == [56]
