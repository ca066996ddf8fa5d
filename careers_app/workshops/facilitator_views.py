"""Facilitators' pages: their workshops, assignments, the progress matrix, CSV, reminders."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.audit import record_look
from careers_app.clock import TimeProblem, in_uk, parse_time, uk_to_utc
from careers_app.content.loader import ModuleRegistry
from careers_app.forms import BaseForm, rerender_on_csrf_failure, time_message
from careers_app.links import external_url
from careers_app.plans.downloads import attachment
from careers_app.security import Role, roles_required
from careers_app.worksheets.service import answers_for_module
from careers_app.workshops import bp, progress, reminders, service
from careers_app.workshops.forms import AssignForm, ReminderForm, WorkshopForm
from careers_app.workshops.models import Workshop


def _registry() -> ModuleRegistry:
    return current_app.extensions["modules"]


def _own(workshop_id: int) -> Workshop:
    found = service.find_own(current_user.id, workshop_id)
    if found is None:
        abort(404)
    return found


def _details(form: WorkshopForm) -> service.WorkshopDetails | None:
    """The form's details with the start in UTC, or None with the problem on the form."""
    starts = parse_time(form.time.data)
    if starts is None:
        form.time.errors = [time_message("18:30")]
        return None
    try:
        starts_at = uk_to_utc(form.day.data, starts)
    except TimeProblem as problem:
        form.time.errors = [str(problem)]
        return None
    return service.WorkshopDetails(form.title.data, starts_at, form.format.data,
                                   form.description.data or "")


