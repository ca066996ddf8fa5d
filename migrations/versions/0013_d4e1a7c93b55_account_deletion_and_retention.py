"""Deleting accounts and retention: last sign-in, retention warnings, the anonymous
coaching figures kept after a deletion, the reason of an audit event, and links to a
deleted coach's account that may now be empty

Revision ID: d4e1a7c93b55
Revises: d4e8b2a17c55
Create Date: 2026-12-06 01:05:00.000000

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = 'd4e1a7c93b55'
down_revision = "d4e8b2a17c55"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coaching_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('professional_group', sa.String(length=40), nullable=False),
    sa.Column('region', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('days_to_reply', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('did_not_attend', sa.Integer(), nullable=False),
    sa.Column('cancelled_by_trainee', sa.Integer(), nullable=False),
    sa.Column('cancelled_late', sa.Integer(), nullable=False),
    sa.Column('cancelled_by_coach', sa.Integer(), nullable=False),
    sa.Column('cancelled_at_deletion', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_outcome'))
    )
    with op.batch_alter_table('coaching_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_outcome_month'), ['month'], unique=False)

    op.create_table('retention_warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('warned_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deletes_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_retention_warning_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_warning')),
    sa.UniqueConstraint('user_id', name=op.f('uq_retention_warning_user_id'))
    )
    with op.batch_alter_table('retention_warning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_warning_deletes_at'), ['deletes_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_signed_in_at', careers_app.db.UTCDateTime(timezone=True), nullable=True))
    # Sign-ins were not recorded before: every account counts as used today, so the
    # first warnings go RETENTION_INACTIVE_DAYS after this migration, never at once.
    user = sa.table('user', sa.column('last_signed_in_at', careers_app.db.UTCDateTime(timezone=True)))
    op.execute(user.update().values(last_signed_in_at=dt.datetime.now(dt.UTC)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('last_signed_in_at', existing_type=careers_app.db.UTCDateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_user_last_signed_in_at'), ['last_signed_in_at'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=40), nullable=True))

    # Empty once the coach's account is deleted; the client's record stays.
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.alter_column('coach_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('coach_note', schema=None) as batch_op:
        batch_op.alter_column('author_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Rows whose coach's account was deleted cannot be put back under a required link.
    op.execute("DELETE FROM coach_note WHERE author_id IS NULL")
    op.execute("DELETE FROM appointment WHERE coach_id IS NULL")
    with op.batch_alter_table('coach_note', schema=None) as batch_op:
        batch_op.alter_column('author_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.alter_column('coach_id', existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_last_signed_in_at'))
        batch_op.drop_column('last_signed_in_at')

    with op.batch_alter_table('retention_warning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_warning_deletes_at'))
    op.drop_table('retention_warning')

    with op.batch_alter_table('coaching_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_outcome_month'))
    op.drop_table('coaching_outcome')
