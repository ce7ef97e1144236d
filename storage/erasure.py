"""Everything stored about a young person: export it (/mine_data), or delete it, leaving one
audit line without content (/slet, retention).

Which rows belong to a person is found by following the foreign keys of the schema, so a table
added later is included without changing this code (tests check it through reflection).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, delete, or_, select
from sqlalchemy.orm import Session

from storage.models import Base, Erasure

PERSON_TABLE = "young_person"
# References to staff never make a row a young person's.
NOT_OWNING = frozenset({"staff_user"})


def belongs_to(table: Table, person_id: int) -> ColumnElement[bool] | None:
    """A condition selecting the rows of `table` that belong to the person, or None."""
    if table.name == PERSON_TABLE:
        return table.c.id == person_id
    conditions: list[ColumnElement[bool]] = []
    for key in table.foreign_keys:
        parent = key.column.table
        if parent is table or parent.name in NOT_OWNING or not isinstance(parent, Table):
            continue
        if parent.name == PERSON_TABLE:
            conditions.append(key.parent == person_id)
            continue
        owned = belongs_to(parent, person_id)
        if owned is not None:
            conditions.append(key.parent.in_(select(key.column).where(owned)))
    return or_(*conditions) if conditions else None


def erase_person(session: Session, person_id: int, *, reason: str, now: datetime) -> dict[str, int]:
    """Delete every row tied to the person (children first) and record how many per table."""
    counts: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        condition = belongs_to(table, person_id)
        if condition is None:
            continue
        result = cast("CursorResult[Any]", session.execute(delete(table).where(condition)))
        deleted = result.rowcount
        if deleted:
            counts[table.name] = deleted
    session.add(Erasure(erased_at=now, reason=reason, rows=counts))
    session.flush()
    return counts


def export_person(session: Session, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row tied to the person, per table, with JSON-ready values. Hashes (of invite codes
    and chat ids) are left out: they are keys, not information about the person."""
    export: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        condition = belongs_to(table, person_id)
        if condition is None:
            continue
        columns = [c for c in table.columns if not c.name.endswith("_hash")]
        rows = session.execute(select(*columns).where(condition)).mappings()
        export[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return export


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
