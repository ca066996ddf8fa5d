"""Asking for the password again before a page that hands over or removes everything.

A session cookie left on a shared ward computer must not be enough to download all of
someone's answers. ``recent_password_required`` lets a view through only when the
person signed in, or typed their password at ``/account/confirm-password``, within the
last ``RECENT_PASSWORD_MINUTES`` (10). Otherwise it sends them there, and back to the
page afterwards. The time lives in the signed session cookie, beside the sign-in time
that careers_app/accounts/sessions.py writes; the session token already dies with a
password change, so an old confirmation cannot outlive the password it confirmed.

Wrong passwords count against the same per-account and per-address limits as sign-in
(careers_app/accounts/throttle.py), so this page cannot be used to guess faster.
"""

from __future__ import annotations

import functools
from logging import WARNING
from typing import Any

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.accounts import bp
from careers_app.accounts.forms import password_field
from careers_app.accounts.passwords import verify_password
from careers_app.accounts.sessions import SIGNED_IN_AT, now
from careers_app.accounts.throttle import TOO_MANY_MESSAGE, reserve_sign_in
from careers_app.forms import BaseForm, rerender_on_csrf_failure
from careers_app.logs import log_event
from careers_app.security import Role, View, is_safe_local_path, roles_required
from careers_app.throttling import refuse_form, throttle

PASSWORD_CONFIRMED_AT = "password_confirmed_at"  # noqa: S105 (a session key)
WRONG_PASSWORD = "Enter your correct password"  # noqa: S105 (a message)


class ConfirmPasswordForm(BaseForm):
    password = password_field("Password", "Enter your password")


def _stamp(name: str) -> int | None:
    value = session.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def password_is_recent() -> bool:
    """Whether the password was given (signing in or confirming) within the limit."""
    given = [stamp for stamp in (_stamp(SIGNED_IN_AT), _stamp(PASSWORD_CONFIRMED_AT))
             if stamp is not None]
    limit = int(current_app.config["RECENT_PASSWORD_MINUTES"]) * 60
    return bool(given) and now() - max(given) < limit


def _back_here() -> str:
    # A form post cannot be replayed after the detour: come back to the page it was on.
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def recent_password_required(view: View) -> View:
    """Send the person to confirm their password first unless they gave it recently.

    Put it below ``roles_required``, which deals with people who are not signed in.
    """

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not password_is_recent():
            return redirect(url_for("accounts.confirm_password", next=_back_here()))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _target() -> str:
    target = request.args.get("next")
    return target if is_safe_local_path(target) else url_for("accounts.profile")


@bp.route("/confirm-password", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def confirm_password() -> str | Response:
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        reservation = reserve_sign_in(current_user.email)
        if not reservation.allowed:
            log_event("password_confirm_throttled", WARNING)
            return refuse_form(form.password, TOO_MANY_MESSAGE, reservation.retry_after,
                               "accounts/confirm_password.html", form=form)
        if verify_password(current_user.password_hash, form.password.data or ""):
            throttle().succeeded(reservation)
            session[PASSWORD_CONFIRMED_AT] = now()
            log_event("password_confirmed")
            return redirect(_target())
        log_event("password_confirm_failed", WARNING)
        form.password.errors = [*form.password.errors, WRONG_PASSWORD]
    return render_template("accounts/confirm_password.html", form=form)
