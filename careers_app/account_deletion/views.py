"""Delete my account (with the password), and a coordinator deleting one on request."""

from __future__ import annotations

from logging import WARNING

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from careers_app.account_deletion import bp
from careers_app.account_deletion.forms import DeleteOnRequestForm, DeleteOwnAccountForm
from careers_app.account_deletion.service import (
    SELF,
    DeletionRefused,
    delete_account,
    open_cases,
)
from careers_app.accounts.models import User
from careers_app.accounts.passwords import verify_password
from careers_app.accounts.recent_password import recent_password_required
from careers_app.accounts.throttle import reserve_sign_in
from careers_app.extensions import db
from careers_app.forms import rerender_on_csrf_failure
from careers_app.logs import log_event
from careers_app.security import Role, roles_required
from careers_app.throttling import refuse_form, throttle

NOT_CORRECT = "The password is not correct"
TOO_MANY = ("There have been too many attempts to enter the password for this account. "
            "Wait {wait} and try again")


@bp.route("/account/delete", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def delete_own() -> str | Response:
    person: User = current_user._get_current_object()  # type: ignore[attr-defined]
    cases = open_cases(person)
    form = DeleteOwnAccountForm()
    if cases:  # nothing to confirm until they are handed over
        return render_template("account_deletion/own.html", form=None, cases=cases)
    if form.validate_on_submit():
        # Counted with sign-in attempts, before the password is looked at: this form
        # must not become a way round the sign-in limit (accounts/throttle.py).
        reservation = reserve_sign_in(person.email)
        if not reservation.allowed:
            log_event("account_delete_throttled", WARNING)
            return refuse_form(form.password, TOO_MANY, reservation.retry_after,
                               "account_deletion/own.html", form=form, cases=cases)
        if not verify_password(person.password_hash, form.password.data):
            log_event("account_delete_refused", WARNING)
            form.password.errors.append(NOT_CORRECT)
            return render_template("account_deletion/own.html", form=form, cases=cases)
        throttle().succeeded(reservation)
        person_id = person.id
        try:
            delete_account(person, None, SELF)
        except DeletionRefused as refused:  # a client allocated meanwhile: nothing changed
            return render_template("account_deletion/own.html", form=None,
                                   cases=refused.cases), 409  # type: ignore[return-value]
        logout_user()
        session.clear()
        log_event("account_deleted", target_user_id=person_id)
        flash("Your account has been deleted, with everything you wrote in it.", "success")
        return redirect(url_for("public.home"))
    return render_template("account_deletion/own.html", form=form, cases=cases)


@bp.route("/admin/users/<id:user_id>/delete", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
# Deleting someone else's account is as weighty as one's own: the coordinator's
# password, given in the last few minutes, guards it as it guards an export.
@recent_password_required
@rerender_on_csrf_failure
def delete_on_request(user_id: int) -> str | Response:
    person = db.session.get(User, user_id) or abort(404)
    if person.id == current_user.id:
        return redirect(url_for("account_deletion.delete_own"))
    form = DeleteOnRequestForm()
    cases = open_cases(person)
    if form.validate_on_submit() and not cases:
        name = person.full_name
        try:
            delete_account(person, current_user._get_current_object(),  # type: ignore[attr-defined]
                           form.reason.data)
        except DeletionRefused as refused:
            cases = refused.cases
        else:
            log_event("account_deleted", target_user_id=user_id)
            flash(f"The account of {name} has been deleted.", "success")
            return redirect(url_for("admin.users"))
    status = 409 if cases and form.is_submitted() else 200
    return render_template("account_deletion/on_request.html", person=person, form=form,
                           cases=cases), status  # type: ignore[return-value]
