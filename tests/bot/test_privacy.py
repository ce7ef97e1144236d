"""Nothing personal reaches the logs: no message text, chat id or pseudonym. And nothing in
the database ties an anonymous idea to the young person who sent it."""

from __future__ import annotations

import logging
import sqlite3
import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from bot.engine import Command, Press
from domain import idea_pool
from domain.people import create_young_person, issue_invite
from domain.workshops import create_workshop
from storage import ConversationStateRow
from storage.erasure import belongs_to, erase_person, export_person
from storage.models import Base, Idea
from storage.models.workshops import IdeaPool
from tests.auxil.ports import INFORMATION_VERSION
from tests.auxil.transcript import Conversation, verify_dialog


def test_a_whole_conversation_logs_no_text_chat_id_or_name(service, database, clock, caplog):
    with database.session() as session:
        person = create_young_person(session, pseudonym="Zenia Quist", birth_year=2007, now=clock())
        code = issue_invite(session, person, now=clock())
    chat_id = 918_273_645
    caplog.set_level(logging.DEBUG)
    talk = Conversation(lambda event: service.handle_chat(chat_id, event))
    talk.send(Command("start", code))
    talk.press("Ja, det er okay")
    talk.press("Ja, lad os prøve")
    for typed in ("hele tiden", "4", "mindre end halvdelen", "1", "aldrig"):
        talk.send(typed)
    talk.send("Hemmeligt emne om min lillebror")
    talk.send(Press("forged|data"))
    assert caplog.records, "the service should log what it does"
    logged = caplog.text
    for secret in (
        "Hemmeligt",
        "lillebror",
        "Zenia",
        "Quist",
        str(chat_id),
        code,
        "hele tiden",
        "mindre end halvdelen",
        "aldrig",
    ):
        assert secret not in logged


# --- ideas: no transaction, id, time or WAL commit ties an idea to its author ----------------
#
# The attacks a database administrator could make on the bot's ideas, each made here on a real
# database. Three young people send one idea each; sending is the last thing each of them does,
# so their state rows carry the Send press's transaction.

IDEAS = ("Gratis kaffe i klubben", "Længere åbent om fredagen", "Et sted at lave lektier")
CHATS = (918_273_645, 918_273_646, 918_273_647)


