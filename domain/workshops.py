"""Workshops and their anonymous ideas: the rules both the bot and the web pages follow.

Anonymity, by construction:
- an idea row has no person, chat, session or address, and the day only, never the time;
- its id is random, not a sequence, so ids do not tell the order ideas came in;
- an idea sent through the bot is written in a transaction of its own, never in the young
  person's (domain.idea_pool): on PostgreSQL a row's `xmin` names the transaction that wrote
  it, and SQLite's write-ahead log groups the pages of one commit;
- ideas are listed by theme and a random `shuffle` key, never in the order they came;
- nothing is shown until a workshop has BOARD_THRESHOLD ideas;
- a vote is a keyed hash of the voter under the workshop's salt; the salt is thrown away when the
  workshop closes, and with it any way to recompute who voted;
- who sent ideas through the bot is a per-workshop follower list with no link to ideas, deleted
  once the close-the-loop message is queued.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

import yaml
from sqlalchemy import String, cast, delete, func, select, update
from sqlalchemy.orm import Session

from core.locale import local
from storage.models import Idea, IdeaStatus, IdeaVote, Workshop, WorkshopFollower

MAX_IDEA = 1000
IDEA_IDS = 2**31 - 1  # idea ids are drawn from 1..IDEA_IDS (the column is a 32-bit integer)
BOARD_THRESHOLD = 3
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud
OUTCOME_DELIVERY = timedelta(days=2)  # how long the outbox may try to deliver the outcome
WORD_LIST = Path(__file__).resolve().parent.parent / "nlu_data" / "review_words.yml"


class CodeState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"
    NOT_YET = "not_yet"
    CLOSED = "closed"


class IdeaProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_WORDS = "no_words"  # only emoji, punctuation or spaces


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def normalize_code(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", raw.upper())[:16]


def create_workshop(
    session: Session,
    *,
    title: str,
    question: str,
    themes: Iterable[str],
    opens_at: datetime,
    closes_at: datetime,
    created_by: int | None,
    now: datetime,
) -> Workshop:
    code = new_code()
    while session.scalar(select(func.count()).where(Workshop.code == code)):
        code = new_code()
    workshop = Workshop(
        title=title.strip(),
        question=question.strip(),
        themes=[theme.strip() for theme in themes if theme.strip()],
        code=code,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
        created_at=now,
        vote_salt=secrets.token_hex(32),
    )
    session.add(workshop)
    session.flush()
    return workshop


def state(workshop: Workshop | None, now: datetime) -> CodeState:
    if workshop is None:
        return CodeState.UNKNOWN
    if now < workshop.opens_at:
        return CodeState.NOT_YET
    if now >= workshop.closes_at:
        return CodeState.CLOSED
    return CodeState.OPEN


def by_code(session: Session, raw: str, now: datetime) -> tuple[CodeState, Workshop | None]:
    code = normalize_code(raw)
    if not code:
        return CodeState.UNKNOWN, None
    workshop = session.scalars(select(Workshop).where(Workshop.code == code)).first()
    return state(workshop, now), workshop


def open_workshops(session: Session, now: datetime) -> list[Workshop]:
    return list(
        session.scalars(
            select(Workshop)
            .where(Workshop.opens_at <= now, Workshop.closes_at > now)
            .order_by(Workshop.title, Workshop.id)
        )
    )


def idea_problem(text: str) -> IdeaProblem | None:
    """What is wrong with an idea's text, or None. Pure."""
    stripped = text.strip()
    if not stripped:
        return IdeaProblem.EMPTY
    if len(stripped) > MAX_IDEA:
        return IdeaProblem.TOO_LONG
    if not any(unicodedata.category(char)[0] in "LN" for char in stripped):
        return IdeaProblem.NO_WORDS
    return None


