"""The idea pool: how an idea sent through the bot loses its link to the young person.

The bot's Send press runs in the young person's transaction, which also saves their conversation
state and, the first time, puts them on the workshop's follower list. Whatever that transaction
writes can be tied to them by whoever can look inside the database: on PostgreSQL every row
carries the id of the transaction that wrote it (`xmin`), and SQLite's write-ahead log keeps the
pages of one commit together. So that transaction writes the idea only into the pool: the
workshop, and a sealed payload (theme, text, day) padded to one fixed size, under a random id;
no person, time or sequence.

`mix` moves pooled ideas into `idea` in a transaction of its own that touches no person and no
state, a workshop's pooled ideas all at once, in random order, each under a new random id and
encrypted afresh. It does so once BATCH ideas wait for the workshop, once one has waited
MAX_ROUNDS runs of the mixer (so a lone idea is not stuck), or once the workshop has closed
(ideas sent while it was open always reach the board). The scheduler runs it every few minutes.

What this does not hide is written down in the README ("Youth workshops").
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Text, delete, select, type_coerce, update
from sqlalchemy.orm import Session

from core.locale import local
from domain import workshops
from storage.crypto import keyring
from storage.errors import CryptoError
from storage.models import Workshop
from storage.models.workshops import IdeaPool

logger = logging.getLogger(__name__)

BATCH = 3  # as many as the board needs before it shows anything
MAX_ROUNDS = 10  # mixer runs an idea may wait for others (every 2 minutes: 20 minutes)
PAYLOAD_SIZE = 8192  # every payload is padded to this (a longer one to a multiple of it)


@dataclass(frozen=True)
class MixReport:
    moved: int = 0
    dropped: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class _Pooled:
    theme: str
    text: str
    day: date


def pool_idea(
    session: Session, workshop: Workshop, *, theme: str, text: str, now: datetime
) -> None:
    """Put an idea (checked by the caller with idea_problem) in the pool. Only the day is kept,
    inside the sealed payload; the row itself holds no time."""
    payload = json.dumps(
        {"theme": theme, "text": text.strip(), "day": local(now).date().isoformat()},
        ensure_ascii=False,
    )
    size = -(-len(payload.encode()) // PAYLOAD_SIZE) * PAYLOAD_SIZE
    padded = payload + " " * (size - len(payload.encode()))  # same length, so no length match
    session.add(IdeaPool(id=secrets.token_hex(16), workshop_id=workshop.id, sealed=padded))
    session.flush()


def mix(
    session: Session, *, now: datetime, batch: int = BATCH, max_rounds: int = MAX_ROUNDS
) -> MixReport:
    """Move what is ready from the pool onto the board (see the module's docstring). Run it in a
    transaction of its own: never in one that touches a young person."""
    rows = session.execute(
        select(
            IdeaPool.id, IdeaPool.workshop_id, IdeaPool.rounds, type_coerce(IdeaPool.sealed, Text)
        )
        .order_by(IdeaPool.id)  # random ids: a random order, and one lock order for all
        .with_for_update()  # a second mixer waits, then finds the rows gone
    ).all()
    groups: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for pool_id, workshop_id, rounds, token in rows:
        groups[workshop_id].append((pool_id, rounds + 1, token))
    moved = dropped = waiting = 0
    for workshop_id, group in groups.items():
        workshop = session.get(Workshop, workshop_id)
        ids = [pool_id for pool_id, _, _ in group]
        if workshop is not None and not _ready(workshop, group, now, batch, max_rounds):
            session.execute(
                update(IdeaPool).where(IdeaPool.id.in_(ids)).values(rounds=IdeaPool.rounds + 1)
            )
            waiting += len(group)
            continue
        session.execute(delete(IdeaPool).where(IdeaPool.id.in_(ids)))
        ideas = [_open(token) for _, _, token in group]
        readable = [idea for idea in ideas if idea is not None]
        dropped += len(ideas) - len(readable)
        if workshop is None:
            dropped += len(readable)
            continue
        secrets.SystemRandom().shuffle(readable)
        for idea in readable:
            workshops.add_idea(
                session, workshop, theme=idea.theme, text=idea.text, now=now, sent_on=idea.day
            )
        moved += len(readable)
    if moved or dropped:
        logger.info("idea pool: %d ideas moved to the board, %d dropped", moved, dropped)
    return MixReport(moved=moved, dropped=dropped, waiting=waiting)


def _ready(
    workshop: Workshop,
    group: list[tuple[str, int, str]],
    now: datetime,
    batch: int,
    max_rounds: int,
) -> bool:
    return (
        workshops.state(workshop, now) == workshops.CodeState.CLOSED
        or len(group) >= batch
        or max(rounds for _, rounds, _ in group) >= max_rounds
    )


def _open(token: str) -> _Pooled | None:
    """The pooled idea, or None if it cannot be read (keys changed) or is not one."""
    try:
        data = json.loads(keyring().decrypt(token))
        pooled = _Pooled(
            theme=data["theme"], text=data["text"], day=date.fromisoformat(data["day"])
        )
    except (CryptoError, ValueError, KeyError, TypeError):
        return None
    if workshops.idea_problem(pooled.text) is not None:
        return None
    return pooled
