"""Reading preferences on the account: text size, spacing, typeface, colours, motion

Revision ID: b7f3c2e91a6d
Revises: d4e1a7c93b55
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7f3c2e91a6d'
down_revision = 'd4e1a7c93b55'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: an account that never chose has the standard settings.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading_preferences', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('reading_preferences')
