"""Finding accounts for coordinators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, distinct, func, select
from sqlalchemy.orm import aliased

from careers_app.accounts.models import User, UserRole, UserSearchTerm
from careers_app.accounts.search_terms import after_prefix, query_words
from careers_app.extensions import db
from careers_app.security import Role

# As the coordinator's queue and the activity page: a page's cost grows with its rows.
PAGE_SIZE = 25


@dataclass(frozen=True)
class AccountRow:
    """One line of the search's table: only what it shows, not the whole account."""

    id: int
    full_name: str
    email: str
    role_labels: str  # "Coach, Trainee": every account is a trainee


def _starting_with(term: type[UserSearchTerm], word: str) -> list[ColumnElement[bool]]:
    """``term`` (careers_app/accounts/search_terms.py) starts with ``word``: a range of the
    term index, whatever the number of accounts."""
    bounds = [term.term >= word]
    following = after_prefix(word)
    if following is not None:
        bounds.append(term.term < following)
    return bounds


def search_users(query: str, page: int) -> tuple[list[AccountRow], int]:
    """One page of accounts with a word starting with each word of ``query`` (the start of
    a given name, family name or email), by name, and how many there are in all.

    The first word's range of the term index gives the accounts and their names in one
    read of the index; each further word must match too. Without a word, everyone, by
    name (through the index on the user table's name).
    """
    words = query_words(query)
    if not words:
        found = select(User.id, User.full_name)
        total = select(func.count()).select_from(User)
        order = (User.full_name, User.id)
    else:
        first, *others = words
        found = select(UserSearchTerm.user_id, UserSearchTerm.full_name).distinct()
        total = select(func.count(distinct(UserSearchTerm.user_id)))
        matching = _starting_with(UserSearchTerm, first)
        for word in others:
            other = aliased(UserSearchTerm)
            matching.append(UserSearchTerm.user_id.in_(
                select(other.user_id).where(*_starting_with(other, word))))
        found, total = found.where(*matching), total.where(*matching)
        order = (UserSearchTerm.full_name, UserSearchTerm.user_id)
    rows = db.session.execute(
        found.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return _with_details(rows), db.session.execute(total).scalar_one()


def _with_details(rows: Sequence[Row[tuple[int, str]]]) -> list[AccountRow]:
    """The page's accounts with their email and roles, read in one statement for the
    whole page (loading each account as an object cost more than drawing its row)."""
    emails: dict[int, str] = {}
    granted: defaultdict[int, set[Role]] = defaultdict(lambda: {Role.TRAINEE})
    for user_id, email, role in db.session.execute(
            select(User.id, User.email, UserRole.role).outerjoin(UserRole)
            .where(User.id.in_([user_id for user_id, _name in rows]))):
        emails[user_id] = email
        if role is not None:
            granted[user_id].add(Role(role))
    return [AccountRow(user_id, full_name, emails[user_id],
                       ", ".join(sorted(role.label for role in granted[user_id])))
            for user_id, full_name in rows if user_id in emails]
