"""A young person's conversation state row, read and written on every event.

Plain SQL statements, built once: through the ORM, loading the row (an identity map entry, an
instance state) and flushing it (the unit of work) was about a sixth of an event's CPU, for a row
nothing else in the transaction touches.

The row is locked when read (FOR UPDATE; SQLite's write transaction does the same), so events for
one young person run one after the other. Its `version` is the second guard: a row is only
written over the version that was read, and `StateChanged` tells the service to redo the event on
fresh state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from bot.engine import State, dump_state
from storage import ConversationStateRow

TABLE: Table = ConversationStateRow.__table__  # type: ignore[assignment]
FIRST_VERSION = 1  # as the ORM's version counter starts, for rows written by either

_READ = (
    select(TABLE.c.version, TABLE.c.data)
    .where(TABLE.c.young_person_id == bindparam("person"))
    .with_for_update()
)
_INSERT = insert(TABLE)
_UPDATE = (
    update(TABLE)
    .where(
        TABLE.c.young_person_id == bindparam("person"),
        TABLE.c.version == bindparam("read_version"),
    )
    .values(
        flow=bindparam("new_flow"),
        step=bindparam("new_step"),
        data=bindparam("new_data", type_=TABLE.c.data.type),
        version=bindparam("new_version"),
        updated_at=bindparam("now", type_=TABLE.c.updated_at.type),
    )
)


class StoredState(NamedTuple):
    version: int
    data: dict[str, Any]


class StateChanged(Exception):
    """The state row was written by someone else since it was read."""


def lock_state(session: Session, person_id: int) -> StoredState | None:
    """The person's stored state, locked for this transaction; None if they have none yet."""
    row = session.execute(_READ, {"person": person_id}).first()
    return StoredState(row.version, row.data) if row is not None else None


def save_state(
    session: Session, person_id: int, state: State, *, read: StoredState | None, now: datetime
) -> None:
    """Write `state` over the row that was read (or as the first row). Raises StateChanged when
    the row changed in between, and IntegrityError when another first row won."""
    data = dump_state(state)
    if read is None:
        first = {"flow": state.flow, "step": state.step, "data": data, "version": FIRST_VERSION}
        session.execute(_INSERT, {"young_person_id": person_id, "updated_at": now, **first})
        return
    written = session.execute(
        _UPDATE,
        {
            "person": person_id,
            "read_version": read.version,
            "new_flow": state.flow,
            "new_step": state.step,
            "new_data": data,
            "new_version": read.version + 1,
            "now": now,
        },
    )
    if written.rowcount != 1:  # type: ignore[attr-defined]
        raise StateChanged(f"the state of person {person_id} changed since it was read")
