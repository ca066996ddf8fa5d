"""The coordinator's queue: oldest first, by pages, flagged past 14 days, allocate or decline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.audit import record_look
from careers_app.coaching import bp, rules, service
from careers_app.coaching.forms import AllocateForm, DeclineForm
from careers_app.coaching.models import ApplicationStatus
from careers_app.db import utcnow
from careers_app.forms import rerender_on_csrf_failure
from careers_app.pagination import page_count, requested_page
from careers_app.security import Role, roles_required


@bp.get("/queue")
@roles_required(Role.COORDINATOR)
def queue() -> str:
    # By pages, so the page costs the same however long the backlog grows; the oldest
    # (the first to allocate) are on page 1.
    page = requested_page()
    total = service.waiting_count()
    pages = page_count(page, total, service.QUEUE_PAGE_SIZE)
    now = utcnow()
    waiting = [(application, rules.days_waiting(application.submitted_at, now),
                rules.is_overdue(application.submitted_at, now))
               for application in service.queue_page(page)]
    return render_template("coaching/queue.html", waiting=waiting, total=total, page=page,
                           pages=pages, page_size=service.QUEUE_PAGE_SIZE,
                           reply_days=rules.REPLY_WITHIN_DAYS)


@bp.route("/queue/<id:application_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
@rerender_on_csrf_failure
def review(application_id: int) -> str | Response:
    found = service.find_any(application_id)
    if found is None or found.status == ApplicationStatus.DRAFT:
        abort(404)
    coaches = service.coaches_with_caseload()
    allocate_form = AllocateForm(prefix="allocate")
    allocate_form.coach.choices = [("", "Choose a coach")] + [
        # The email tells apart two coaches who share a name.
        (str(coach.id),
         f"{coach.full_name}, {coach.email} ({cases} open case{'s' if cases != 1 else ''})")
        for coach, cases in coaches]
    decline_form = DeclineForm(prefix="decline")
    waiting = found.status == ApplicationStatus.SUBMITTED
    if waiting and request.form.get("action") == "allocate" and allocate_form.validate_on_submit():
        coach = next((c for c, _ in coaches if str(c.id) == allocate_form.coach.data), None)
        if coach is not None:
            service.allocate(found, coach, current_user)
            flash(f"Allocated to {coach.full_name}. The trainee has been told by email.",
                  "success")
            return redirect(url_for(".queue"))
    if waiting and request.form.get("action") == "decline" and decline_form.validate_on_submit():
        service.decline(found, decline_form.reason.data, current_user)
        flash("The application is declined. The trainee has been told why by email.", "success")
        return redirect(url_for(".queue"))
    record_look(current_user.id, "application_viewed_by_coordinator", "coaching_application",
                found.id, found.user_id)
    return render_template("coaching/review.html", application=found, waiting=waiting,
                           allocate_form=allocate_form, decline_form=decline_form,
                           notes=service.notes_for(found),
                           days=rules.days_waiting(found.submitted_at, utcnow())
                           if found.submitted_at else 0)
