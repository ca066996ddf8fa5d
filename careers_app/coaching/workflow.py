"""The one place an application or an appointment changes state: illegal moves are
refused, legal ones written to the audit log."""

from __future__ import annotations

import datetime as dt

from careers_app.audit import record
from careers_app.coaching.models import ApplicationStatus as S
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.coaching.models import AppointmentStatus as A
from careers_app.db import utcnow
from careers_app.extensions import db

ALLOWED: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ALLOCATED, S.DECLINED, S.WITHDRAWN}),
    S.ALLOCATED: frozenset({S.ACTIVE, S.CLOSED, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.CLOSED, S.WITHDRAWN}),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
FINISHED = (S.CLOSED, S.DECLINED, S.WITHDRAWN)


class IllegalTransition(ValueError):
    """A move the workflow does not allow, such as allocating a withdrawn application."""


def transition(application: CoachingApplication, to: S, actor_id: int) -> None:
    """Move ``application`` to ``to`` and write who did it and when to the audit log.

    The caller commits, so the change and its audit record land together or not at all.
    """
    current = S(application.status)
    if to not in ALLOWED[current]:
        raise IllegalTransition(f"an application that is {current.value} cannot become {to.value}")
    now = utcnow()
    application.status = to
    application.updated_at = now
    if to == S.SUBMITTED:
        application.submitted_at = now
    elif to == S.ALLOCATED:
        application.allocated_at = now
    elif to in FINISHED:
        application.finished_at = now
    record(actor_id, f"application_{to.value}", "coaching_application", application.id,
           application.user_id)


# None is an appointment being booked (not yet saved). Attendance can be corrected
# either way once recorded; a cancellation is final.
APPOINTMENT_MOVES: dict[A | None, frozenset[A]] = {
    None: frozenset({A.BOOKED}),
    A.BOOKED: frozenset({A.ATTENDED, A.DID_NOT_ATTEND, A.CANCELLED_BY_TRAINEE,
                         A.CANCELLED_BY_COACH}),
    A.ATTENDED: frozenset({A.DID_NOT_ATTEND}),
    A.DID_NOT_ATTEND: frozenset({A.ATTENDED}),
    A.CANCELLED_BY_TRAINEE: frozenset(),
    A.CANCELLED_BY_COACH: frozenset(),
}
CANCELLED = (A.CANCELLED_BY_TRAINEE, A.CANCELLED_BY_COACH)


def transition_appointment(appointment: Appointment, application: CoachingApplication, to: A,
                           actor_id: int, now: dt.datetime) -> None:
    """Move ``appointment`` to ``to`` and write who did it to the audit log, about the
    application's trainee. A cancellation is stamped and raises the calendar SEQUENCE.

    The caller commits, so the change and its audit record land together or not at all.
    """
    current = A(appointment.status) if appointment.status is not None else None
    if to not in APPOINTMENT_MOVES[current]:
        raise IllegalTransition(f"an appointment that is {current} cannot become {to.value}")
    appointment.status = to
    if to in CANCELLED:
        appointment.cancelled_at, appointment.sequence = now, (appointment.sequence or 0) + 1
    if appointment.id is None:
        db.session.flush()  # a new appointment's id is what the record names
    record(actor_id, f"appointment_{to.value}", "appointment", appointment.id,
           application.user_id)
