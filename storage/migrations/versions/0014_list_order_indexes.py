"""Indexes in the order of the admin's people list (by name, whatever the case; PostgreSQL
only, as SQLite cannot reflect an index on an expression) and of the alert inbox's open alerts
(urgent, newest first), so a page of 50 stops after 50 rows instead of sorting the whole
municipality (issue 20 point 4).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index(
            'ix_young_person_name',
            'young_person',
            [sa.text('lower(pseudonym)'), 'id'],
            unique=False,
        )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(
            'ix_alert_inbox', ['status', 'urgent', 'created_at', 'id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_inbox')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_young_person_name', table_name='young_person')
