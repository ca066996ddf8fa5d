"""Finding accounts for coordinators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, Select, distinct, func, select
from sqlalchemy.orm import aliased

from careers_app.accounts.models import User, UserRole, UserSearchTerm, roles_of
from careers_app.accounts.search_terms import after_prefix, query_words
from careers_app.extensions import db

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


def search_statements(query: str, page: int) -> tuple[Select[tuple[int, str]],
                                                      Select[tuple[int]]]:
    """The statements of a search: one page of (account id, name), by name, and how many
    accounts match in all.

    Every word of ``query`` must start one of the account's words. The longest word (the
    one likely to match fewest) reads its range of the term index, which gives the
    accounts with their names without touching either table; the range's matches are
    still all read, and sorted, to find a page. Without a word: everyone, in order from
    the index on the user table's name.
    """
    words = sorted(query_words(query), key=len, reverse=True)
    if not words:
        return (select(User.id, User.full_name).order_by(User.full_name, User.id)
                .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE),
                select(func.count()).select_from(User))
    first, *others = words
    matching = _starting_with(UserSearchTerm, first)
    for word in others:
        other = aliased(UserSearchTerm)
        matching.append(UserSearchTerm.user_id.in_(
            select(other.user_id).where(*_starting_with(other, word))))
    # Each of an account's words carries the same name: one row per account.
    found = (select(UserSearchTerm.user_id, UserSearchTerm.full_name).distinct()
             .where(*matching).order_by(UserSearchTerm.full_name, UserSearchTerm.user_id)
             .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return found, select(func.count(distinct(UserSearchTerm.user_id))).where(*matching)


def search_users(query: str, page: int) -> tuple[list[AccountRow], int]:
    """One page of accounts with a word starting with each word of ``query`` (the start of
    a given name, family name or email), by name, and how many there are in all."""
    found, total = search_statements(query, page)
    rows = db.session.execute(found).all()
    return _with_details(rows) if rows else [], db.session.execute(total).scalar_one()


def _with_details(rows: Sequence[Row[tuple[int, str]]]) -> list[AccountRow]:
    """The page's accounts with their email and roles, read in one statement for the
    whole page (loading each account as an object cost more than drawing its row). An
    account deleted in between is left out."""
    emails: dict[int, str] = {}
    granted: defaultdict[int, list[str]] = defaultdict(list)
    for user_id, email, role in db.session.execute(
            select(User.id, User.email, UserRole.role).outerjoin(UserRole)
            .where(User.id.in_([user_id for user_id, _name in rows]))):
        emails[user_id] = email
        if role is not None:
            granted[user_id].append(role)
    return [AccountRow(user_id, full_name, emails[user_id],
                       ", ".join(sorted(role.label for role in roles_of(granted[user_id]))))
            for user_id, full_name in rows if user_id in emails]
