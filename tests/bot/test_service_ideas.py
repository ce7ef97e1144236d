"""/ide through the service on real SQLite and PostgreSQL: the idea is stored with no link to
the young person, the young person only on the workshop's follower list, and nothing in the
logs ties the idea to the chat. The Send press only pools the idea; the mixer (as the
scheduler runs it) moves it onto the board in a transaction of its own."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import inspect, select

from bot.engine import Command, Press
from domain import idea_pool
from domain.people import create_young_person, issue_invite
from domain.workshops import create_workshop
from storage import ConversationStateRow, YoungPerson
from storage.models import Idea, Workshop, WorkshopFollower
from storage.models.workshops import IdeaPool
from tests.auxil.ports import INFORMATION_VERSION
from tests.auxil.transcript import Conversation, replies, verify_dialog

CHAT = 918_273_645
IDEA = "Et værested med gratis kaffe og https://example.org <script>x</script>"


def joined(service, database, clock) -> int:
    with database.session() as session:
        person = create_young_person(session, pseudonym="Noor", birth_year=2006, now=clock())
        code = issue_invite(session, person, now=clock())
        person_id = person.id
    service.handle_chat(CHAT, Command("start", code))
    service.handle_chat(CHAT, Press(f"o|accept|{INFORMATION_VERSION}"))
    return person_id


def to_board(database, clock) -> int:
    """Run the mixer as the scheduler would until the pool is empty; how many runs it took.
    It never takes more than MAX_ROUNDS."""
    for runs in range(1, idea_pool.MAX_ROUNDS + 1):
        with database.session() as session:
            idea_pool.mix(session, now=clock())
        with database.session() as session:
            if not session.scalars(select(IdeaPool)).all():
                return runs
    raise AssertionError("the pool was not emptied within MAX_ROUNDS runs")


def pooled(database) -> int:
    with database.session() as session:
        return len(session.scalars(select(IdeaPool)).all())


def workshop(database, clock, *, hours: float = 2) -> int:
    with database.session() as session:
        return create_workshop(
            session,
            title="Ungeværksted om fritid",
            question="Hvad skal der til i din fritid?",
            themes=["Fællesskab", "Bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=hours),
            created_by=None,
            now=clock(),
        ).id


def test_an_idea_is_stored_without_any_link_to_the_young_person(service, database, clock, caplog):
    caplog.set_level(logging.DEBUG)
    person_id = joined(service, database, clock)
    workshop_id = workshop(database, clock)
    talk = Conversation(lambda event: service.handle_chat(CHAT, event))
    verify_dialog(
        talk,
        [
            ("/ide", ["uden dit navn", "Hvad skal der til i din fritid?"]),
            ("[Bolig]", ["Skriv din idé her"]),
            (IDEA, [IDEA]),
        ],
    )
    with database.session() as session:
        draft = session.get(ConversationStateRow, person_id)
        assert draft.flow == "idea"
        assert "kaffe" not in str(draft.data)  # the draft is sealed in the state
    verify_dialog(talk, [("[Send]", ["Tak for din idé", "heller ikke din kontaktperson"])])

    with database.session() as session:
        # The Send press only pooled it: the idea table is written by the mixer.
        assert session.scalars(select(Idea)).all() == []
        (waiting,) = session.scalars(select(IdeaPool)).all()
        pool_columns = {c.key for c in inspect(IdeaPool).mapper.column_attrs}
        assert pool_columns == {
            "id",
            "workshop_id",
            "sealed",
            "rounds",
        }  # no person, time, sequence
        assert len(waiting.id) == 32
        assert (waiting.workshop_id, waiting.rounds) == (workshop_id, 0)
        targets = {fk.column.table.name for fk in IdeaPool.__table__.foreign_keys}
        assert targets == {"workshop"}
    assert to_board(database, clock) == idea_pool.MAX_ROUNDS  # a lone idea waits, then shows

    with database.session() as session:
        person = session.get(YoungPerson, person_id)
        (idea,) = session.scalars(select(Idea)).all()
        assert (idea.workshop_id, idea.theme, idea.text) == (workshop_id, "Bolig", IDEA)
        assert idea.sent_on == clock().date()
        identifying = {person.id, str(person.id), CHAT, str(CHAT), person.telegram_chat_hash}
        columns = {c.key: getattr(idea, c.key) for c in inspect(Idea).mapper.column_attrs}
        # A new column on the idea fails here, so it is looked at with anonymity in mind.
        assert set(columns) == {
            *("id", "workshop_id", "theme", "text", "sent_on", "hidden", "shuffle"),
            *("flagged", "merged_into", "status", "outcome"),
        }
        for name, value in columns.items():
            if name not in ("id", "workshop_id"):  # own and workshop ids may equal by chance
                assert value not in identifying, name
            assert str(CHAT) not in str(value)
        targets = {fk.column.table.name for fk in Idea.__table__.foreign_keys}
        assert targets == {"workshop", "idea"}
        followers = session.scalars(
            select(WorkshopFollower.young_person_id).where(
                WorkshopFollower.workshop_id == workshop_id
            )
        ).all()
        assert followers == [person_id]
        state = session.get(ConversationStateRow, person_id)
        assert state.flow == "idle"
        assert "kaffe" not in str(state.data)
        assert "sealed" not in str(state.data)

    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert str(CHAT) not in logged
    assert "kaffe" not in logged
    idea_lines = [r.getMessage() for r in caplog.records if "idea" in r.getMessage()]
    assert idea_lines
    assert all(f"person {person_id}" not in line for line in idea_lines)


def test_a_workshop_that_closes_before_send_stores_nothing(service, database, clock):
    person_id = joined(service, database, clock)
    workshop(database, clock, hours=0.5)
    talk = Conversation(lambda event: service.handle(person_id, event))
    verify_dialog(talk, [("/ide", []), ("[Fællesskab]", []), ("Flere bænke", ["Flere bænke"])])
    clock.advance(minutes=31)
    assert "ikke imod idéer længere" in replies(talk.press("Send"))[0]
    assert pooled(database) == 0
    with database.session() as session:
        assert session.scalars(select(Idea)).all() == []
        assert session.scalars(select(WorkshopFollower)).all() == []
        assert session.scalars(select(Workshop)).one().id


def test_an_idea_pooled_before_the_workshop_closed_still_reaches_the_board(
    service, database, clock
):
    """The bot said it was sent: the close does not drop it, it moves it at the next run."""
    person_id = joined(service, database, clock)
    workshop(database, clock, hours=0.5)
    talk = Conversation(lambda event: service.handle(person_id, event))
    verify_dialog(
        talk, [("/ide", []), ("[Fællesskab]", []), ("Flere bænke", []), ("[Send]", ["Tak"])]
    )
    with database.session() as session:
        assert idea_pool.mix(session, now=clock()) == idea_pool.MixReport(waiting=1)
    clock.advance(minutes=31)
    assert to_board(database, clock) == 1
    with database.session() as session:
        (idea,) = session.scalars(select(Idea)).all()
        assert (idea.text, idea.sent_on) == (
            "Flere bænke",
            (clock() - timedelta(minutes=31)).date(),
        )


def test_the_flood_limit_counts_in_memory_per_young_person(service, database, clock):
    person_id = joined(service, database, clock)
    workshop(database, clock)
    talk = Conversation(lambda event: service.handle(person_id, event))
    for number in range(5):
        verify_dialog(
            talk, [("/ide", []), ("[Bolig]", []), (f"Idé {number}", []), ("[Send]", ["Tak"])]
        )
    assert "hold en lille pause" in replies(talk.send("/ide"))[0]
    assert pooled(database) == 5
    assert to_board(database, clock) == 1  # enough for a batch: moved at the first run
    with database.session() as session:
        assert len(session.scalars(select(Idea)).all()) == 5
        assert session.scalars(select(WorkshopFollower)).all()[0].young_person_id == person_id
    clock.advance(minutes=11)
    assert "Hvad skal der til" in "".join(replies(talk.send("/ide")))


def test_an_idea_about_mental_health_is_an_idea_but_a_cry_for_help_is_answered(
    service, database, clock
):
    from storage.models import Alert

    joined(service, database, clock)
    workshop(database, clock)
    talk = Conversation(lambda event: service.handle_chat(CHAT, event))
    topic = "Flere steder at tale om angst og depression"
    verify_dialog(
        talk,
        [
            ("/ide", ["uden dit navn"]),
            ("[Bolig]", ["Skriv din idé her"]),
            (topic, [topic]),
            ("[Send]", ["Tak for din idé"]),
        ],
    )
    to_board(database, clock)
    with database.session() as session:
        assert [idea.text for idea in session.scalars(select(Idea))] == [topic]
        assert session.scalars(select(Alert)).all() == []  # no alert ties the idea to a name
    verify_dialog(talk, [("/ide", ["uden dit navn"]), ("[Bolig]", ["Skriv din idé her"])])
    talk.send("jeg vil ikke leve mere")  # a lexicon phrase: always a cry for help
    with database.session() as session:
        assert [alert.kind for alert in session.scalars(select(Alert))] == ["crisis"]
        assert len(session.scalars(select(Idea)).all()) == 1  # and never an idea
    assert pooled(database) == 0
