"""Erasure audit lines: what is left when a young person's data is deleted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:47:25.278718
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('erasure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('erased_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure'))
    )


def downgrade() -> None:
    op.drop_table('erasure')
