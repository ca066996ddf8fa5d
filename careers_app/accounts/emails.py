"""Emails about an account, built the same way whether or not the account exists.

Whoever asks for a reset must not learn from the response time whether an address has
an account. So the token, the link and the text are made in both cases (for a stand-in
account when there is none), and one email is sent in both cases: the link, or a note
that no account uses the address.
"""

from __future__ import annotations

from flask import current_app, render_template

from careers_app.accounts.models import User
from careers_app.accounts.registration import LINK_LIFETIME, Started
from careers_app.accounts.service import make_reset_token
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email

STAND_IN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$stand-in-for-timing$only"


def _stand_in(email: str) -> User:
    # Never added to the session: it only gives the token and template the same work.
    # Id 0 belongs to nobody, so its token could never reset anything.
    return User(id=0, email=email, full_name="", password_hash=STAND_IN_HASH)


def send_reset_email(user: User | None, typed_email: str) -> None:
    """Send a reset link to ``user``; with no account, do the same work and send the
    address a note that no account uses it (one email either way, like registering)."""
    account = user or _stand_in(typed_email)
    token = make_reset_token(account, current_app.config["SECRET_KEY"])
    link = external_url("accounts.reset_password", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    body = render_template("email/reset_password.txt", user=account, link=link, minutes=minutes)
    if user is not None:
        send_email(user.email, "Reset your password", body)
    else:
        note = render_template("email/reset_no_account.txt",
                               register_link=external_url("accounts.register"))
        send_email(typed_email, "Reset your password", note)
    # The request changes nothing else: the email is the change, committed on its own.
    db.session.commit()


def send_registration_email(started: Started, next_path: str | None) -> None:
    """One email either way: the link that creates the account, or a note to the owner."""
    service = current_app.config["SERVICE_NAME"]
    if started.existing is not None:
        body = render_template(
            "email/already_registered.txt", user=started.existing,
            sign_in_link=external_url("accounts.sign_in", next=next_path),
            reset_link=external_url("accounts.request_password_reset"))
        send_email(started.email, f"You already have a {service} account", body)
    elif started.token is not None:
        hours = int(LINK_LIFETIME.total_seconds() // 3600)
        body = render_template(
            "email/confirm_registration.txt", full_name=started.full_name, hours=hours,
            link=external_url("accounts.confirm_registration", token=started.token))
        send_email(started.email, f"Confirm your email address for {service}", body)
    # Commits the waiting details (start_registration only flushed them) with the email.
    db.session.commit()
