"""People and the roles they hold."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Connection,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    delete,
    event,
    insert,
    inspect,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from careers_app.accounts.search_terms import TERM_LENGTH, terms_for
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db
from careers_app.security import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def roles_of(granted: Iterable[str]) -> frozenset[Role]:
    """An account's roles from the ones granted to it: every account is a trainee."""
    return frozenset({Role.TRAINEE, *(Role(role) for role in granted)})


class User(UserMixin, db.Model):
    # The coordinators' list of everyone, by name, a page at a time: read in order from
    # this index rather than sorting every account for each page.
    __table_args__ = (Index("ix_user_full_name_id", "full_name", "id"),)

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
        return roles_of(granted.role for granted in self.granted_roles)

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


class UserSearchTerm(db.Model):
    """One word an account can be found by (careers_app/accounts/search_terms.py).

    Derived from the account's name and email, rewritten whenever either changes (the
    listeners below), and gone with the account (its foreign key cascades).
    """

    __table_args__ = (
        # The search reads a range of terms from the index alone: the accounts, and their
        # names to put them in order, without touching either table (reading 800
        # accounts' rows to sort a name as common as "Patel" cost five times more).
        Index("ix_user_search_term_term_full_name_user_id", "term", "full_name", "user_id"),
        # Nothing the name and email do not say: not part of "Download my data"
        # (careers_app/personal_data/ownership.py).
        {"info": {"derived": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Compared in code point order on both databases: SQLite's default (BINARY) is, and
    # PostgreSQL's "C" collation is, where the database's own (en_GB.UTF-8, say) ignores
    # punctuation and would put "a-b" outside the range of words starting with "a-".
    term: Mapped[str] = mapped_column(
        String(TERM_LENGTH).with_variant(String(TERM_LENGTH, collation="C"), "postgresql"))
    # The account's name as the user table has it (same type, same collation), copied so
    # a page of results is put in order by name from the index alone.
    full_name: Mapped[str] = mapped_column(String(100))


def _write_terms(connection: Connection, user: User) -> None:
    connection.execute(insert(UserSearchTerm.__table__), [
        {"user_id": user.id, "term": term, "full_name": user.full_name}
        for term in sorted(terms_for(user.full_name, user.email))])


# Mapper events, not a service call, so every way an account is made or renamed through
# the ORM (registration, the profile page, the command line, tests' fixtures) keeps its
# words in step, inside the same flush and transaction. Bulk Core inserts bypass them
# (bench/scale.py writes the words itself).
@event.listens_for(User, "after_insert")
def _terms_for_new_account(_mapper: Mapper[User], connection: Connection, user: User) -> None:
    _write_terms(connection, user)


@event.listens_for(User, "after_update")
def _terms_for_changed_account(_mapper: Mapper[User], connection: Connection,
                               user: User) -> None:
    state = inspect(user)
    if not (state.attrs.full_name.history.has_changes()
            or state.attrs.email.history.has_changes()):
        return
    connection.execute(delete(UserSearchTerm.__table__)
                       .where(UserSearchTerm.__table__.c.user_id == user.id))
    _write_terms(connection, user)
