"""The trainee's side: join by code or link, see what the facilitator sees, leave, show."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.forms import BaseForm, rerender_on_csrf_failure
from careers_app.plans.downloads import attachment
from careers_app.security import Role, roles_required
from careers_app.throttling import refuse_form, throttle
from careers_app.workshops import assigned, bp, service
from careers_app.workshops.forms import JoinForm
from careers_app.workshops.progress import build
from careers_app.workshops.throttle import TOO_MANY_CODES, reserve_join_code


@bp.route("/join", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def join() -> str | Response:
    posted = request.method == "POST"
    form = JoinForm(data=None if posted else {"code": request.args.get("code", "")})
    workshop = None
    if form.validate_on_submit() if posted else bool(form.code.data):
        # Counted before the code is looked up; a code that works is given back.
        reservation = reserve_join_code()
        if not reservation.allowed:
            return refuse_form(form.code, TOO_MANY_CODES, reservation.retry_after,
                               "workshops/join.html", form=form, workshop=None,
                               preview=None, code="")
        try:
            workshop = service.find_by_code(form.code.data)
        except service.JoinProblem as problem:
            form.code.errors = [str(problem)]
        else:
            throttle().succeeded(reservation)
    if workshop is not None and posted and request.form.get("action") == "confirm":
        service.join(workshop, current_user)
        flash(f"You have joined “{workshop.title}”.", "success")
        return redirect(url_for("dashboard.index") + "#workshops")
    preview = None
    if workshop is not None:
        matrix = build(workshop, current_app.extensions["modules"])
        preview = assigned.preview_for(current_user, workshop, matrix)
    return render_template("workshops/join.html", form=form, workshop=workshop, preview=preview,
                           code=service.show_code(workshop.join_code) if workshop else "")


@bp.post("/memberships/<id:membership_id>/leave")
@roles_required(Role.TRAINEE)
def leave(membership_id: int) -> Response:
    membership = service.find_own_membership(current_user.id, membership_id)
    if membership is None:
        abort(404)
    if BaseForm().validate_on_submit():
        title = membership.workshop.title
        service.leave(membership)
        flash(f"You have left “{title}”. Its facilitator no longer sees your progress.",
              "success")
    return redirect(url_for("dashboard.index") + "#workshops")


@bp.post("/memberships/<id:membership_id>/show/<slug>")
@roles_required(Role.TRAINEE)
def show(membership_id: int, slug: str) -> Response:
    membership = service.find_own_membership(current_user.id, membership_id)
    assigned_slugs = {a.module_slug for a in service.assignments_of([membership.workshop_id])} \
        if membership else set()
    if membership is None or slug not in assigned_slugs:
        abort(404)
    if BaseForm().validate_on_submit():
        shown = request.form.get("shown") == "yes"
        service.set_shown(membership, slug, shown)
        flash("Your facilitator can now read your answers to this module." if shown else
              "Your facilitator can no longer read your answers to this module.", "success")
    return redirect(url_for("dashboard.index") + "#workshops")


@bp.get("/due-dates.ics")
@roles_required(Role.TRAINEE)
def due_dates() -> Response:
    body = assigned.calendar(current_user.id, current_app.extensions["modules"])
    return attachment(body, current_user.full_name, "workshop-modules", "ics")
