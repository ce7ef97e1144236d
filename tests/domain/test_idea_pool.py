"""The idea pool on real SQLite and PostgreSQL: when pooled ideas move onto the board, what the
pool holds, and what is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Text, select, text, type_coerce

from domain import idea_pool
from domain.idea_pool import MixReport, mix, pool_idea
from domain.workshops import create_workshop
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import Idea, Workshop
from storage.models.workshops import IdeaPool


@pytest.fixture
def workshop_id(database, clock) -> int:
    with database.session() as session:
        return create_workshop(
            session,
            title="Ungeværksted",
            question="Hvad mangler du?",
            themes=["Fritid", "Skole"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=None,
            now=clock(),
        ).id


def pool(database, clock, workshop_id, *texts: str, theme: str = "Skole") -> None:
    with database.session() as session:
        workshop = session.get(Workshop, workshop_id)
        for idea in texts:
            pool_idea(session, workshop, theme=theme, text=idea, now=clock())


def run(database, clock, **options) -> MixReport:
    with database.session() as session:
        return mix(session, now=clock(), **options)


def board(database) -> list[str]:
    with database.session() as session:
        return sorted(idea.text for idea in session.scalars(select(Idea)))


def test_ideas_wait_until_a_batch_is_pooled_then_move_together(database, clock, workshop_id):
    pool(database, clock, workshop_id, "Flere bænke", "Gratis kaffe")
    assert run(database, clock) == MixReport(waiting=2)
    assert board(database) == []
    pool(database, clock, workshop_id, "Lektiecafé")
    assert run(database, clock) == MixReport(moved=3)
    assert board(database) == ["Flere bænke", "Gratis kaffe", "Lektiecafé"]
    with database.session() as session:
        assert session.scalars(select(IdeaPool)).all() == []
        assert {idea.theme for idea in session.scalars(select(Idea))} == {"Skole"}
    assert run(database, clock) == MixReport()


def test_a_lone_idea_moves_after_max_rounds_runs_and_not_before(database, clock, workshop_id):
    pool(database, clock, workshop_id, "Flere bænke")
    for _ in range(idea_pool.MAX_ROUNDS - 1):
        assert run(database, clock) == MixReport(waiting=1)
    assert run(database, clock) == MixReport(moved=1)
    assert board(database) == ["Flere bænke"]


def test_a_closed_workshops_pool_moves_at_the_next_run_with_the_day_it_was_sent(
    database, clock, workshop_id
):
    sent = clock()
    pool(database, clock, workshop_id, "Flere bænke")
    clock.advance(days=1)  # closed, and another day
    assert run(database, clock) == MixReport(moved=1)
    with database.session() as session:
        (idea,) = session.scalars(select(Idea)).all()
        assert idea.sent_on == sent.date()


def test_a_deleted_workshop_takes_its_pool_with_it(database, clock, workshop_id):
    pool(database, clock, workshop_id, "Flere bænke")
    with database.session() as session:
        session.delete(session.get(Workshop, workshop_id))
    with database.session() as session:
        assert session.scalars(select(IdeaPool)).all() == []


def test_a_pooled_idea_that_cannot_be_read_is_dropped(database, clock, workshop_id, caplog):
    pool(database, clock, workshop_id, "Flere bænke")
    use_keyring(Keyring([new_key()]))  # the old key is gone
    assert run(database, clock, max_rounds=1) == MixReport(dropped=1)
    assert "Flere" not in caplog.text
    with database.session() as session:
        assert session.scalars(select(IdeaPool)).all() == []


def test_every_pooled_idea_has_the_same_size_a_random_id_and_no_time(database, clock, workshop_id):
    pool(database, clock, workshop_id, "Ja", "Et langt forslag om " + "cykelstier " * 80)
    with database.session() as session:
        rows = session.execute(select(IdeaPool.id, type_coerce(IdeaPool.sealed, Text))).all()
    assert len({len(token) for _, token in rows}) == 1  # the length tells nothing
    assert all(len(pool_id) == 32 and int(pool_id, 16) >= 0 for pool_id, _ in rows)
    assert not any("cykelstier" in token for _, token in rows)
    assert {column.name for column in IdeaPool.__table__.columns} == {
        "id",
        "workshop_id",
        "sealed",
        "rounds",
    }


def test_the_pool_has_no_rowid_on_sqlite(database):
    if not database.is_sqlite:
        return  # PostgreSQL tables have no rowid
    with database.engine.connect() as connection:
        sql = connection.execute(
            text("SELECT sql FROM sqlite_schema WHERE name = 'idea_pool'")
        ).scalar_one()
    assert "WITHOUT ROWID" in sql


def test_mixed_ideas_get_random_ids_and_are_written_in_random_order(database, clock, workshop_id):
    """A batch's ids are random, so their order says nothing of the order the ideas came in:
    over batches of three, every order turns up."""
    orders = set()
    for batch in range(100):
        pool(database, clock, workshop_id, *(f"Idé {batch}-{number}" for number in range(3)))
        run(database, clock)
        with database.session() as session:
            ideas = session.scalars(select(Idea)).all()
            mine = {i.id: i.text[-1] for i in ideas if i.text.startswith(f"Idé {batch}-")}
        orders.add("".join(mine[key] for key in sorted(mine)))
        if len(orders) == 6:
            break
    assert len(orders) == 6
