"""The trainee's side: apply with the plan attached, follow it, cancel appointments."""

from __future__ import annotations

from dataclasses import fields

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.audit import record_look
from careers_app.clock import in_uk
from careers_app.coaching import bp, handover, rules, service, training_numbers
from careers_app.coaching.calendar import appointment_ics
from careers_app.coaching.forms import ATTACH_CHOICES, ApplicationForm, CancelForm
from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.db import utcnow
from careers_app.forms import BaseForm, rerender_on_csrf_failure
from careers_app.plans.downloads import attachment
from careers_app.plans.models import PlanSnapshot
from careers_app.plans.rendering import snapshot_download
from careers_app.plans.waiting import snapshot_state, status_answer, waiting_page
from careers_app.security import Role, roles_required

# What the draft save answers once the application has been sent (from another tab).
ALREADY_SENT = "This application has been sent and can no longer change"


def _own(application_id: int) -> CoachingApplication:
    found = service.find_own(current_user.id, application_id)
    if found is None:
        abort(404)
    return found


def _answers(form: ApplicationForm) -> service.ApplicationAnswers:
    values = {item.name: form[item.name].data for item in fields(service.ApplicationAnswers)}
    values = {k: (v if isinstance(v, bool) else (v or "")) for k, v in values.items()}
    return service.ApplicationAnswers(**values)


