"""Ending a case or handing it to another coach: its future appointments are cancelled
and both people told.

A case closed with appointments still booked left them "Booked" on both pages and live
in both calendars, and nobody was told. Every way a case ends or changes hands goes
through cancel_upcoming, so each booked appointment is cancelled as the coach's
cancellation (it never uses the trainee's allowance) with the usual emails and the
calendar file that removes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from careers_app.accounts.models import User
from careers_app.audit import record
from careers_app.coaching import emails
from careers_app.coaching.models import ApplicationStatus, AppointmentStatus, CoachingApplication
from careers_app.coaching.service import upcoming
from careers_app.coaching.workflow import transition, transition_appointment
from careers_app.extensions import db

S = ApplicationStatus
HANDED_OVER_PAGE_SIZE = 25


def cancel_upcoming(application: CoachingApplication, actor: User, now: dt.datetime,
                    cause: emails.Cause = "") -> int:
    """Cancel the case's future booked appointments, telling the trainee and the coach
    (still the case's coach: call this before handing the case to another). The caller
    commits, so the cancellations and their emails land with the change that caused them.
    Returns how many were cancelled."""
    cancelled = 0
    for appointment in upcoming(application):
        transition_appointment(appointment, application, AppointmentStatus.CANCELLED_BY_COACH,
                               actor.id, now)
        emails.appointment_change(application, appointment, "cancelled", cause)
        cancelled += 1
    return cancelled


def close(application: CoachingApplication, actor: User, now: dt.datetime,
          cause: emails.Cause = "") -> int:
    """Close the case, cancelling its future appointments; returns how many. ``cause``
    is "closed" when a coordinator closes it, so the emails do not say the coach did."""
    cancelled = cancel_upcoming(application, actor, now, cause)
    transition(application, ApplicationStatus.CLOSED, actor.id)
    db.session.commit()
    return cancelled


def withdraw(application: CoachingApplication, actor: User, now: dt.datetime) -> int:
    """The trainee withdraws: their booked appointments are cancelled (as the coach's
    cancellation, never using the allowance) and both told; returns how many."""
    cancelled = cancel_upcoming(application, actor, now, "withdrawn")
    transition(application, ApplicationStatus.WITHDRAWN, actor.id)
    db.session.commit()
    return cancelled


def reallocate(application: CoachingApplication, coach: User, actor: User,
               now: dt.datetime) -> int:
    """Give an allocated or active case to ``coach``; returns how many of the old coach's
    booked appointments were cancelled. The trainee is told the new coach's name.

    The old coach's appointments are cancelled rather than moved: the new coach may not
    be free then, and books their own. The case keeps its status and allocated_at (when
    the trainee was first answered, which the coaching figures use).
    """
    if application.status not in (S.ALLOCATED, S.ACTIVE):
        raise ValueError(f"an application that is {application.status} has no coach to change")
    previous = application.coach
    cancelled = cancel_upcoming(application, actor, now, "handed_over")
    application.coach_id, application.coach = coach.id, coach
    application.updated_at = now
    record(actor.id, "application_reallocated", "coaching_application", application.id,
           application.user_id)
    emails.tell_trainee(application, "You have a new careers coach",
                        "email/coaching_reallocated.txt", coach=coach, previous=previous,
                        cancelled=cancelled)
    emails.tell_coach(application, coach, handed_over=True)
    db.session.commit()
    return cancelled


# -- the cases a coordinator can hand over -------------------------------------------------

@dataclass(frozen=True)
class OpenCase:
    """A line of the list of allocated and active cases, read as plain columns."""

    id: int
    applicant_name: str
    applicant_email: str
    coach_name: str
    coach_email: str
    status: str
    allocated_at: dt.datetime | None

    @property
    def status_label(self) -> str:
        return ApplicationStatus(self.status).label


def _open(coach_id: int | None) -> Select[tuple[CoachingApplication]]:
    query = select(CoachingApplication).where(
        CoachingApplication.status.in_((S.ALLOCATED, S.ACTIVE)))
    if coach_id is not None:
        query = query.where(CoachingApplication.coach_id == coach_id)
    return query


def open_case_count(coach_id: int | None = None) -> int:
    return db.session.execute(
        _open(coach_id).with_only_columns(func.count(CoachingApplication.id))).scalar_one()


def open_cases_page(page: int, coach_id: int | None = None) -> list[OpenCase]:
    """Allocated and active cases by coach, each coach's oldest first; of one coach when
    ``coach_id`` is given (the clients to hand over before their account can go)."""
    application, coach = CoachingApplication, aliased(User)
    rows = db.session.execute(
        _open(coach_id).with_only_columns(
            application.id, User.full_name, User.email, coach.full_name, coach.email,
            application.status, application.allocated_at, maintain_column_froms=False)
        .join_from(application, User, User.id == application.user_id)
        .join(coach, coach.id == application.coach_id)
        .order_by(coach.full_name, coach.id, application.allocated_at, application.id)
        .limit(HANDED_OVER_PAGE_SIZE).offset((page - 1) * HANDED_OVER_PAGE_SIZE))
    return [OpenCase(*row) for row in rows]
