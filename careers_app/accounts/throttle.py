"""Throttles on the account pages: sign-in, registration and password reset.

Sign-in: an attempt is reserved per account and per address before the password is
checked, so at most 5 passwords a minute (100 an hour) are ever evaluated for one
account, however many requests arrive at once on however many instances. A
successful sign-in clears the account's count (what is limited is consecutive
failures) and gives back its reservation from the address, whose limit counts
failures only, so colleagues behind one hospital address do not lock each other out.

Registration and reset requests each send an email, so every one counts: per address,
and per email address so nobody's mailbox can be flooded.
"""

from __future__ import annotations

from flask import Response, render_template, request

from careers_app.accounts.forms import SignInForm
from careers_app.accounts.service import normalise_email
from careers_app.throttling import Reservation, Rule, refused, throttle

SIGN_IN_ACCOUNT = Rule("sign-in-account", "5 per minute;100 per hour", on_success="clear")
SIGN_IN_ADDRESS = Rule("sign-in-address", "30 per minute;300 per hour", on_success="give_back")
REGISTER_ADDRESS = Rule("register-address", "20 per minute;100 per hour")
REGISTER_EMAIL = Rule("register-email", "3 per hour")
RESET_ADDRESS = Rule("reset-address", "10 per minute;50 per hour")
RESET_EMAIL = Rule("reset-email", "3 per hour")

TOO_MANY_MESSAGE = (
    "There have been too many attempts to sign in to this account. Wait a minute and try "
    "again, or reset your password"
)
TOO_MANY_REGISTRATIONS = (
    "There have been too many attempts to create an account from here or with this email "
    "address. Wait {wait} and try again"
)
TOO_MANY_RESETS = (
    "There have been too many requests to reset a password from here or for this email "
    "address. Wait {wait} and try again"
)


def client_address() -> str:
    # ProxyFix (PROXY_FIX_X_FOR) has already put the real client address here.
    return request.remote_addr or "unknown"


def reserve_sign_in(email: str) -> Reservation:
    return throttle().reserve((SIGN_IN_ADDRESS, client_address()),
                              (SIGN_IN_ACCOUNT, normalise_email(email)[:254]))


def reserve_registration(email: str) -> Reservation:
    return throttle().reserve((REGISTER_ADDRESS, client_address()),
                              (REGISTER_EMAIL, normalise_email(email)[:254]))


def reserve_reset(email: str) -> Reservation:
    return throttle().reserve((RESET_ADDRESS, client_address()),
                              (RESET_EMAIL, normalise_email(email)[:254]))


def too_many_attempts(retry_after: int, **context: object) -> Response:
    """The sign-in page again, with what to do, instead of a bare 429."""
    form = SignInForm()
    form.email.errors = [TOO_MANY_MESSAGE]
    page = render_template("accounts/sign_in.html", form=form, **context)
    return refused(page, retry_after)
