"""A live plan's PDFs are kept on their renders, with their page counts, one for each
kind (the plan, the plan with everything written, and each as a coach's standard print),
instead of one PDF on the plan that each kind replaced in turn

Revision ID: 9c4e2a7d1b35
Revises: 5a7c1e3f9b20
Create Date: 2026-12-06 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c4e2a7d1b35'
down_revision = '5a7c1e3f9b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pdf_render', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('pages', sa.Integer(), nullable=True))
    # The PDF each plan kept moves to its render, found by the same key the code builds
    # (rendering.plan_key); one without a render is dropped and made again when asked for.
    # Its number of pages was never stored: the plan page says it once a render has.
    op.execute(
        "UPDATE pdf_render SET pdf = (SELECT action_plan.pdf FROM action_plan "
        "WHERE pdf_render.key = 'plan:' || action_plan.user_id || ':' || action_plan.pdf_hash) "
        "WHERE pdf_render.snapshot_id IS NULL")
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_column('pdf')
        batch_op.drop_column('pdf_hash')


def downgrade():
    # The kept PDFs are a cache: the older code makes each again when it is asked for.
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('pdf_render', schema=None) as batch_op:
        batch_op.drop_column('pages')
        batch_op.drop_column('pdf')
