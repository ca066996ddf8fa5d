"""Each search word carries its account's name, and the index orders a word's accounts by
it, so a page of the coordinators' user search is found and sorted from the index alone;
the list of everyone is read by name from an index on the user table

Revision ID: 5a7c1e3f9b20
Revises: 6e2f0b9d41c8
Create Date: 2026-12-06 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c1e3f9b20'
down_revision = '6e2f0b9d41c8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_search_term', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_name', sa.String(length=100), nullable=True))
    # One statement for every existing word: the name is the account's, as written.
    op.execute('UPDATE user_search_term SET full_name = '
               '(SELECT "user".full_name FROM "user" WHERE "user".id = user_search_term.user_id)')
    with op.batch_alter_table('user_search_term', schema=None) as batch_op:
        batch_op.alter_column('full_name', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_index('ix_user_search_term_term_user_id')
        batch_op.create_index('ix_user_search_term_term_full_name_user_id',
                              ['term', 'full_name', 'user_id'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index('ix_user_full_name_id', ['full_name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('ix_user_full_name_id')
    with op.batch_alter_table('user_search_term', schema=None) as batch_op:
        batch_op.drop_index('ix_user_search_term_term_full_name_user_id')
        batch_op.create_index('ix_user_search_term_term_user_id', ['term', 'user_id'],
                              unique=False)
        batch_op.drop_column('full_name')
