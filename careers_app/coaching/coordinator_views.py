"""The coordinator's queue: oldest first, by pages, flagged past 14 days, allocate or
decline; and the allocated cases, which a coordinator can give to another coach or close."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.accounts.models import User
from careers_app.audit import record_look
from careers_app.coaching import bp, handover, rules, service
from careers_app.coaching.forms import AllocateForm, DeclineForm
from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.content.fields import small_number
from careers_app.db import utcnow
from careers_app.forms import BaseForm, rerender_on_csrf_failure
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


@bp.get("/cases")
@roles_required(Role.COORDINATOR)
def cases() -> str:
    """Allocated and active cases, by coach; ``?coach=<id>`` for one coach's clients."""
    coach_id = _coach_asked()
    page = requested_page()
    total = handover.open_case_count(coach_id)
    pages = page_count(page, total, handover.HANDED_OVER_PAGE_SIZE)
    return render_template("coaching/cases.html", cases=handover.open_cases_page(page, coach_id),
                           total=total, page=page, pages=pages, coach_id=coach_id)


def _coach_asked() -> int | None:
    """The ``coach`` query argument; 404 when it is not an id (a huge number would
    overflow the database's integer, a 500)."""
    asked = request.args.get("coach")
    if not asked:
        return None
    coach_id = small_number(asked, 10)
    if coach_id is None or not 1 <= coach_id < 2**31:
        abort(404)
    return coach_id


def _coach_choices(coaches: list[tuple[User, int]], application: CoachingApplication
                   ) -> list[tuple[str, str]]:
    """The coaches a case can go to: not the coach it is with, nor the applicant (a
    trainee who is also a coach must not coach themself)."""
    return [("", "Choose a coach")] + [
        # The email tells apart two coaches who share a name.
        (str(coach.id),
         f"{coach.full_name}, {coach.email} ({cases} open case{'s' if cases != 1 else ''})")
        for coach, cases in coaches
        if coach.id not in (application.coach_id, application.user_id)]


@bp.route("/queue/<id:application_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
@rerender_on_csrf_failure
def review(application_id: int) -> str | Response:
    found = service.find_any(application_id)
    if found is None or found.status == ApplicationStatus.DRAFT:
        abort(404)
    coaches = service.coaches_with_caseload()
    allocate_form = AllocateForm(prefix="allocate")
    allocate_form.coach.choices = _coach_choices(coaches, found)
    decline_form = DeclineForm(prefix="decline")
    waiting = found.status == ApplicationStatus.SUBMITTED
    with_coach = found.status in (ApplicationStatus.ALLOCATED, ApplicationStatus.ACTIVE)
    action = request.form.get("action")
    if (waiting or with_coach) and action == "allocate" and allocate_form.validate_on_submit():
        coach = next((c for c, _ in coaches if str(c.id) == allocate_form.coach.data), None)
        if coach is not None:
            if waiting:
                service.allocate(found, coach, current_user)
                flash(f"Allocated to {coach.full_name}. The trainee has been told by email.",
                      "success")
                return redirect(url_for(".queue"))
            cancelled = handover.reallocate(found, coach, current_user, utcnow())
            flash(f"Allocated to {coach.full_name}. The trainee has been told by email."
                  + _cancelled(cancelled), "success")
            return redirect(url_for(".review", application_id=found.id))
    if waiting and action == "decline" and decline_form.validate_on_submit():
        service.decline(found, decline_form.reason.data, current_user)
        flash("The application is declined. The trainee has been told why by email.", "success")
        return redirect(url_for(".queue"))
    if with_coach and action == "close" and BaseForm().validate_on_submit():
        cancelled = handover.close(found, current_user, utcnow(), "closed")
        flash(f"{found.applicant.full_name}'s coaching is closed." + _cancelled(cancelled),
              "success")
        return redirect(url_for(".review", application_id=found.id))
    record_look(current_user.id, "application_viewed_by_coordinator", "coaching_application",
                found.id, found.user_id)
    return render_template("coaching/review.html", application=found, waiting=waiting,
                           with_coach=with_coach, allocate_form=allocate_form,
                           decline_form=decline_form, close_form=BaseForm(),
                           to_cancel=len(service.upcoming(found)) if with_coach else 0,
                           notes=service.notes_for(found),
                           days=rules.days_waiting(found.submitted_at, utcnow())
                           if found.submitted_at else 0)


def _cancelled(cancelled: int) -> str:
    """What handing over or closing did to the appointments still booked."""
    if not cancelled:
        return ""
    which = "1 booked appointment" if cancelled == 1 else f"{cancelled} booked appointments"
    return (f" {which} {'was' if cancelled == 1 else 'were'} "
            "cancelled, and the trainee and the coach told by email.")
