"""An index for the dispatcher's lateness check (pending rows whose `latest_at` has passed),
which polls every 2 s and otherwise scans the whole outbox (issue 20 point 5).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 16:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_late', ['status', 'latest_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_late')
