"""A trainee's choices of what is on their plan, when each answer was given, and
whether a share includes everything the trainee wrote

Revision ID: 7c3e9a1d4b20
Revises: 5b1e7d2c9a40
Create Date: 2026-12-05 20:58:38.622625

"""
from alembic import op
import sqlalchemy as sa

import careers_app.db


# revision identifiers, used by Alembic.
revision = '7c3e9a1d4b20'
down_revision = '5b1e7d2c9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=250), nullable=False),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.Column('updated_at', careers_app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_plan_choice_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_choice')),
    sa.UniqueConstraint('user_id', 'item_key', name=op.f('uq_plan_choice_user_id'))
    )
    with op.batch_alter_table('plan_share', schema=None) as batch_op:
        # Shares made before this had no appendix.
        batch_op.add_column(sa.Column('with_appendix', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('step_answer', schema=None) as batch_op:
        # Answers saved before this count as given when their step was last saved.
        batch_op.add_column(sa.Column('answered_at', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('step_answer', schema=None) as batch_op:
        batch_op.drop_column('answered_at')

    with op.batch_alter_table('plan_share', schema=None) as batch_op:
        batch_op.drop_column('with_appendix')

    op.drop_table('plan_choice')
