"""The coach's caseload: their own clients only, appointments, attendance and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.audit import record_look
from careers_app.clock import TimeProblem, in_uk, parse_time, uk_to_utc
from careers_app.coaching import bp, handover, service
from careers_app.coaching.forms import BookingForm, MoveForm, NoteForm
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.db import utcnow
from careers_app.forms import BaseForm, rerender_on_csrf_failure, time_message
from careers_app.security import Role, roles_required


def _client(application_id: int) -> CoachingApplication:
    found = service.find_for_coach(current_user.id, application_id)
    if found is None:
        abort(404)
    return found


def _appointment(found: CoachingApplication, appointment_id: int) -> Appointment:
    appointment = service.find_appointment(found, appointment_id)
    if appointment is None:
        abort(404)
    return appointment


def _scheduled(form: BookingForm | MoveForm,
               act: Callable[[dt.datetime], object]) -> bool:
    """Turn the form's UK date and time into a UTC moment and ``act`` on it.

    False, with the reason on the form's date or time, when the time is not a time, the
    clocks skip or repeat it, or the service refuses the booking.
    """
    starts = parse_time(form.time.data)
    if starts is None:
        form.time.errors = [time_message("14:30")]
        return False
    try:
        act(uk_to_utc(form.day.data, starts))
    except TimeProblem as problem:
        form.time.errors = [str(problem)]
        return False
    except service.BookingProblem as problem:
        form.day.errors = [str(problem)]
        return False
    return True


def cancelled_message(cancelled: int) -> str:
    """What closing did to the appointments, after the sentence saying it is closed."""
    if not cancelled:
        return ""
    which = "1 booked appointment is" if cancelled == 1 else f"{cancelled} booked appointments are"
    return (f" {which} cancelled: you and the trainee have been sent the cancellation "
            "by email.")


@bp.get("/caseload")
@roles_required(Role.COACH)
def caseload() -> str:
    return render_template("coaching/caseload.html", clients=service.caseload(current_user.id))


@bp.route("/caseload/<id:application_id>", methods=["GET", "POST"])
@roles_required(Role.COACH)
@rerender_on_csrf_failure
def client(application_id: int) -> str | Response:
    found = _client(application_id)
    booking = BookingForm(prefix="book")
    note = NoteForm(prefix="note")
    action = request.form.get("action")
    if action == "book" and booking.validate_on_submit() and _scheduled(
            booking, lambda starts_at: service.book(
                found, current_user, starts_at, booking.minutes.data, booking.format.data,
                booking.where.data or "", utcnow())):
        flash("The appointment is booked. You and the trainee have each been sent the "
              "details by email.", "success")
        return redirect(url_for(".client", application_id=found.id))
    if action == "note" and note.validate_on_submit():
        service.add_note(found, current_user, note.body.data)
        flash("Your note is saved. Only you and the coordinators can read it.", "success")
        return redirect(url_for(".client", application_id=found.id) + "#notes")
    record_look(current_user.id, "application_viewed_by_coach", "coaching_application",
                found.id, found.user_id)
    appointments = service.appointments_of(found)
    return render_template(
        "coaching/client.html", application=found, booking=booking, note=note,
        appointments=appointments, allowance=service.allowance(appointments),
        notes=service.notes_for(found), now=utcnow(), form=BaseForm(),
        to_cancel=len(service.upcoming(found)))


@bp.post("/caseload/<id:application_id>/appointments/<id:appointment_id>/"
         "<any('attended', 'did-not-attend', 'cancel', 'waive'):change>")
@roles_required(Role.COACH)
def change_appointment(application_id: int, appointment_id: int, change: str) -> Response:
    found = _client(application_id)
    appointment = _appointment(found, appointment_id)
    if BaseForm().validate_on_submit():
        try:
            starts = in_uk(appointment.starts_at)
            when = f"{starts.day} {starts:%B %Y at %H:%M}"
            if change == "cancel":
                service.cancel_by_coach(appointment, found, current_user, utcnow())
                flash(f"The appointment on {when} is cancelled. You and "
                      f"{found.applicant.full_name} have been sent the cancellation by email.",
                      "success")
            elif change == "waive":
                service.waive(appointment, found, current_user)
                flash(f"The appointment on {when} is given back: it no longer counts.",
                      "success")
            else:
                service.record_attendance(appointment, found, change == "attended",
                                          current_user, utcnow())
                flash(f"The appointment on {when} is marked "
                      f"{'attended' if change == 'attended' else 'not attended'}.", "success")
        except service.BookingProblem as problem:
            flash(str(problem), "warning")
    return redirect(url_for(".client", application_id=found.id) + "#appointments")


@bp.route("/caseload/<id:application_id>/appointments/<id:appointment_id>/move",
          methods=["GET", "POST"])
@roles_required(Role.COACH)
@rerender_on_csrf_failure
def move_appointment(application_id: int, appointment_id: int) -> str | Response:
    found = _client(application_id)
    appointment = _appointment(found, appointment_id)
    local = in_uk(appointment.starts_at)
    form = MoveForm(data={"day": local.date(), "time": f"{local:%H:%M}"})
    if form.validate_on_submit() and _scheduled(
            form, lambda starts_at: service.reschedule(appointment, found, starts_at, current_user,
                                                  utcnow())):
        flash("The appointment has moved. The trainee has been sent the new time.", "success")
        return redirect(url_for(".client", application_id=found.id) + "#appointments")
    return render_template("coaching/move.html", application=found, appointment=appointment,
                           form=form)


@bp.post("/caseload/<id:application_id>/close")
@roles_required(Role.COACH)
def close_case(application_id: int) -> Response:
    found = _client(application_id)
    if BaseForm().validate_on_submit():
        cancelled = handover.close(found, current_user, utcnow())
        flash(f"{found.applicant.full_name}'s coaching is closed."
              + cancelled_message(cancelled), "success")
        return redirect(url_for(".caseload"))
    return redirect(url_for(".client", application_id=found.id))
