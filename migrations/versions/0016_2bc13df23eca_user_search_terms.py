"""The words each account can be found by (its name's, its email's), indexed, so the
coordinators' user search reads the accounts whose words start with what was typed
instead of every account

Revision ID: 2bc13df23eca
Revises: dd901f34c932
Create Date: 2026-12-06 04:30:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2bc13df23eca'
down_revision = 'dd901f34c932'
branch_labels = None
depends_on = None

TERM_LENGTH = 254
BATCH = 2000
_INSIDE_WORD = re.compile(r"[\W_]+")


def _fold(text):
    return unicodedata.normalize("NFC", text).casefold()


def _terms(full_name, email):
    # As careers_app/accounts/search_terms.py's terms_for when this was written; frozen
    # here so that this migration does the same whatever that file becomes.
    address = _fold(email)
    words = _fold(full_name).split() + [address.partition("@")[0]]
    terms = {address}
    for word in words:
        terms.add(word)
        terms.update(part for part in _INSIDE_WORD.split(word) if part)
    return sorted({term[:TERM_LENGTH] for term in terms if term})


def upgrade():
    term_type = sa.String(length=TERM_LENGTH).with_variant(
        sa.String(length=TERM_LENGTH, collation="C"), "postgresql")
    search_term = op.create_table('user_search_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('term', term_type, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_search_term_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_search_term'))
    )

    # Every existing account's words, a batch of accounts at a time (by id, so a large
    # user table is never held in memory at once). Before the indexes: one build each.
    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer()), sa.column('full_name', sa.String()),
                    sa.column('email', sa.String()))
    last = 0
    while True:
        people = connection.execute(
            sa.select(user.c.id, user.c.full_name, user.c.email).where(user.c.id > last)
            .order_by(user.c.id).limit(BATCH)).all()
        if not people:
            break
        connection.execute(search_term.insert(), [
            {"user_id": person_id, "term": term} for person_id, full_name, email in people
            for term in _terms(full_name, email)])
        last = people[-1][0]

    with op.batch_alter_table('user_search_term', schema=None) as batch_op:
        batch_op.create_index('ix_user_search_term_term_user_id', ['term', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_search_term_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_search_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_search_term_user_id'))
        batch_op.drop_index('ix_user_search_term_term_user_id')

    op.drop_table('user_search_term')
