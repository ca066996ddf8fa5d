"""Reminder opt-outs per person and kind, and the marks of reminders decided

Revision ID: f090d7f08ed8
Revises: 4686df94ae2c
Create Date: 2026-12-05 17:55:00.000000

"""
from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = 'f090d7f08ed8'
down_revision = '4686df94ae2c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_opt_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_reminder_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_opt_out')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_reminder_opt_out_user_id'))
    )
    with op.batch_alter_table('reminder_opt_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_opt_out_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('created_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_mark')),
    sa.UniqueConstraint('key', name=op.f('uq_reminder_mark_key'))
    )


def downgrade():
    op.drop_table('reminder_mark')
    with op.batch_alter_table('reminder_opt_out', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_opt_out_user_id'))

    op.drop_table('reminder_opt_out')
