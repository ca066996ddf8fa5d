"""Registration that reveals nothing about who already has an account.

Every valid registration ends the same way: "check your email". A new address gets a
link that creates the account; an address that already has one gets an email saying
someone tried to register with it, with links to sign in or reset the password. So the
page, its status and the work done (a password hash and one email) are the same either
way, and only the owner of the address learns which case it was.

Until the link is followed, the details wait in ``PendingRegistration``: the ``user``
table only ever holds confirmed addresses, so nothing else in the service has to know
about unconfirmed accounts. Registering again with the same address replaces the
waiting details and makes the earlier link stop working.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from careers_app.accounts.models import User
from careers_app.accounts.passwords import hash_password
from careers_app.accounts.service import (
    EmailTaken,
    Registration,
    create_account,
    find_user_by_email,
    normalise_email,
)
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db

LINK_LIFETIME = timedelta(hours=24)
MAX_NEXT_LENGTH = 500


class PendingRegistration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # SHA-256 of the emailed token: a copy of the database cannot create accounts.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    professional_group: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(20))
    training_stage: Mapped[str] = mapped_column(String(40))
    # Where to go once the account exists (a workshop join link, say): a local path.
    next_path: Mapped[str | None] = mapped_column(String(MAX_NEXT_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


@dataclass(frozen=True)
class Started:
    """What to email: a confirmation link's token for a new address, or the account."""

    email: str
    full_name: str
    token: str | None = None
    existing: User | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_registration(details: Registration, next_path: str | None) -> Started:
    """Keep the details until the address is confirmed, or find the account it has."""
    email = normalise_email(details.email)
    # Hashed in both cases, so an address with an account answers no faster.
    password_hash = hash_password(details.password)
    existing = find_user_by_email(email)
    if existing is not None:
        return Started(email=email, full_name=existing.full_name, existing=existing)
    db.session.execute(delete(PendingRegistration).where(
        PendingRegistration.created_at < utcnow() - LINK_LIFETIME))
    token = secrets.token_urlsafe(32)
    pending = db.session.execute(select(PendingRegistration).where(
        PendingRegistration.email == email)).scalar_one_or_none()
    pending = pending or PendingRegistration(email=email)
    pending.token_hash = _digest(token)
    pending.full_name = details.full_name
    pending.password_hash = password_hash
    pending.professional_group = details.professional_group
    pending.region = details.region
    pending.training_stage = details.training_stage
    pending.next_path = next_path if next_path and len(next_path) <= MAX_NEXT_LENGTH else None
    pending.created_at = utcnow()
    db.session.add(pending)
    try:
        # Flushed, not committed: the email with the link is written to the outbox in the
        # same transaction (send_registration_email commits both), so neither is kept
        # without the other.
        db.session.flush()
    except IntegrityError:
        # The same address registered by a simultaneous request, whose email has the link.
        db.session.rollback()
        return Started(email=email, full_name=details.full_name)
    return Started(email=email, full_name=details.full_name, token=token)


def pending_for(token: str) -> PendingRegistration | None:
    """The waiting registration a link belongs to, if the link is recent and unused."""
    pending = db.session.execute(select(PendingRegistration).where(
        PendingRegistration.token_hash == _digest(token))).scalar_one_or_none()
    if pending is None or pending.created_at < utcnow() - LINK_LIFETIME:
        return None
    return pending


def confirm_registration(pending: PendingRegistration) -> User | None:
    """Create the account; None if the address got an account in the meantime."""
    details = Registration(
        full_name=pending.full_name, email=pending.email, password="",
        professional_group=pending.professional_group, region=pending.region,
        training_stage=pending.training_stage)
    password_hash = pending.password_hash
    # Only the request that removes the waiting row goes on: a second press of the
    # button at the same moment finds it gone (PostgreSQL makes it wait for the first).
    removed = db.session.execute(delete(PendingRegistration).where(
        PendingRegistration.id == pending.id))
    if removed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    try:
        return create_account(details, password_hash)
    except EmailTaken:
        # create_account rolled back: forget the waiting details in a transaction of their own.
        db.session.execute(delete(PendingRegistration).where(
            PendingRegistration.email == details.email))
        db.session.commit()
        return None