@bp.get("/")
@roles_required(Role.FACILITATOR)
def index() -> str:
    return render_template("workshops/index.html",
                           workshops=service.workshops_of(current_user.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.FACILITATOR)
@rerender_on_csrf_failure
def new() -> str | Response:
    form = WorkshopForm()
    if form.validate_on_submit() and (details := _details(form)):
        workshop = service.create(current_user, details)
        flash(f"Workshop created. Its join code is {service.show_code(workshop.join_code)}.",
              "success")
        return redirect(url_for(".workshop", workshop_id=workshop.id))
    return render_template("workshops/edit.html", form=form, workshop=None)


@bp.route("/<id:workshop_id>/edit", methods=["GET", "POST"])
@roles_required(Role.FACILITATOR)
@rerender_on_csrf_failure
def edit(workshop_id: int) -> str | Response:
    workshop = _own(workshop_id)
    local = in_uk(workshop.starts_at)
    form = WorkshopForm(data={"title": workshop.title, "day": local.date(),
                              "time": f"{local:%H:%M}", "format": workshop.format,
                              "description": workshop.description})
    if form.validate_on_submit() and (details := _details(form)):
        service.update(workshop, details)
        flash("The workshop is updated.", "success")
        return redirect(url_for(".workshop", workshop_id=workshop.id))
    return render_template("workshops/edit.html", form=form, workshop=workshop)


def _assign_form() -> AssignForm:
    form = AssignForm(prefix="assign")
    form.module.choices = [("", "Choose a module")] + [
        (module.slug, module.title) for module in _registry()]
    return form


@bp.route("/<id:workshop_id>", methods=["GET", "POST"])
@roles_required(Role.FACILITATOR)
@rerender_on_csrf_failure
def workshop(workshop_id: int) -> str | Response:
    found = _own(workshop_id)
    form = _assign_form()
    if form.validate_on_submit() and found.archived_at is None:
        due_on, days = _due(form, found)
        if not form.errors:
            service.assign(found, form.module.data, due_on, days)
            flash("The module is assigned.", "success")
            return redirect(url_for(".workshop", workshop_id=found.id))
    matrix = progress.build(found, _registry())
    return render_template(
        "workshops/workshop.html", workshop=found, matrix=matrix, form=form,
        rows=progress.sorted_rows(matrix, request.args.get("sort", "name")),
        sort=request.args.get("sort", "name"), code=service.show_code(found.join_code),
        join_url=external_url("workshops.join", code=found.join_code), buttons=BaseForm(),
        starts=in_uk(found.starts_at))


def _due(form: AssignForm, workshop: Workshop) -> tuple[dt.date | None, int | None]:
    """The due date as stored (fixed date or days from the workshop); errors on the form."""
    if form.due_kind.data == "fixed":
        if form.due_on.data is None:
            form.due_on.errors = ["Enter the due date"]
            return None, None
        due_on, days = form.due_on.data, None
        when = due_on
    else:
        if form.days.data is None:
            form.days.errors = ["Enter a number of days from 0 to 365"]
            return None, None
        days = -form.days.data if form.direction.data != "after" else form.days.data
        due_on, when = None, in_uk(workshop.starts_at).date() + dt.timedelta(days=days)
    if when < service.today():
        target = form.due_on if form.due_kind.data == "fixed" else form.days
        target.errors = [f"That makes it due on {when.day} {when:%B %Y}, which has passed: "
                         "choose a date from today"]
    return due_on, days


@bp.post("/<id:workshop_id>/assignments/<id:assignment_id>/remove")
@roles_required(Role.FACILITATOR)
def unassign(workshop_id: int, assignment_id: int) -> Response:
    found = _own(workshop_id)
    if BaseForm().validate_on_submit():
        service.unassign(found, assignment_id)
        flash("The module is no longer assigned.", "success")
    return redirect(url_for(".workshop", workshop_id=found.id))


@bp.post("/<id:workshop_id>/archive")
@roles_required(Role.FACILITATOR)
def archive(workshop_id: int) -> Response:
    found = _own(workshop_id)
    if BaseForm().validate_on_submit():
        service.archive(found)
        flash("The workshop is archived: its code no longer works.", "success")
    return redirect(url_for(".index"))


@bp.get("/<id:workshop_id>/progress.csv")
@roles_required(Role.FACILITATOR)
def progress_csv(workshop_id: int) -> Response:
    found = _own(workshop_id)
    body = progress.to_csv(found, progress.build(found, _registry())).encode("utf-8-sig")
    response = attachment(body, found.title, "progress", "csv")
    return response


@bp.route("/<id:workshop_id>/remind", methods=["GET", "POST"])
@roles_required(Role.FACILITATOR)
@rerender_on_csrf_failure
def remind(workshop_id: int) -> str | Response:
    found = _own(workshop_id)
    matrix = progress.build(found, _registry())
    # "Show the reminder" is a GET form (nothing changes); sending it is a POST.
    form = ReminderForm(formdata=request.args) if request.method == "GET" else ReminderForm()
    form.module.choices = [(c.assignment.module_slug, c.title) for c in matrix.columns]
    chosen = next((c for c in matrix.columns
                   if c.assignment.module_slug == (form.module.data or "")), None)
    chosen = chosen or (matrix.columns[0] if matrix.columns else None)
    recipients = reminders.recipients(matrix, chosen) if chosen else []
    already = reminders.sent_today(found)
    if request.method == "POST" and request.form.get("action") == "send" \
            and form.validate_on_submit() and chosen and not already:
        sent = reminders.send(found, chosen, recipients)
        if sent is not None:
            flash(f"Reminder sent to {sent} member{'s' if sent != 1 else ''}.", "success")
            return redirect(url_for(".workshop", workshop_id=found.id))
        already = True  # a request at the same moment sent today's reminder
    return render_template(
        "workshops/remind.html", workshop=found, form=form, chosen=chosen,
        recipients=recipients, already=already,
        preview=reminders.text(found, chosen, "[member's name]") if chosen else "")


@bp.get("/<id:workshop_id>/members/<id:membership_id>/modules/<slug>")
@roles_required(Role.FACILITATOR)
def shown_answers(workshop_id: int, membership_id: int, slug: str) -> str:
    """A member's answers to one module, only while that member chooses to show them."""
    found = _own(workshop_id)
    membership = next((m for m in progress.members_of(found) if m.id == membership_id), None)
    module = _registry().get(slug)
    if membership is None or module is None or \
            (membership.id, slug) not in service.shown_modules([membership.id]):
        abort(404)
    # The record names the workshop, not the module or the answers.
    record_look(current_user.id, "shown_answers_viewed", "workshop", found.id,
                membership.user_id)
    return render_template("workshops/shown_answers.html", workshop=found, module=module,
                           membership=membership,
                           answers=answers_for_module(membership.user_id, slug))
