"""Small builders for test data."""

from __future__ import annotations

from careers_app.accounts.models import User
from careers_app.accounts.service import Registration, register_user
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
