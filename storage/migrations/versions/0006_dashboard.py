"""Dashboard: staff setup links, coordinator ratings, audit events, workshops and ideas

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:40:25.757608
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.crypto
import storage.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('young_person_ref', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_audit_event_staff_user_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)

    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('opens_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'], name=op.f('fk_workshop_created_by_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
    sa.UniqueConstraint('code', name=op.f('uq_workshop_code'))
    )
    op.create_table('coordinator_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('questionnaire_id', sa.String(length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('belief', sa.Integer(), nullable=True),
    sa.Column('rated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('belief BETWEEN 1 AND 5', name=op.f('ck_coordinator_rating_belief_in_range')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_coordinator_rating_staff_user_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_coordinator_rating_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_rating'))
    )
    with op.batch_alter_table('coordinator_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coordinator_rating_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('text', storage.crypto.EncryptedText(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_idea_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setup_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('setup_expires_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_user_setup_token_hash'), ['setup_token_hash'])



def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_user_setup_token_hash'), type_='unique')
        batch_op.drop_column('setup_expires_at')
        batch_op.drop_column('setup_token_hash')

    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_workshop_id'))

    op.drop_table('idea')
    with op.batch_alter_table('coordinator_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordinator_rating_young_person_id'))

    op.drop_table('coordinator_rating')
    op.drop_table('workshop')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))

    op.drop_table('audit_event')
