"""Small builders for test data."""

from __future__ import annotations

from sqlalchemy import insert

from careers_app.accounts.models import User
from careers_app.accounts.service import Registration, register_user
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role

DEFAULT_PASSWORD = "correct horse battery staple"


def make_account(
    email: str,
    *,
    full_name: str = "Test Person",
    password: str = DEFAULT_PASSWORD,
    roles: tuple[Role, ...] = (),
) -> User:
    """Register an account through the real service (call inside an app context)."""
    return register_user(
        Registration(
            full_name=full_name,
            email=email,
            password=password,
            professional_group="doctor_dentist",
            region="london",
            training_stage="core",
        ),
        roles,
    )


def insert_account_row(user_id: int, email: str, full_name: str) -> None:
    """An account as a bare row (no search words, no roles), for a test that migrates a
    database from an earlier revision: the service writes tables that may not exist yet."""
    db.session.execute(insert(User.__table__).values(
        id=user_id, email=email, full_name=full_name, password_hash="x",
        professional_group="doctor_dentist", region="london", training_stage="core",
        session_token="t", created_at=utcnow(), password_changed_at=utcnow(),
        last_signed_in_at=utcnow()))
