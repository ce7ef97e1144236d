"""`INSERT ... ON CONFLICT` in the dialect of the database a session is bound to.

Each dialect's `insert` is imported when it is first used, not at start: importing
`sqlalchemy.dialects.postgresql` loads every PostgreSQL dialect module (about 0.17 s and some
MB), which a bot on SQLite never needs. The engine has already imported the dialect in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert


def dialect_insert(session: Session, table: Any) -> PostgresqlInsert | SqliteInsert:
    """An INSERT into `table` (a model or a table) that knows `on_conflict_do_nothing` and
    `on_conflict_do_update`, for PostgreSQL or SQLite, whichever `session` uses."""
    return insert_for(dialect_of(session), table)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def insert_for(dialect: str, table: Any) -> PostgresqlInsert | SqliteInsert:
    """As `dialect_insert`, by the dialect's name ("postgresql" or "sqlite"): for a statement
    built once per dialect and kept."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)
