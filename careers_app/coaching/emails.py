"""The emails coaching sends: each person gets their own words and a link to their own page.

The trainee follows their coaching on their application page; the coach on their client
page, which is a 404 for anyone else. Everything a template needs is passed in (labels,
the notice period), so an email renders the same with or without a request.
"""

from __future__ import annotations

from typing import Literal

from flask import render_template

from careers_app.accounts.models import User
from careers_app.clock import in_uk
from careers_app.coaching import rules
from careers_app.coaching.calendar import appointment_ics
from careers_app.coaching.eligibility import FORMATS
from careers_app.coaching.models import Appointment, AppointmentStatus, CoachingApplication
from careers_app.links import external_url
from careers_app.mail import send_email

Change = Literal["booked", "changed", "cancelled"]
# Why a coordinator cancelled, in the cancellation emails: "" is the coach's own doing.
Cause = Literal["", "handed_over", "closed", "withdrawn"]

SUBJECTS: dict[Change, str] = {
    "booked": "Careers coaching appointment booked",
    "changed": "Careers coaching appointment changed",
    "cancelled": "Careers coaching appointment cancelled",
}


def tell_trainee(application: CoachingApplication, subject: str, template: str,
                 **context: object) -> None:
    """An email to the applicant about their application, linking to that application's
    page: it shows every status, where /coaching/apply shows a new form once it is closed."""
    person = application.applicant
    body = render_template(template, person=person, application=application,
                           link=external_url("coaching.application",
                                             application_id=application.id), **context)
    send_email(person.email, subject, body)


def tell_coach(application: CoachingApplication, coach: User, *,
               handed_over: bool = False) -> None:
    """Tell the coach a client is theirs, linking to the client page: the trainee has been
    told the coach will contact them, so the coach must know to."""
    body = render_template("email/coaching_allocated_coach.txt", coach=coach,
                           trainee=application.applicant, handed_over=handed_over,
                           link=external_url("coaching.client",
                                             application_id=application.id))
    send_email(coach.email, "A careers coaching client has been allocated to you", body)


def appointment_change(application: CoachingApplication, appointment: Appointment,
                       change: Change, cause: Cause = "") -> None:
    """Tell the trainee and the coach, each in their own words, with the calendar file.

    ``cause`` is set when a coordinator's action cancelled it, so neither reads that the
    coach did."""
    trainee, coach = application.applicant, application.coach
    cancelled = change == "cancelled"
    context = {
        "trainee": trainee, "coach": coach, "appointment": appointment,
        "starts": in_uk(appointment.starts_at),
        "how": FORMATS.get(appointment.format, appointment.format),
        "by_trainee": appointment.status == AppointmentStatus.CANCELLED_BY_TRAINEE,
        "notice_hours": rules.NOTICE_HOURS, "cause": cause,
    }
    coach_name = coach.full_name if coach else "your coach"
    body = render_template(
        f"email/coaching_{change}.txt", coach_name=coach_name,
        link=external_url("coaching.application", application_id=application.id), **context)
    ics = appointment_ics(appointment, application, coach_name, cancelled=cancelled)
    # One email per person per version of the appointment: a repeat writes nothing.
    key = f"appointment:{appointment.id}:{appointment.sequence}:{change}"
    send_email(trainee.email, SUBJECTS[change], body,
               (("appointment.ics", ics, "text", "calendar"),), key=f"{key}:trainee")
    if coach is None:
        return
    body = render_template(
        f"email/coaching_{change}_coach.txt",
        link=external_url("coaching.client", application_id=application.id), **context)
    # The coach's calendar names the person they are meeting: the same event (same UID).
    ics = appointment_ics(appointment, application, trainee.full_name, cancelled=cancelled)
    send_email(coach.email, SUBJECTS[change], body,
               (("appointment.ics", ics, "text", "calendar"),), key=f"{key}:coach")
