"""People and the roles they hold."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db
from careers_app.security import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    professional_group: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(20))
    training_stage: Mapped[str] = mapped_column(String(40))
    # Flask-Login stores this, not the id, in the session cookie. Replacing it on
    # sign-out or password change makes every old copy of the cookie worthless.
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=new_session_token
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set at every sign-in: an account unused for RETENTION_INACTIVE_DAYS is warned and then
    # deleted (careers_app/account_deletion/retention.py). Creating it counts as using it.
    last_signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                        index=True)

    # Text size, spacing, typeface, colours and motion chosen on /account/reading
    # (careers_app/reading/preferences.py reads it leniently); None: the standard ones.
    reading_preferences: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)

    granted_roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset({Role.TRAINEE, *(Role(granted.role) for granted in self.granted_roles)})

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="granted_roles")
