"""Download my data: one row per export, with its progress and, for 7 days, the ZIP

Revision ID: d4e8b2a17c55
Revises: 7c3e9a1d4b20
Create Date: 2026-12-06 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = 'd4e8b2a17c55'
down_revision = '7c3e9a1d4b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('building_for', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('failure', sa.String(length=20), nullable=False),
    sa.Column('requested_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', careers_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', careers_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', careers_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('archive', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_data_export_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_export')),
    sa.UniqueConstraint('building_for', name=op.f('uq_data_export_building_for'))
    )
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_export_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_export_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('data_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_export_user_id'))
        batch_op.drop_index(batch_op.f('ix_data_export_expires_at'))

    op.drop_table('data_export')
