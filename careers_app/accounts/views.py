"""Register, sign in and out, reset a forgotten password, and the profile page."""

from __future__ import annotations

from logging import WARNING

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from careers_app.accounts import bp
from careers_app.accounts import carried as carried_text
from careers_app.accounts.emails import send_reset_email
from careers_app.accounts.forms import (
    ChangePasswordForm,
    ProfileDetailsForm,
    RequestResetForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
)
from careers_app.accounts.passwords import verify_password
from careers_app.accounts.service import (
    authenticate,
    change_password,
    end_all_sessions,
    find_user_by_email,
    update_profile,
    user_for_reset_token,
)
from careers_app.accounts.sessions import start_clock
from careers_app.accounts.throttle import (
    TOO_MANY_RESETS,
    reserve_reset,
    reserve_sign_in,
    too_many_attempts,
)
from careers_app.forms import rerender_on_csrf_failure
from careers_app.logs import log_event
from careers_app.reminders.forms import RemindersForm
from careers_app.reminders.kinds import Kind, kinds_for
from careers_app.reminders.preferences import choose, wanted
from careers_app.security import Role, is_safe_local_path, public, roles_required
from careers_app.throttling import refuse_form, throttle

SIGN_IN_FAILED = "Enter a correct email address and password"


def _start_session(user) -> None:  # type: ignore[no-untyped-def]
    # A fresh session at sign-in, so nothing from before (or planted) carries over.
    session.clear()
    login_user(user)
    start_clock()


def _after_sign_in_target() -> str:
    target = request.args.get("next")
    return target if is_safe_local_path(target) else url_for("dashboard.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_after_sign_in_target())
    form = SignInForm()
    if form.validate_on_submit():
        # The attempt is counted before the password is looked at (see throttle.py).
        reservation = reserve_sign_in(form.email.data)
        if not reservation.allowed:
            log_event("sign_in_throttled", WARNING)
            return too_many_attempts(reservation.retry_after, prefix=carried_text.PREFIX,
                                     carried=carried_text.from_sign_in_form())
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle().succeeded(reservation)
            _start_session(user)
            log_event("sign_in")
            carried = carried_text.from_sign_in_form()
            if carried is not None:  # text typed before the session ended: show it back
                return carried_text.show_after_sign_in(carried)
            return redirect(_after_sign_in_target())
        # The account's id if there is one; the address typed is never logged.
        known = find_user_by_email(form.email.data)
        log_event("sign_in_failed", WARNING, target_user_id=known.id if known else None)
        form.email.errors.append(SIGN_IN_FAILED)
    return render_template("accounts/sign_in.html", form=form,
                           carried=carried_text.from_sign_in_form(), prefix=carried_text.PREFIX)


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    form = SignOutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        log_event("sign_out")
        # Replacing the session token makes any copy of the old cookie worthless.
        end_all_sessions(current_user)
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("public.home"))


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def request_password_reset() -> str | Response:
    form = RequestResetForm()
    if form.validate_on_submit():
        reservation = reserve_reset(form.email.data)
        if not reservation.allowed:
            return refuse_form(form.email, TOO_MANY_RESETS, reservation.retry_after,
                               "accounts/request_reset.html", form=form)
        user = find_user_by_email(form.email.data)
        log_event("password_reset_requested", target_user_id=user.id if user else None)
        send_reset_email(user, form.email.data)
        # The same answer whether or not the address has an account.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/request_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def reset_password(token: str) -> str | Response:
    config = current_app.config
    user = user_for_reset_token(token, config["SECRET_KEY"], config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        log_event("password_reset_link_refused", WARNING)
        return render_template("accounts/reset_invalid.html"), 400  # type: ignore[return-value]
    form = ResetPasswordForm()
    if form.validate_on_submit():
        change_password(user, form.password.data)
        log_event("password_reset_completed", target_user_id=user.id)
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def profile() -> str | Response:
    details = ProfileDetailsForm(obj=current_user, prefix="details")
    password = ChangePasswordForm(prefix="password")
    # Only its own post fills the reminders form: another form's post has no boxes ticked.
    choosing = request.method == "POST" and "reminders-shown" in request.form
    reminders = RemindersForm(prefix="reminders", formdata=request.form if choosing else None,
                              data={"wanted": [kind.value for kind in wanted(current_user)]})
    reminders.offer(kinds_for(current_user))
    if choosing:
        if reminders.validate_on_submit():
            choose(current_user, [Kind(value) for value in reminders.wanted.data])
            flash("Your reminder choices have been saved.", "success")
            return redirect(url_for("accounts.profile"))
    elif request.method == "POST" and "details-full_name" in request.form:
        if details.validate_on_submit():
            update_profile(current_user, details.full_name.data,
                           details.professional_group.data, details.region.data,
                           details.training_stage.data)
            flash("Your details have been saved.", "success")
            return redirect(url_for("accounts.profile"))
    elif request.method == "POST":
        if password.validate_on_submit():
            if verify_password(current_user.password_hash, password.current_password.data):
                change_password(current_user, password.new_password.data)
                log_event("password_changed")
                # Other devices are signed out; this one continues with the new token.
                # (login_user needs the real object: the current_user proxy would point at itself.)
                _start_session(current_user._get_current_object())
                flash("Your password has been changed. Other devices have been signed out.",
                      "success")
                return redirect(url_for("accounts.profile"))
            log_event("password_change_refused", WARNING)
            password.current_password.errors.append("Your current password is not correct")
    return render_template("accounts/profile.html", details=details, password=password,
                           reminders=reminders)
