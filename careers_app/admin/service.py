"""Finding accounts for coordinators."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from careers_app.accounts.models import User
from careers_app.extensions import db

PAGE_SIZE = 50


def search_users(query: str, page: int) -> tuple[list[User], int]:
    """One page of accounts matching ``query`` (name or email), and the total count."""
    statement = select(User)
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            or_(func.lower(User.full_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"))
        )
    total = db.session.execute(
        select(func.count()).select_from(statement.subquery())
    ).scalar_one()
    users = db.session.execute(
        statement.order_by(User.full_name, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(users), total
