"""Encrypt a meeting's place and participants and an agreement's goal, action and
responsible, like the other free text: their values become Fernet tokens. Existing rows are
encrypted with the configured keys.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from storage.crypto import keyring

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = (
    ("meeting", "place"),
    ("meeting", "participants"),
    ("agreement", "goal"),
    ("agreement", "action"),
    ("agreement", "responsible"),
)
# A token is longer than its plaintext, so the bounded columns become TEXT (the forms keep
# the length limits).
BOUNDED_COLUMNS = (
    ("meeting", "place", sa.String(length=200)),
    ("agreement", "responsible", sa.String(length=120)),
)


def _rewrite(table: str, column: str, change: Callable[[str], str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
    ).all()
    for row_id, value in rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),  # noqa: S608
            {"value": change(str(value)), "id": row_id},
        )


def upgrade() -> None:
    for table, column, bounded in BOUNDED_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, type_=sa.Text(), existing_type=bounded, existing_nullable=False
            )
    for table, column in TEXT_COLUMNS:
        _rewrite(table, column, lambda value: keyring().encrypt(value))


def downgrade() -> None:
    for table, column in TEXT_COLUMNS:
        _rewrite(table, column, lambda value: keyring().decrypt(value))
    for table, column, bounded in BOUNDED_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, type_=bounded, existing_type=sa.Text(), existing_nullable=False
            )
