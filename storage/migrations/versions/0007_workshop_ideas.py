"""Workshop ideas: status, outcome, shuffle, flags, merges, votes, followers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:58:07.018217
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.crypto
import storage.types


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('workshop_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_follower_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_workshop_follower_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_follower')),
    sa.UniqueConstraint('workshop_id', 'young_person_id', name=op.f('uq_workshop_follower_workshop_id_young_person_id'))
    )
    with op.batch_alter_table('workshop_follower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_follower_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_follower_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('idea_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('voter', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_vote_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_vote')),
    sa.UniqueConstraint('idea_id', 'voter', name=op.f('uq_idea_vote_idea_id_voter'))
    )
    with op.batch_alter_table('idea_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_vote_idea_id'), ['idea_id'], unique=False)

    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shuffle', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('flagged', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='new'))
        batch_op.create_check_constraint('status_valid', "status IN ('new', 'discussed', 'taken_forward')")
        batch_op.add_column(sa.Column('outcome', storage.crypto.EncryptedText(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_idea_merged_into_idea'), 'idea', ['merged_into'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_salt', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('outcome_sent_at', storage.types.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('outcome_sent_at')
        batch_op.drop_column('vote_salt')

    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_idea_merged_into_idea'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_idea_status_valid'), type_='check')
        batch_op.drop_column('outcome')
        batch_op.drop_column('status')
        batch_op.drop_column('merged_into')
        batch_op.drop_column('flagged')
        batch_op.drop_column('shuffle')

    with op.batch_alter_table('idea_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_vote_idea_id'))

    op.drop_table('idea_vote')
    with op.batch_alter_table('workshop_follower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_follower_young_person_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_follower_workshop_id'))

    op.drop_table('workshop_follower')
