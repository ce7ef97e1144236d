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

A merge points an idea at another (`merged_into`) and changes nothing else, so undoing it is
clearing that pointer: merges may chain (an idea merged into one that is later merged on), and
votes count for the idea at the end of the chain.
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
from storage.models import (
    Idea,
    IdeaStatus,
    IdeaVote,
    PersonStatus,
    Workshop,
    WorkshopFollower,
    YoungPerson,
)

MAX_IDEA = 1000
IDEA_IDS = 2**31 - 1  # idea ids are drawn from 1..IDEA_IDS (the column is a 32-bit integer)
BOARD_THRESHOLD = 3
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud
OUTCOME_DELIVERY = timedelta(days=2)  # how long the outbox may try to deliver the outcome
OTHER_THEME = "Andet"  # the public page's choice for an idea outside the workshop's themes
# The source tree's list; `ungeguide` reads the one in UNGEGUIDE_NLU_DIR (use_review_words): an
# installed release has no nlu_data/ beside its modules.
WORD_LIST = Path(__file__).resolve().parent.parent / "nlu_data" / "review_words.yml"
REVIEW_WORDS_FILE = WORD_LIST.name


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


class ReviewWords:
    """The word list in use: read from its file when first needed, or when `use` names one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._words: frozenset[str] | None = None

    def use(self, path: Path) -> None:
        """Read the list from `path` now (a missing or broken file fails at start, not at the
        first idea)."""
        self._words = load_review_words(path)
        self.path = path

    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = load_review_words(self.path)
        return self._words


REVIEW_WORDS = ReviewWords(WORD_LIST)


def needs_review(text: str, words: frozenset[str] | None = None) -> bool:
    words = REVIEW_WORDS.words() if words is None else words
    found = set(re.findall(r"\w+", text.casefold()))
    return any(word in found or (" " in word and word in text.casefold()) for word in words)


def new_idea_id(session: Session) -> int:
    """A random id no idea has yet (add_idea flushes each idea, so the session sees them)."""
    while True:
        candidate = secrets.randbelow(IDEA_IDS) + 1
        if session.get(Idea, candidate) is None:
            return candidate


def theme_choices(workshop: Workshop) -> list[str]:
    """The themes an idea may be sent under: the workshop's own, and OTHER_THEME."""
    known = {theme.casefold() for theme in workshop.themes}
    return [*workshop.themes, *([] if OTHER_THEME.casefold() in known else [OTHER_THEME])]


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
        theme=theme if theme in theme_choices(workshop) else OTHER_THEME,
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


def handled_ideas(session: Session, workshop: Workshop) -> list[Idea]:
    """The shown ideas the facilitator marked as discussed or taken forward: what the
    close-the-loop message tells about."""
    return [idea for idea in shown_ideas(session, workshop) if idea.status != IdeaStatus.NEW]


def votes(session: Session, workshop: Workshop) -> dict[int, int]:
    """Votes per idea; a merged idea's votes count for the idea at the end of its merge chain."""
    counts: dict[int, int] = {}
    roots = merge_roots(session, workshop)
    rows = session.execute(
        select(Idea.id, func.count(IdeaVote.id))
        .join(IdeaVote, IdeaVote.idea_id == Idea.id)
        .where(Idea.workshop_id == workshop.id)
        .group_by(Idea.id)
    )
    for idea_id, count in rows:
        target = roots.get(idea_id, idea_id)
        counts[target] = counts.get(target, 0) + count
    return counts


def merge_roots(session: Session, workshop: Workshop) -> dict[int, int]:
    """For every merged idea of the workshop, the unmerged idea its chain ends at."""
    rows = session.execute(
        select(Idea.id, Idea.merged_into).where(Idea.workshop_id == workshop.id)
    ).all()
    parents: dict[int, int | None] = dict(rows)  # each row is an (id, merged_into) pair
    roots: dict[int, int] = {}
    for start, parent in parents.items():
        root, seen = start, {start}
        while parent is not None and parent not in seen:  # `seen` guards a corrupt cycle
            seen.add(parent)
            root, parent = parent, parents.get(parent)
        if root != start:
            roots[start] = root
    return roots


def merged_ideas(session: Session, workshop: Workshop) -> dict[int, list[Idea]]:
    """The merged ideas under the unmerged idea each chain ends at, for the board's undo."""
    roots = merge_roots(session, workshop)
    found: dict[int, list[Idea]] = {}
    if roots:
        for idea in session.scalars(
            select(Idea).where(Idea.id.in_(roots)).order_by(Idea.theme, Idea.shuffle)
        ):
            found.setdefault(roots[idea.id], []).append(idea)
    return found


def can_merge(idea: Idea, into: Idea | None) -> bool:
    """Whether `idea` may be merged into `into`: another, unmerged idea of the same workshop
    (so a chain never loops), and `idea` itself not merged yet."""
    return (
        into is not None
        and into.workshop_id == idea.workshop_id
        and into.id != idea.id
        and into.merged_into is None
        and idea.merged_into is None
    )


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


def outcome_recipients(session: Session, workshop: Workshop) -> list[int]:
    """The followers the close-the-loop message can reach: the outbox sends only to young
    people who use Ungeguide now (active), so the preview's count is exactly who gets it."""
    return list(
        session.scalars(
            select(WorkshopFollower.young_person_id)
            .join(YoungPerson, YoungPerson.id == WorkshopFollower.young_person_id)
            .where(
                WorkshopFollower.workshop_id == workshop.id,
                YoungPerson.status == PersonStatus.ACTIVE,
            )
            .order_by(WorkshopFollower.young_person_id)
        )
    )


def take_followers(session: Session, workshop: Workshop) -> list[int]:
    """The young people to tell what became of the ideas (outcome_recipients); the whole list
    is deleted as they are taken: it exists only until the message is queued."""
    people = outcome_recipients(session, workshop)
    session.execute(delete(WorkshopFollower).where(WorkshopFollower.workshop_id == workshop.id))
    return people