def load_review_words(path: Path = WORD_LIST) -> frozenset[str]:
    """The words that flag an idea for a facilitator's look (a list coordinators can edit)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = data.get("words") if isinstance(data, dict) else None
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise ValueError(f"{path}: expected 'words:' with a list of words")
    return frozenset(word.casefold() for word in words)


REVIEW_WORDS = load_review_words()


def needs_review(text: str, words: frozenset[str] = REVIEW_WORDS) -> bool:
    found = set(re.findall(r"\w+", text.casefold()))
    return any(word in found or (" " in word and word in text.casefold()) for word in words)


def new_idea_id(session: Session) -> int:
    """A random id no idea has yet (add_idea flushes each idea, so the session sees them)."""
    while True:
        candidate = secrets.randbelow(IDEA_IDS) + 1
        if session.get(Idea, candidate) is None:
            return candidate


def add_idea(
    session: Session,
    workshop: Workshop,
    *,
    theme: str,
    text: str,
    now: datetime,
    sent_on: date | None = None,
    follower: int | None = None,
) -> Idea:
    """Store an idea (checked by the caller with idea_problem) under a random id, on the day
    `sent_on` (today by default). Never call it in a young person's transaction: the bot
    pools its ideas (domain.idea_pool). `follower` (test and seed data only) also puts a
    young person on the follower list, in the same transaction: the bot never passes it."""
    flagged = needs_review(text)
    idea = Idea(
        id=new_idea_id(session),
        workshop_id=workshop.id,
        theme=theme if theme in workshop.themes else workshop.themes[0],
        text=text.strip(),
        sent_on=sent_on or local(now).date(),
        shuffle=secrets.token_hex(16),
        flagged=flagged,
        hidden=flagged,  # held back from the public board until the facilitator shows it
        status=IdeaStatus.NEW,
    )
    session.add(idea)
    session.flush()
    if follower is not None:
        add_follower(session, workshop, follower)
    return idea


def add_follower(session: Session, workshop: Workshop, person_id: int) -> None:
    """Put the young person on the workshop's list of who to tell what became of its ideas
    (once). The list says who sent ideas through the bot, never which."""
    if not session.scalar(
        select(func.count()).where(
            WorkshopFollower.workshop_id == workshop.id,
            WorkshopFollower.young_person_id == person_id,
        )
    ):
        session.add(WorkshopFollower(workshop_id=workshop.id, young_person_id=person_id))
        session.flush()


def shown_ideas(session: Session, workshop: Workshop, *, with_hidden: bool = False) -> list[Idea]:
    """The workshop's ideas by theme and shuffle key; merged ones are left out. Empty until the
    workshop has BOARD_THRESHOLD ideas, so an early idea cannot be tied to an early sender."""
    ideas = list(
        session.scalars(
            select(Idea)
            .where(Idea.workshop_id == workshop.id, Idea.merged_into.is_(None))
            .order_by(Idea.theme, Idea.shuffle)
        )
    )
    if len(ideas) < BOARD_THRESHOLD:
        return []
    return ideas if with_hidden else [idea for idea in ideas if not idea.hidden]


def votes(session: Session, workshop: Workshop) -> dict[int, int]:
    """Votes per idea; a merged idea's votes count for the one it was merged into."""
    counts: dict[int, int] = {}
    rows = session.execute(
        select(Idea.id, Idea.merged_into, func.count(IdeaVote.id))
        .join(IdeaVote, IdeaVote.idea_id == Idea.id)
        .where(Idea.workshop_id == workshop.id)
        .group_by(Idea.id, Idea.merged_into)
    )
    for idea_id, merged_into, count in rows:
        target = merged_into or idea_id
        counts[target] = counts.get(target, 0) + count
    return counts


def voter_hash(workshop: Workshop, voter: str) -> str | None:
    """The voter's key for this workshop, or None once the salt is gone (closed)."""
    if workshop.vote_salt is None:
        return None
    return hmac.new(workshop.vote_salt.encode(), voter.encode(), hashlib.sha256).hexdigest()


def has_voted(session: Session, workshop: Workshop, idea: Idea, voter: str) -> bool:
    """Whether this voter's vote for the idea is stored (False once the salt is gone)."""
    key = voter_hash(workshop, voter)
    return key is not None and bool(
        session.scalar(
            select(func.count()).where(IdeaVote.idea_id == idea.id, IdeaVote.voter == key)
        )
    )


def vote(session: Session, workshop: Workshop, idea: Idea, voter: str, *, now: datetime) -> bool:
    """One vote per voter per idea. False if already voted, or voting is over."""
    key = voter_hash(workshop, voter)
    if key is None or state(workshop, now) != CodeState.OPEN or idea.workshop_id != workshop.id:
        return False
    if has_voted(session, workshop, idea, voter):
        return False
    session.add(IdeaVote(idea_id=idea.id, voter=key))
    session.flush()
    return True


def forget_voters(session: Session, *, now: datetime) -> int:
    """For every closed workshop: throw the salt away and blank the voter hashes (the counts
    stay). Returns how many workshops were closed off."""
    closed = list(
        session.scalars(
            select(Workshop).where(Workshop.closes_at <= now, Workshop.vote_salt.is_not(None))
        )
    )
    for workshop in closed:
        ideas = select(Idea.id).where(Idea.workshop_id == workshop.id)
        session.execute(
            update(IdeaVote)
            .where(IdeaVote.idea_id.in_(ideas))
            .values(voter=cast(IdeaVote.id, String(64)))  # unique, and says nothing
        )
        workshop.vote_salt = None
    return len(closed)


def take_followers(session: Session, workshop: Workshop) -> list[int]:
    """The young people to tell what became of the ideas, removed from the list as they are
    taken: the list exists only until the message is queued."""
    people = list(
        session.scalars(
            select(WorkshopFollower.young_person_id).where(
                WorkshopFollower.workshop_id == workshop.id
            )
        )
    )
    session.execute(delete(WorkshopFollower).where(WorkshopFollower.workshop_id == workshop.id))
    return people
