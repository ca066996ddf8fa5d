"""Accounts: registration, signing in, password changes and resets, roles."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload

from careers_app.accounts.models import User, UserRole, new_session_token
from careers_app.accounts.passwords import hash_password, needs_rehash, verify_password
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import GRANTABLE_ROLES, Role

RESET_SALT = "careers-app-password-reset"


class EmailTaken(Exception):
    """Another account already uses this email address."""


@dataclass(frozen=True)
class Registration:
    full_name: str
    email: str
    password: str
    professional_group: str
    region: str
    training_stage: str


def normalise_email(email: str) -> str:
    """Emails are compared without case and surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    # Roles are left to load on first use: loading them here would be a second query
    # only when the account exists, and password resets must take as long either way.
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
        .options(lazyload(User.granted_roles))
    ).scalar_one_or_none()


# Every signed-in request asks this: built once, as building it costs more than running it.
_BY_SESSION_TOKEN = (select(User).options(joinedload(User.granted_roles))
                     .where(User.session_token == bindparam("token")))


def find_user_by_session_token(token: str) -> User | None:
    """The signed-in account with its roles, in one statement."""
    return db.session.execute(_BY_SESSION_TOKEN, {"token": token}).unique().scalar_one_or_none()


def register_user(details: Registration, roles: tuple[Role, ...] = ()) -> User:
    """Create an account; raises EmailTaken when the email is already registered."""
    return create_account(details, hash_password(details.password), roles)


def create_account(
    details: Registration, password_hash: str, roles: tuple[Role, ...] = ()
) -> User:
    """Create an account whose password is already hashed (a confirmed registration)."""
    email = normalise_email(details.email)
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(
        email=email,
        full_name=details.full_name,
        password_hash=password_hash,
        professional_group=details.professional_group,
        region=details.region,
        training_stage=details.training_stage,
    )
    user.granted_roles = [UserRole(role=role) for role in set(roles) if role in GRANTABLE_ROLES]
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as error:  # registered by a simultaneous request
        db.session.rollback()
        raise EmailTaken(email) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None; the caller cannot tell which part was wrong."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this person so far."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session (the caller signs in again)."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    db.session.commit()


def update_profile(user: User, full_name: str, group: str, region: str, stage: str) -> None:
    user.full_name = full_name
    user.professional_group = group
    user.region = region
    user.training_stage = stage
    db.session.commit()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def make_reset_token(user: User, secret_key: str) -> str:
    """A signed token naming the account and its current password.

    Including part of the password hash makes the token single-use: once the
    password is changed with it, the token no longer matches.
    """
    return _reset_serializer(secret_key).dumps([user.id, user.password_hash[-16:]])


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """The account a valid, unexpired, unused reset token belongs to, or None."""
    try:
        user_id, fingerprint = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.password_hash[-16:] != fingerprint:
        return None
    return user


def set_roles(user: User, roles: set[Role]) -> None:
    """Make ``roles`` exactly the granted roles of ``user`` (trainee is implicit)."""
    wanted = {role for role in roles if role in GRANTABLE_ROLES}
    user.granted_roles = [g for g in user.granted_roles if Role(g.role) in wanted]
    held = {Role(g.role) for g in user.granted_roles}
    user.granted_roles.extend(UserRole(role=role) for role in wanted - held)
    db.session.commit()
