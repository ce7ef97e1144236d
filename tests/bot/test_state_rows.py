"""The conversation state row's plain statements and the answer's, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import Checkin, Idle, SaveAnswer, load_state
from bot.service.effects import apply_effect
from bot.service.state_rows import StateChanged, lock_state, save_state
from domain.people import create_young_person
from domain.reminder_timing import DEFAULT_RULES
from storage import Answer, ConversationStateRow, QuestionnaireResponse, ResponseStatus, YoungPerson


def test_a_state_is_written_first_then_over_the_version_read(database, clock, person_id):
    checkin = Checkin(questionnaire_id="who5", response_id="r1", phase="items", index=2)
    with database.session() as session:
        assert lock_state(session, person_id) is None
        save_state(session, person_id, checkin, read=None, now=clock())
    with database.session() as session:
        read = lock_state(session, person_id)
        assert read is not None
        assert read.version == 1
        assert load_state(read.data) == checkin
        save_state(session, person_id, Idle(), read=read, now=clock() + timedelta(minutes=1))
    with database.session() as session:
        row = session.get(ConversationStateRow, person_id)
        assert (row.flow, row.step, row.version) == ("idle", "idle", 2)
        assert row.updated_at == clock() + timedelta(minutes=1)
        assert load_state(row.data) == Idle()


def test_a_state_written_in_between_is_not_overwritten(database, clock, person_id):
    with database.session() as session:
        save_state(session, person_id, Idle(), read=None, now=clock())
    with database.session() as session:
        stale = lock_state(session, person_id)
    checkin = Checkin(questionnaire_id="who5", response_id="r1")
    with database.session() as session:
        save_state(session, person_id, checkin, read=lock_state(session, person_id), now=clock())
    with pytest.raises(StateChanged), database.session() as session:
        save_state(session, person_id, Idle(), read=stale, now=clock())
    with database.session() as session:
        row = session.get(ConversationStateRow, person_id)
        assert (row.flow, row.version) == ("checkin", 2)
        assert load_state(row.data) == checkin


def test_an_answer_is_stored_once_and_replaced_but_never_for_someone_elses_response(
    database, clock, person_id
):
    with database.session() as session:
        other = create_young_person(session, pseudonym="Noah", birth_year=2007, now=clock())
        session.add(
            QuestionnaireResponse(
                id="r1",
                young_person_id=person_id,
                questionnaire_id="who5",
                questionnaire_version=1,
                status=ResponseStatus.IN_PROGRESS,
                started_at=clock(),
            )
        )

    def answer(who: int, value: int) -> None:
        with database.session() as session:
            person = session.get(YoungPerson, who)
            effect = SaveAnswer(response_id="r1", item_id="glad", value=value, at=clock())
            apply_effect(session, person, effect, clock(), DEFAULT_RULES)

    answer(person_id, 2)
    answer(person_id, 4)  # changed after going back: the same row
    with pytest.raises(LookupError):
        answer(other.id, 0)
    with database.session() as session:
        stored = session.query(Answer.item_id, Answer.value).all()
    assert [tuple(row) for row in stored] == [("glad", 4)]
