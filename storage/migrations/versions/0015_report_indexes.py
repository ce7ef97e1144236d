"""Indexes that hold what the key-figure report reads of meetings (by start) and agreements (by
deadline), so each of the report's periods is read from its slice of an index instead of a scan
of the whole table: each row's encrypted texts make the tables wide, and the report page reads
them for a half-year and both its quarters (issue 20 point 4).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 21:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(
            'ix_meeting_report',
            ['starts_at', 'status', 'attendance', 'answer', 'young_person_id'],
            unique=False,
        )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(
            'ix_agreement_report',
            ['deadline', 'status', 'outcome_at', 'young_person_id', 'created_at'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_report')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_report')
