"""Finding accounts for coordinators."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from careers_app.accounts.models import User, UserSearchTerm
from careers_app.accounts.search_terms import after_prefix, query_words
from careers_app.extensions import db

PAGE_SIZE = 50


def _starting_with(word: str) -> ColumnElement[bool]:
    """Accounts with a word (careers_app/accounts/search_terms.py) starting with ``word``:
    a range of the term index, whatever the number of accounts."""
    bounds = [UserSearchTerm.term >= word]
    following = after_prefix(word)
    if following is not None:
        bounds.append(UserSearchTerm.term < following)
    return User.id.in_(select(UserSearchTerm.user_id).where(*bounds))


def search_users(query: str, page: int) -> tuple[list[User], int]:
    """One page of accounts with a word starting with each word of ``query`` (the start of
    a given name, family name or email), by name, and the total count.

    The total comes with the page's rows (a window count) to find them once, not twice.
    Only a page past the end, with no row to carry the total, counts on its own.
    """
    matching = [_starting_with(word) for word in query_words(query)]
    rows = db.session.execute(
        select(User, func.count().over()).where(*matching)
        .order_by(User.full_name, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    if rows:
        return [user for user, _total in rows], rows[0][1]
    total = db.session.execute(select(func.count()).select_from(User).where(*matching))
    return [], total.scalar_one()