@bp.route("/apply", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def apply() -> str | Response:
    current = service.open_application(current_user.id)
    if current is not None and current.status != ApplicationStatus.DRAFT:
        return redirect(url_for(".application", application_id=current.id))
    form = ApplicationForm(obj=current, data=None if current else service.from_account(
        current_user))
    if current is not None and not form.is_submitted():
        # A draft saved before the trainee chose these starts from what their account says.
        for name, value in service.from_account(current_user).items():
            if not form[name].data:
                form[name].data = value
    if form.validate_on_submit():
        draft = current or service.start_or_resume(current_user)
        if draft.status != ApplicationStatus.DRAFT:  # sent from another tab meanwhile
            return redirect(url_for(".application", application_id=draft.id))
        service.save_answers(draft, _answers(form))
        action = request.form.get("action", "save")
        wanted = form.plan_attachment.data
        if action == "attach":  # the button attaches the plan, whatever was picked
            _attach(draft, appendix=wanted == "everything")
            flash("A copy of your action plan as it is now is attached.", "success")
            return redirect(url_for(".apply"))
        if action == "submit":
            problems = service.submission_problems(draft)
            if not problems:
                if wanted in ATTACH_CHOICES:
                    _attach(draft, appendix=wanted == "everything")
                service.submit(draft, current_user)
                return redirect(url_for(".application", application_id=draft.id, sent=1))
            for name, message in problems.items():
                form[name].errors = [message]
            current = draft
        else:
            flash("Your application is saved. You can finish it later.", "success")
            return redirect(url_for(".apply"))
    form.offer_attachment(attached=current is not None and current.snapshot is not None)
    return render_template("coaching/apply.html", form=form, application=current,
                           ineligible=_ineligible(form), number_example=training_numbers.EXAMPLE)


def _attach(draft: CoachingApplication, *, appendix: bool) -> None:
    service.attach_plan(draft, current_user, current_app.extensions["modules"],
                        appendix=appendix)


@bp.post("/apply/draft")
@roles_required(Role.TRAINEE)
def save_draft() -> tuple[Response, int]:
    """Save the application as the trainee types (called by static/js/draft-save.js).

    The same checks as "Save and finish later"; the page keeps what was typed either way.
    """
    current = service.open_application(current_user.id)
    if current is not None and current.status != ApplicationStatus.DRAFT:
        return jsonify(error=ALREADY_SENT), 409
    form = ApplicationForm()
    if not form.validate_on_submit():
        return jsonify(errors={field.id: field.errors[0] for field in form if field.errors}), 422
    draft = current or service.start_or_resume(current_user)
    if draft.status != ApplicationStatus.DRAFT:  # sent from another tab meanwhile
        return jsonify(error=ALREADY_SENT), 409
    service.save_answers(draft, _answers(form))
    return jsonify(saved_at=f"{in_uk(draft.updated_at):%H:%M}"), 200


def _ineligible(form: ApplicationForm) -> bool:
    return any(form[name].errors for name in ("region", "stage"))


@bp.get("/applications/<id:application_id>")
@roles_required(Role.TRAINEE)
def application(application_id: int) -> str:
    found = _own(application_id)
    appointments = service.appointments_of(found)
    return render_template(
        "coaching/application.html", application=found, just_sent=request.args.get("sent"),
        appointments=appointments, allowance=service.allowance(appointments),
        now=utcnow(), form=BaseForm(), reply_days=rules.REPLY_WITHIN_DAYS)


@bp.post("/applications/<id:application_id>/withdraw")
@roles_required(Role.TRAINEE)
def withdraw(application_id: int) -> Response:
    found = _own(application_id)
    if BaseForm().validate_on_submit() and found.status in (
            ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED,
            ApplicationStatus.ACTIVE):
        cancelled = handover.withdraw(found, current_user, utcnow())
        flash("Your application is withdrawn. You can apply again at any time."
              + (" Your booked appointments are cancelled, and your coach has been told."
                 if cancelled else ""), "success")
    return redirect(url_for(".application", application_id=found.id))


def _attached_snapshot(application_id: int) -> tuple[CoachingApplication, PlanSnapshot]:
    """The application and its attached copy of the plan: for its owner, its coach and
    coordinators; 404 for anyone else and when no plan is attached."""
    found = service.find_any(application_id)
    allowed = found is not None and (
        found.user_id == current_user.id
        or (found.coach_id == current_user.id and current_user.has_role(Role.COACH))
        or (current_user.has_role(Role.COORDINATOR) and found.status != ApplicationStatus.DRAFT))
    if not allowed or found.snapshot is None:
        abort(404)
    return found, found.snapshot


@bp.get("/applications/<id:application_id>/plan.pdf")
@roles_required(Role.TRAINEE, Role.COACH, Role.COORDINATOR)
def attached_plan(application_id: int) -> Response:
    """The copy attached to the application; made by a job if it is not yet."""
    found, snapshot = _attached_snapshot(application_id)
    outcome = snapshot_download(snapshot)
    if outcome.pdf is None:
        return redirect(url_for(".attached_plan_preparing", application_id=found.id), 303)
    # Said as the role the trainee knows this person in: their coach, or a coordinator.
    as_coach = found.coach_id == current_user.id and current_user.has_role(Role.COACH)
    record_look(current_user.id, "attached_plan_downloaded_by_coach" if as_coach
                else "attached_plan_downloaded_by_coordinator", "coaching_application",
                found.id, found.user_id)
    return attachment(outcome.pdf, found.applicant.full_name, "action-plan", "pdf")


@bp.get("/applications/<id:application_id>/plan/preparing")
@roles_required(Role.TRAINEE, Role.COACH, Role.COORDINATOR)
def attached_plan_preparing(application_id: int) -> str:
    found, snapshot = _attached_snapshot(application_id)
    own = found.user_id == current_user.id
    if own:
        back = url_for(".application", application_id=found.id)
    elif found.coach_id == current_user.id:
        back = url_for(".client", application_id=found.id)
    else:
        back = url_for(".review", application_id=found.id)
    return waiting_page(
        snapshot_state(snapshot), download_url=url_for(".attached_plan", application_id=found.id),
        status_url=url_for(".attached_plan_status", application_id=found.id),
        back_url=back, back_text="Go back to the application", own=own)


@bp.get("/applications/<id:application_id>/plan/status")
@roles_required(Role.TRAINEE, Role.COACH, Role.COORDINATOR)
def attached_plan_status(application_id: int) -> Response:
    _found, snapshot = _attached_snapshot(application_id)
    return status_answer(snapshot_state(snapshot))


@bp.get("/applications/<id:application_id>/appointments/<id:appointment_id>.ics")
@roles_required(Role.TRAINEE)
def appointment_calendar(application_id: int, appointment_id: int) -> Response:
    found = _own(application_id)
    appointment = service.find_appointment(found, appointment_id)
    if appointment is None:
        abort(404)
    cancelled = appointment.status != "booked"
    body = appointment_ics(appointment, found,
                           found.coach.full_name if found.coach else "your coach",
                           cancelled=cancelled)
    return attachment(body, current_user.full_name, "coaching-appointment", "ics")


@bp.route("/applications/<id:application_id>/appointments/<id:appointment_id>/cancel",
          methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def cancel(application_id: int, appointment_id: int) -> str | Response:
    found = _own(application_id)
    appointment = service.find_appointment(found, appointment_id)
    if appointment is None:
        abort(404)
    now = utcnow()
    late = rules.is_late(appointment.starts_at, now)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            service.cancel_by_trainee(appointment, found, form.reason.data or "", current_user,
                                      now)
        except service.BookingProblem as problem:
            form.reason.errors = [str(problem)]
        else:
            flash("Your appointment is cancelled. Your coach has been told." if not late else
                  f"Your appointment is cancelled. Because it was less than {rules.NOTICE_HOURS} "
                  "hours away it counts as used unless your coach gives it back.", "success")
            return redirect(url_for(".application", application_id=found.id))
    return render_template("coaching/cancel.html", application=found, appointment=appointment,
                           late=late, form=form, starts=in_uk(appointment.starts_at))
