"""Plan PDFs made by a job: the state of each render; a snapshot's PDF comes later

Revision ID: 5b1e7d2c9a40
Revises: f090d7f08ed8
Create Date: 2026-12-05 17:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = '5b1e7d2c9a40'
down_revision = 'f090d7f08ed8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pdf_render',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('failure', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('requested_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', careers_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', careers_app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['plan_snapshot.id'], name=op.f('fk_pdf_render_snapshot_id_plan_snapshot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pdf_render_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pdf_render')),
    sa.UniqueConstraint('key', name=op.f('uq_pdf_render_key'))
    )
    with op.batch_alter_table('pdf_render', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdf_render_snapshot_id'), ['snapshot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdf_render_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdf_render_user_id'), ['user_id'], unique=False)

    # A snapshot's content is frozen at once; its PDF is made by a job afterwards.
    with op.batch_alter_table('plan_snapshot', schema=None) as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # A snapshot whose PDF was never made gets an empty one: the columns require a value.
    op.execute("UPDATE plan_snapshot SET pdf = '', sha256 = '' WHERE pdf IS NULL")
    with op.batch_alter_table('plan_snapshot', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)

    with op.batch_alter_table('pdf_render', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdf_render_user_id'))
        batch_op.drop_index(batch_op.f('ix_pdf_render_status'))
        batch_op.drop_index(batch_op.f('ix_pdf_render_snapshot_id'))

    op.drop_table('pdf_render')
