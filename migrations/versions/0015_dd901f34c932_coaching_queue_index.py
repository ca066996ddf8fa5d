"""The coordinator's queue, and the coaches listed with their open cases, found through an
index on the application's status (then when it was sent), not by reading every
application ever made

Revision ID: dd901f34c932
Revises: b7f3c2e91a6d
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'dd901f34c932'
down_revision = "b7f3c2e91a6d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coaching_application', schema=None) as batch_op:
        batch_op.create_index('ix_coaching_application_status_submitted_at',
                              ['status', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('coaching_application', schema=None) as batch_op:
        batch_op.drop_index('ix_coaching_application_status_submitted_at')
