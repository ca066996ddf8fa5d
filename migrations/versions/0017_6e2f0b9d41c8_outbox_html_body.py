"""The HTML part of an email, for readers who chose reading preferences (made from the
plain text when the email is written)

Revision ID: 6e2f0b9d41c8
Revises: 2bc13df23eca
Create Date: 2026-12-06 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e2f0b9d41c8'
down_revision = '2bc13df23eca'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: the emails already written stay plain text, as they were.
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html_body', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_column('html_body')
