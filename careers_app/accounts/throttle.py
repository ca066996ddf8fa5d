"""Sign-in throttling: per account and per address, counting failures only.

Counting only failures means a person who signs in successfully is never slowed,
while the sixth rapid failure on one account is refused even with the right
password. The per-address limit is higher so colleagues behind one hospital
network address are not locked out by one another.
"""

from __future__ import annotations

from flask import Response, g, render_template, request
from flask_limiter.util import get_remote_address

from careers_app.accounts.forms import SignInForm
from careers_app.accounts.service import normalise_email
from careers_app.extensions import limiter

ACCOUNT_LIMIT = "5 per minute;100 per hour"
TOO_MANY_MESSAGE = (
    "There have been too many attempts to sign in to this account. Wait a minute and try "
    "again, or reset your password"
)
ADDRESS_LIMIT = "30 per minute;300 per hour"


def _account_key() -> str:
    email = request.form.get("email", "")
    return "account:" + normalise_email(email)[:254].encode("utf-8", "replace").hex()


def _failed(response: Response) -> bool:
    return bool(g.get("sign_in_failed"))


def mark_sign_in_failed() -> None:
    g.sign_in_failed = True


throttle_per_account = limiter.limit(
    ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"], deduct_when=_failed,
    on_breach=lambda limit: too_many_attempts(),
)
throttle_per_address = limiter.limit(
    ADDRESS_LIMIT, key_func=get_remote_address, methods=["POST"], deduct_when=_failed,
    on_breach=lambda limit: too_many_attempts(),
)


def too_many_attempts() -> Response:
    """The sign-in page again, with what to do, instead of a bare 429."""
    form = SignInForm()
    form.email.errors = [TOO_MANY_MESSAGE]
    page = render_template("accounts/sign_in.html", form=form)
    return Response(page, status=429, headers={"Retry-After": "60"})
