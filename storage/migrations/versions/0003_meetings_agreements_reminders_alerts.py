"""Meetings, agreements, the reminder outbox, alerts and meeting feedback.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=120), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done', 'not_yet', 'cancelled')", name=op.f('ck_agreement_status_valid')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_agreement_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['staff_user.id'], name=op.f('fk_alert_acknowledged_by_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_alert_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.Column('answer_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('individual', 'network', 'other')", name=op.f('ck_meeting_kind_valid')),
    sa.CheckConstraint("status IN ('planned', 'cancelled')", name=op.f('ck_meeting_status_valid')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_meeting_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('latest_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dedup_key', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'missed')", name=op.f('ck_reminder_status_valid')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_reminder_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_reminder_dedup_key'))
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('meeting_feedback',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('heard', sa.Integer(), nullable=True),
    sa.Column('part_of_decisions', sa.Integer(), nullable=True),
    sa.Column('knows_next', sa.Integer(), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_feedback_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_meeting_feedback'))
    )
    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('talk_meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questionnaire_response_talk_meeting_id_meeting'), 'meeting', ['talk_meeting_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_plan', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.drop_column('checkin_plan')

    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questionnaire_response_talk_meeting_id_meeting'), type_='foreignkey')
        batch_op.drop_column('talk_meeting_id')

    op.drop_table('meeting_feedback')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_young_person_id'))
        batch_op.drop_index('ix_reminder_due')

    op.drop_table('reminder')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_young_person_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_young_person_id'))

    op.drop_table('alert')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_young_person_id'))

    op.drop_table('agreement')
