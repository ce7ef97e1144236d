"""Initial schema: staff, young people, responses, answers and conversation state.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'coordinator', 'facilitator')", name=op.f('ck_staff_user_role_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    op.create_table('young_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=80), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('invite_code_hash', sa.String(length=64), nullable=True),
    sa.Column('invite_expires_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('invite_used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('telegram_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('information_version', sa.Integer(), nullable=True),
    sa.Column('information_accepted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('preferred_checkin_time', sa.Time(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'active', 'paused', 'unreachable', 'ended')", name=op.f('ck_young_person_status_valid')),
    sa.CheckConstraint('birth_year BETWEEN 1900 AND 2100', name=op.f('ck_young_person_birth_year_plausible')),
    sa.ForeignKeyConstraint(['coordinator_id'], ['staff_user.id'], name=op.f('fk_young_person_coordinator_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_young_person')),
    sa.UniqueConstraint('invite_code_hash', name=op.f('uq_young_person_invite_code_hash')),
    sa.UniqueConstraint('telegram_chat_id', name=op.f('uq_young_person_telegram_chat_id'))
    )
    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_young_person_coordinator_id'), ['coordinator_id'], unique=False)

    op.create_table('conversation_state',
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('flow', sa.String(length=32), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_conversation_state_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('young_person_id', name=op.f('pk_conversation_state'))
    )
    op.create_table('questionnaire_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('talk_next_time', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('in_progress', 'completed', 'stopped')", name=op.f('ck_questionnaire_response_status_valid')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_questionnaire_response_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_response'))
    )
    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_response_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['questionnaire_response.id'], name=op.f('fk_answer_response_id_questionnaire_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('response_id', 'item_id', name=op.f('uq_answer_response_id_item_id'))
    )


def downgrade() -> None:
    op.drop_table('answer')
    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_response_young_person_id'))

    op.drop_table('questionnaire_response')
    op.drop_table('conversation_state')
    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_young_person_coordinator_id'))

    op.drop_table('young_person')
    op.drop_table('staff_user')
