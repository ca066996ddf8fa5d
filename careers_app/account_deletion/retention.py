"""Accounts nobody uses: an email warning once, then deletion unless the owner signs in.

An account whose last sign-in is more than ``RETENTION_INACTIVE_DAYS`` ago gets one
warning, recorded as a ``RetentionWarning`` row (unique per account, so two workers at
once warn once). ``RETENTION_GRACE_DAYS`` later the account is deleted as its owner could
delete it. Signing in at any time removes the warning, so the clock starts again.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask, current_app, render_template
from flask_login import user_logged_in
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from careers_app.account_deletion.models import RetentionWarning
from careers_app.account_deletion.service import INACTIVE, DeletionRefused, delete_account
from careers_app.accounts.models import User
from careers_app.clock import in_uk
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email

logger = logging.getLogger(__name__)
# Accounts looked at per run: a first run over years of accounts spreads over a few hours.
BATCH = 200
SUBJECT = "Your careers planning account will be deleted unless you sign in"


def init_retention(app: Flask) -> None:
    """Every sign-in counts as using the account; the privacy notice states the periods."""
    user_logged_in.connect(note_sign_in, app)
    app.jinja_env.globals["retention_terms"] = retention_terms


def retention_terms() -> dict[str, str]:
    """The inactive and grace periods in words, as configured now."""
    config = current_app.config
    return {"period": period_text(int(config["RETENTION_INACTIVE_DAYS"])),
            "grace": period_text(int(config["RETENTION_GRACE_DAYS"]))}


def note_sign_in(sender: Flask, user: User, **extra: object) -> None:
    """Move the account's last sign-in to now and withdraw any retention warning."""
    user.last_signed_in_at = utcnow()
    db.session.execute(delete(RetentionWarning).where(RetentionWarning.user_id == user.id))
    db.session.commit()


def period_text(days: int) -> str:
    """'3 years', '1 year' or '400 days': the inactive period as the notice and email say it."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'' if years == 1 else 's'}"
    return f"{days} day{'' if days == 1 else 's'}"


def inactive_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=int(current_app.config["RETENTION_INACTIVE_DAYS"]))


def grace() -> dt.timedelta:
    return dt.timedelta(days=int(current_app.config["RETENTION_GRACE_DAYS"]))


def warn_inactive(now: dt.datetime) -> int:
    """Warn each account unused for the inactive period that has not been warned yet."""
    unwarned = ~exists().where(RetentionWarning.user_id == User.id)
    ids = db.session.execute(
        select(User.id).where(User.last_signed_in_at < inactive_since(now), unwarned)
        .order_by(User.id).limit(BATCH)).scalars().all()
    warned = 0
    for user_id in ids:
        user = db.session.get(User, user_id)
        if user is None:
            continue
        warning = RetentionWarning(user_id=user.id, warned_at=now, deletes_at=now + grace())
        db.session.add(warning)
        send_email(user.email, SUBJECT, render_template(
            "account_deletion/retention_warning.txt", person=user,
            last_signed_in=in_uk(user.last_signed_in_at), deletes=in_uk(warning.deletes_at),
            period=period_text(int(current_app.config["RETENTION_INACTIVE_DAYS"])),
            link=external_url("accounts.sign_in"),
            delete_link=external_url("account_deletion.delete_own")),
            key=f"retention-warning:{user.id}:{user.last_signed_in_at.isoformat()}")
        try:
            db.session.commit()
        except IntegrityError:  # another worker warned this account first
            db.session.rollback()
            continue
        warned += 1
    return warned


def delete_expired(now: dt.datetime) -> int:
    """Delete the warned accounts whose grace period is over and that nobody signed in to."""
    due = db.session.execute(
        select(RetentionWarning.id).where(RetentionWarning.deletes_at <= now)
        .order_by(RetentionWarning.deletes_at).limit(BATCH)).scalars().all()
    deleted = 0
    for warning_id in due:
        warning = db.session.get(RetentionWarning, warning_id)
        user = db.session.get(User, warning.user_id) if warning is not None else None
        if warning is None or user is None:
            continue
        if user.last_signed_in_at > warning.warned_at:  # signed in: not inactive any more
            db.session.delete(warning)
            db.session.commit()
            continue
        try:
            delete_account(user, None, INACTIVE, now)
        except DeletionRefused:
            # A coach or coordinator with cases still open: held until they are handed
            # over; coordinators see the account in the user list as usual.
            logger.warning("retention deletion held: open cases, user %s", user.id)
            continue
        deleted += 1
    return deleted


def run(now: dt.datetime) -> tuple[int, int]:
    """One pass of the retention job: (accounts warned, accounts deleted)."""
    return warn_inactive(now), delete_expired(now)