def _send_ideas(service, database, clock) -> list[int]:
    with database.session() as session:
        workshop = create_workshop(
            session,
            title="Ungeværksted om fritid",
            question="Hvad skal der til i din fritid?",
            themes=["Fællesskab", "Bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=3),
            created_by=None,
            now=clock(),
        )
        codes = []
        for number in range(len(CHATS)):
            person = create_young_person(
                session, pseudonym=f"Person {number}", birth_year=2007, now=clock()
            )
            codes.append((person.id, issue_invite(session, person, now=clock())))
    for chat, (_, code) in zip(CHATS, codes, strict=True):
        service.handle_chat(chat, Command("start", code))
        service.handle_chat(chat, Press(f"o|accept|{INFORMATION_VERSION}"))
    for chat, idea in zip(CHATS, IDEAS, strict=True):
        clock.advance(minutes=7)
        talk = Conversation(partial(service.handle_chat, chat))
        verify_dialog(
            talk,
            [("/ide", ["uden dit navn"]), ("[Bolig]", []), (idea, [idea]), ("[Send]", ["Tak"])],
        )
    clock.advance(minutes=2)
    with database.session() as session:  # the scheduler's job
        assert idea_pool.mix(session, now=clock()) == idea_pool.MixReport(moved=3)
    with database.session() as session:
        assert workshop.id
        assert session.scalars(select(IdeaPool)).all() == []
        assert sorted(idea.text for idea in session.scalars(select(Idea))) == sorted(IDEAS)
    return [person_id for person_id, _ in codes]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_xmin_ties_no_idea_to_a_young_persons_rows(service, database, clock):
    """Every PostgreSQL row carries the id of the transaction that wrote it (xmin): one join
    would name the author of an idea written in the young person's transaction."""
    _send_ideas(service, database, clock)
    with database.engine.connect() as connection:
        linked = connection.exec_driver_sql(
            "SELECT idea.id, owner.young_person_id FROM idea"
            " JOIN (SELECT xmin, young_person_id FROM conversation_state"
            "       UNION ALL SELECT xmin, young_person_id FROM workshop_follower) AS owner"
            " ON idea.xmin = owner.xmin"
        ).all()
        ideas = set(connection.exec_driver_sql("SELECT xmin::text FROM idea").scalars())
        personal = set(
            connection.exec_driver_sql(
                "SELECT xmin::text FROM conversation_state UNION SELECT xmin::text"
                " FROM workshop_follower UNION SELECT xmin::text FROM processed_update"
                " UNION SELECT xmin::text FROM young_person"
            ).scalars()
        )
    assert linked == []
    assert ideas.isdisjoint(personal)
    assert len(ideas) == 1  # one mixer transaction wrote all three


def test_idea_ids_and_times_do_not_tell_when_or_in_what_order_ideas_came(service, database, clock):
    """Sequential ids next to each young person's exact `conversation_state.updated_at` would
    pair ideas with people: the ids are random, and no idea or pooled idea holds a time."""
    people = _send_ideas(service, database, clock)
    with database.session() as session:
        ideas = session.scalars(select(Idea)).all()
        ids = sorted(idea.id for idea in ideas)
        assert ids != list(range(ids[0], ids[0] + len(ids)))  # not a sequence
        assert ids[-1] - ids[0] > 1000  # spread over the id space (2**31)
        assert {idea.sent_on for idea in ideas} == {clock().date()}  # the day only
        sent = sorted(session.get(ConversationStateRow, person).updated_at for person in people)
        assert len(set(sent)) == 3  # the people can be ordered by when they sent...
    for model in (Idea, IdeaPool):  # ...the ideas cannot
        kinds = {column.name: column.type.python_type for column in model.__table__.columns}
        assert datetime not in kinds.values(), model.__name__


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_no_wal_commit_holds_an_idea_and_a_young_persons_rows(service, database, clock):
    """SQLite's write-ahead log keeps the pages of each commit together: the commit that saves
    a young person's state (or puts them on the follower list) must hold no idea page and no
    idea's ciphertext; and no file holds an idea in the clear."""
    path = Path(str(database.engine.url.database))
    sa.event.listen(database.engine, "connect", _no_checkpoints)
    reader = sqlite3.connect(path)  # keeps the -wal file when the engine's connections close
    _no_checkpoints(reader, None)
    try:
        _send_ideas(service, database, clock)
        owners = dict(reader.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall())
        pages: dict[str, set[int]] = {}
        for name, page in reader.execute("SELECT name, pageno FROM dbstat"):
            pages.setdefault(owners.get(name, name), set()).add(page)
        personal = pages["conversation_state"] | pages["workshop_follower"]
        idea_pages = pages["idea"]
        tokens = [token.encode() for (token,) in reader.execute("SELECT text FROM idea")]
        commits = _wal_commits(path.with_name(path.name + "-wal"))
        wal_and_file = path.with_name(path.name + "-wal").read_bytes() + path.read_bytes()
    finally:
        reader.close()

    of_people = [commit for commit in commits if commit.pages & personal]
    of_ideas = [
        commit
        for commit in commits
        if commit.pages & idea_pages or any(token in commit.data for token in tokens)
    ]
    assert len(tokens) == 3
    assert of_people
    assert of_ideas
    for commit in of_people:
        assert not commit.pages & idea_pages
        assert not any(token in commit.data for token in tokens)
    for idea in IDEAS:
        assert idea.encode() not in wal_and_file


def test_pooled_ideas_are_no_ones_for_export_and_erasure(service, database, clock):
    """/mine_data and /slet follow the foreign keys from the person: the pool has none to a
    person, so a pooled idea is neither exported nor erased, and still reaches the board."""
    with database.session() as session:
        person = create_young_person(session, pseudonym="Zenia", birth_year=2007, now=clock())
        code = issue_invite(session, person, now=clock())
        create_workshop(
            session,
            title="Ungeværksted",
            question="Hvad mangler du?",
            themes=["Fritid"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=1),
            created_by=None,
            now=clock(),
        )
        person_id = person.id
    talk = Conversation(lambda event: service.handle_chat(CHATS[0], event))
    talk.send(Command("start", code))
    talk.send(Press(f"o|accept|{INFORMATION_VERSION}"))
    verify_dialog(
        talk, [("/ide", []), ("[Fritid]", []), (IDEAS[0], [IDEAS[0]]), ("[Send]", ["Tak"])]
    )
    assert belongs_to(Base.metadata.tables["idea_pool"], person_id) is None
    with database.session() as session:
        (waiting,) = session.scalars(select(IdeaPool)).all()
        exported = export_person(session, person_id)
        assert "idea_pool" not in exported
        assert "idea" not in exported
        assert waiting.id not in str(exported)
        assert exported["workshop_follower"]
        counts = erase_person(session, person_id, reason="request", now=clock())
        assert "idea_pool" not in counts
        assert counts["workshop_follower"] == 1
    clock.advance(hours=2)  # closed: the pool is emptied at the next run
    with database.session() as session:
        assert idea_pool.mix(session, now=clock()) == idea_pool.MixReport(moved=1)
        assert [idea.text for idea in session.scalars(select(Idea))] == [IDEAS[0]]


def _no_checkpoints(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA wal_autocheckpoint=0")


@dataclass
class _Commit:
    pages: set[int] = field(default_factory=set)
    data: bytes = b""


def _wal_commits(wal: Path) -> list[_Commit]:
    """The WAL's frames grouped by commit (https://sqlite.org/fileformat.html#the_wal_file):
    a 32-byte header, then frames of a 24-byte header and one page; a frame whose second
    field is not 0 ends a commit. Frames from before the last reset carry other salts."""
    raw = wal.read_bytes()
    (page_size,) = struct.unpack(">I", raw[8:12])
    salts = raw[16:24]
    commits: list[_Commit] = []
    current = _Commit()
    for start in range(32, len(raw) - 24 - page_size + 1, 24 + page_size):
        page, size_after = struct.unpack(">II", raw[start : start + 8])
        if raw[start + 8 : start + 16] != salts:
            break
        current.pages.add(page)
        current.data += raw[start + 24 : start + 24 + page_size]
        if size_after:
            commits.append(current)
            current = _Commit()
    return commits
