"""Register, check your email, confirm: the same pages whether or not an account exists."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.accounts import bp
from careers_app.accounts.emails import send_registration_email
from careers_app.accounts.forms import ConfirmRegistrationForm, RegisterForm
from careers_app.accounts.passwords import verify_password
from careers_app.accounts.registration import (
    confirm_registration,
    pending_for,
    start_registration,
)
from careers_app.accounts.service import Registration
from careers_app.accounts.throttle import TOO_MANY_REGISTRATIONS, reserve_registration
from careers_app.accounts.views import _start_session
from careers_app.forms import rerender_on_csrf_failure
from careers_app.logs import log_event
from careers_app.security import is_safe_local_path, public
from careers_app.throttling import refuse_form

SENT_TO = "registration_sent_to"
# A message, not a password.
WRONG_PASSWORD = ("Enter the password you chose when you registered with this address. "  # noqa: S105
                  "If you did not register, or cannot remember it, register again")


@bp.route("/register", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        reservation = reserve_registration(form.email.data)
        if not reservation.allowed:
            return refuse_form(form.email, TOO_MANY_REGISTRATIONS, reservation.retry_after,
                               "accounts/register.html", form=form)
        target = request.args.get("next")
        next_path = target if is_safe_local_path(target) else None
        started = start_registration(Registration(
            full_name=form.full_name.data,
            email=form.email.data,
            password=form.password.data,
            professional_group=form.professional_group.data,
            region=form.region.data,
            training_stage=form.training_stage.data,
        ), next_path)
        send_registration_email(started, next_path)
        log_event("registration_started",
                  target_user_id=started.existing.id if started.existing else None)
        # The page after is the same in both cases; only the email differs.
        session[SENT_TO] = started.email
        return redirect(url_for("accounts.registration_sent"))
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-your-email")
@public
def registration_sent() -> str:
    return render_template("accounts/registration_sent.html", email=session.get(SENT_TO))


@bp.route("/confirm/<token>", methods=["GET", "POST"], endpoint="confirm_registration")
@public
@rerender_on_csrf_failure
def confirm_registration_link(token: str) -> str | Response | tuple[str, int]:
    # Opening the link only shows a button: mail scanners that follow links (as NHS
    # mail's do) must not use up the link or create the account.
    pending = pending_for(token)
    if pending is None:
        return render_template("accounts/registration_invalid.html"), 400
    form = ConfirmRegistrationForm()
    if not form.validate_on_submit():
        return _confirm_page(form, pending.full_name)
    # The password chosen when registering: whoever registers the same address later
    # replaces the waiting details, so a link alone must not create an account someone
    # else knows the password of.
    if not verify_password(pending.password_hash, form.password.data):
        form.password.errors.append(WRONG_PASSWORD)
        return _confirm_page(form, pending.full_name)
    next_path = pending.next_path
    user = confirm_registration(pending)
    if user is None:
        return render_template("accounts/registration_invalid.html"), 400
    _start_session(user)
    log_event("registered")
    flash("Your account has been created.", "success")
    # Someone sent to register from a workshop link comes back to it.
    return redirect(next_path if is_safe_local_path(next_path) else url_for("dashboard.index"))


def _confirm_page(form: ConfirmRegistrationForm, full_name: str) -> tuple[str, int]:
    page = render_template("accounts/confirm_registration.html", form=form,
                           full_name=full_name)
    return page, 400 if form.errors else 200
