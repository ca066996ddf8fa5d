"""Ending a case: its future appointments are cancelled and both people told.

A case closed with appointments still booked left them "Booked" on both pages and live
in both calendars, and nobody was told. Every way a case ends or changes hands goes
through cancel_upcoming, so each booked appointment is cancelled as the coach's
cancellation (it never uses the trainee's allowance) with the usual emails and the
calendar file that removes it.
"""

from __future__ import annotations

import datetime as dt

from careers_app.accounts.models import User
from careers_app.coaching import emails
from careers_app.coaching.models import ApplicationStatus, AppointmentStatus, CoachingApplication
from careers_app.coaching.service import upcoming
from careers_app.coaching.workflow import transition, transition_appointment
from careers_app.extensions import db


def cancel_upcoming(application: CoachingApplication, actor: User, now: dt.datetime) -> int:
    """Cancel the case's future booked appointments, telling the trainee and the coach
    (still the case's coach: call this before handing the case to another). The caller
    commits, so the cancellations and their emails land with the change that caused them.
    Returns how many were cancelled."""
    cancelled = 0
    for appointment in upcoming(application):
        transition_appointment(appointment, application, AppointmentStatus.CANCELLED_BY_COACH,
                               actor.id, now)
        emails.appointment_change(application, appointment, "cancelled")
        cancelled += 1
    return cancelled


def close(application: CoachingApplication, actor: User, now: dt.datetime) -> int:
    """Close the case, cancelling its future appointments; returns how many."""
    cancelled = cancel_upcoming(application, actor, now)
    transition(application, ApplicationStatus.CLOSED, actor.id)
    db.session.commit()
    return cancelled
