"""Encryption at rest: free text, alert details and the chat id become Fernet tokens; the chat
id is found by a keyed hash. Existing rows are encrypted with the configured keys.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from storage.crypto import keyring

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) holding free text; their type stays TEXT, their values become tokens.
TEXT_COLUMNS = (
    ("questionnaire_response", "talk_next_time"),
    ("meeting", "agenda"),
    ("meeting", "answer_reason"),
    ("reminder", "body"),
    ("alert", "note"),
    ("alert", "details"),
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
    with op.batch_alter_table("alert") as batch:
        batch.alter_column(
            "details", type_=sa.Text(), existing_nullable=False, postgresql_using="details::text"
        )
    with op.batch_alter_table("young_person") as batch:
        batch.add_column(sa.Column("telegram_chat_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("telegram_chat_token", sa.Text(), nullable=True))
    bind = op.get_bind()
    linked = bind.execute(
        sa.text("SELECT id, telegram_chat_id FROM young_person WHERE telegram_chat_id IS NOT NULL")
    ).all()
    for person_id, chat_id in linked:
        ring = keyring()
        bind.execute(
            sa.text(
                "UPDATE young_person SET telegram_chat_token = :token, telegram_chat_hash = :hash "
                "WHERE id = :id"
            ),
            {
                "token": ring.encrypt(str(chat_id)),
                "hash": ring.blind_index(str(chat_id)),
                "id": person_id,
            },
        )
    with op.batch_alter_table("young_person") as batch:
        batch.drop_constraint("uq_young_person_telegram_chat_id", type_="unique")
        batch.drop_column("telegram_chat_id")
    with op.batch_alter_table("young_person") as batch:
        batch.alter_column("telegram_chat_token", new_column_name="telegram_chat_id")
        batch.create_unique_constraint(
            op.f("uq_young_person_telegram_chat_hash"), ["telegram_chat_hash"]
        )
    for table, column in TEXT_COLUMNS:
        _rewrite(table, column, lambda value: keyring().encrypt(value))


def downgrade() -> None:
    for table, column in TEXT_COLUMNS:
        _rewrite(table, column, lambda value: keyring().decrypt(value))
    with op.batch_alter_table("young_person") as batch:
        batch.add_column(sa.Column("telegram_chat_plain", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    linked = bind.execute(
        sa.text("SELECT id, telegram_chat_id FROM young_person WHERE telegram_chat_id IS NOT NULL")
    ).all()
    for person_id, token in linked:
        bind.execute(
            sa.text("UPDATE young_person SET telegram_chat_plain = :chat WHERE id = :id"),
            {"chat": int(keyring().decrypt(token)), "id": person_id},
        )
    with op.batch_alter_table("young_person") as batch:
        batch.drop_constraint(op.f("uq_young_person_telegram_chat_hash"), type_="unique")
        batch.drop_column("telegram_chat_hash")
        batch.drop_column("telegram_chat_id")
    with op.batch_alter_table("young_person") as batch:
        batch.alter_column("telegram_chat_plain", new_column_name="telegram_chat_id")
        batch.create_unique_constraint(
            op.f("uq_young_person_telegram_chat_id"), ["telegram_chat_id"]
        )
    with op.batch_alter_table("alert") as batch:
        batch.alter_column(
            "details", type_=sa.JSON(), existing_nullable=False, postgresql_using="details::json"
        )
