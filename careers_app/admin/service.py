"""Finding accounts for coordinators."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select

from careers_app.accounts.models import User
from careers_app.extensions import db

PAGE_SIZE = 50


def search_users(query: str, page: int) -> tuple[list[User], int]:
    """One page of accounts matching ``query`` (name or email), and the total count.

    A search for part of a name can use no index, so each query reads every account:
    the total comes with the page's rows (a window count) to read them once, not twice.
    Only a page past the end, with no row to carry the total, counts on its own.
    """
    matching: list[ColumnElement[bool]] = []
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        matching.append(
            or_(func.lower(User.full_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"))
        )
    rows = db.session.execute(
        select(User, func.count().over()).where(*matching)
        .order_by(User.full_name, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    if rows:
        return [user for user, _total in rows], rows[0][1]
    total = db.session.execute(select(func.count()).select_from(User).where(*matching))
    return [], total.scalar_one()
