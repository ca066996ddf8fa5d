"""Deleting an account: what must be handed over first, what is kept, and the deletion.

The order matters. Sessions end first, so nothing more is done as the person while the
rest runs. Upcoming appointments are then cancelled through coaching's own service, one
commit each, so the coach gets the usual email and calendar file. Last, in one
transaction: the anonymous coaching figures are written, every row that belongs to the
person is deleted (rows.py) and a content-free audit event says an account went. If that
transaction fails, the account is still there and deleting it again finishes the job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from careers_app.account_deletion.models import CoachingOutcome
from careers_app.account_deletion.rows import delete_rows, owned_rows
from careers_app.accounts.models import User, UserRole
from careers_app.accounts.registration import PendingRegistration
from careers_app.accounts.service import end_all_sessions
from careers_app.audit import record
from careers_app.coaching import service as coaching
from careers_app.coaching.models import (
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    CoachingApplication,
)
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.outbox.models import OutboxEmail
from careers_app.reminders.models import ReminderMark
from careers_app.security import Role
from careers_app.workshops.models import Workshop

# Why an account was deleted: the codes the audit event keeps (no free text, which could
# name the person). Coordinators choose among the first three.
REQUEST_REASONS = {
    "asked_by_email": "They asked by email",
    "asked_another_way": "They asked by letter, by phone or in person",
    "duplicate_account": "They asked us to remove a second account of theirs",
}
SELF = "deleted_by_owner"
INACTIVE = "inactive"
CANCEL_REASON = "The trainee has deleted their account"
OPEN_AT_DELETION = "open_at_deletion"

S = ApplicationStatus
A = AppointmentStatus


@dataclass(frozen=True)
class OpenCases:
    """What someone holds for other people and must hand over before their account goes."""

    clients: int
    appointments: int
    workshops: int
    last_coordinator: bool

    def __bool__(self) -> bool:
        return bool(self.clients or self.appointments or self.workshops
                    or self.last_coordinator)

    def to_hand_over(self) -> list[str]:
        """One line per kind of open case, saying what to do with it."""
        lines = []
        if self.clients:
            lines.append(f"{_count(self.clients, 'coaching client')} allocated to them: "
                         "a coordinator allocates each to another coach or closes it")
        if self.appointments:
            lines.append(f"{_count(self.appointments, 'upcoming appointment')} with them "
                         "as coach: cancel or move each to another coach")
        if self.workshops:
            lines.append(f"{_count(self.workshops, 'workshop')} they run that "
                         f"{'is' if self.workshops == 1 else 'are'} not archived: hand "
                         f"{'it' if self.workshops == 1 else 'them'} to another "
                         "facilitator or archive "
                         f"{'it' if self.workshops == 1 else 'them'}")
        if self.last_coordinator:
            lines.append("the coordinator role, which nobody else holds: give it to "
                         "someone else first")
        return lines

    def summary_items(self) -> list[dict[str, str]]:
        """The lines as the NHS.UK error summary takes them."""
        return [{"text": line} for line in self.to_hand_over()]


class DeletionRefused(Exception):
    """The account still holds cases for other people; ``cases`` says which."""

    def __init__(self, cases: OpenCases) -> None:
        super().__init__("open cases")
        self.cases = cases


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def open_cases(person: User, now: dt.datetime | None = None) -> OpenCases:
    """What ``person`` holds as coach, facilitator or coordinator that others depend on."""
    now = now or utcnow()
    clients = db.session.execute(
        select(func.count(CoachingApplication.id)).where(
            CoachingApplication.coach_id == person.id,
            CoachingApplication.status.in_((S.ALLOCATED, S.ACTIVE)))).scalar_one()
    appointments = db.session.execute(
        select(func.count(Appointment.id)).where(
            Appointment.coach_id == person.id, Appointment.status == A.BOOKED,
            Appointment.starts_at > now)).scalar_one()
    workshops = db.session.execute(
        select(func.count(Workshop.id)).where(
            Workshop.facilitator_id == person.id, Workshop.archived_at.is_(None))
    ).scalar_one()
    last_coordinator = person.has_role(Role.COORDINATOR) and db.session.execute(
        select(func.count(UserRole.id)).where(UserRole.role == Role.COORDINATOR,
                                              UserRole.user_id != person.id)
    ).scalar_one() == 0
    return OpenCases(clients, appointments, workshops, bool(last_coordinator))


def delete_account(person: User, actor: User | None, reason: str,
                   now: dt.datetime | None = None) -> None:
    """Delete ``person`` and everything that is theirs, keeping anonymous figures.

    ``actor`` is the coordinator acting on a request, or None (the person themselves, or
    retention). Raises DeletionRefused, changing nothing, while cases are open.
    """
    now = now or utcnow()
    cases = open_cases(person, now)
    if cases:
        raise DeletionRefused(cases)
    person_id, email = person.id, person.email
    actor_id = actor.id if actor is not None else None
    end_all_sessions(person)
    cancelled = _cancel_upcoming(person_id, now)
    _keep_outcomes(person_id, cancelled)
    db.session.flush()
    delete_rows(owned_rows(_seeds(person_id, email)))
    # Content-free: no subject, no target; only that an account went, why, and which
    # coordinator did it when one did.
    record(actor_id, "account_deleted", "account", None, None, reason=reason)
    db.session.commit()
    db.session.expunge_all()


def _cancel_upcoming(person_id: int, now: dt.datetime) -> dict[int, int]:
    """Cancel the person's booked appointments still to come, as coaching does when a
    trainee cancels (the coach is emailed); how many, per application."""
    cancelled: dict[int, int] = {}
    person = db.session.get(User, person_id)
    applications = db.session.execute(
        select(CoachingApplication).where(CoachingApplication.user_id == person_id)
    ).scalars().all()
    for application in applications:
        upcoming = [a for a in coaching.appointments_of(application)
                    if a.status == A.BOOKED and a.starts_at > now]
        for appointment in upcoming:
            coaching.cancel_by_trainee(appointment, application, CANCEL_REASON, person, now)
            cancelled[application.id] = cancelled.get(application.id, 0) + 1
    return cancelled


def _keep_outcomes(person_id: int, cancelled: dict[int, int]) -> None:
    """One anonymous row per application that was sent (a draft never reached anyone)."""
    applications = db.session.execute(
        select(CoachingApplication).where(CoachingApplication.user_id == person_id,
                                          CoachingApplication.status != S.DRAFT)
    ).scalars().all()
    for application in applications:
        appointments = coaching.appointments_of(application)
        at_deletion = cancelled.get(application.id, 0)
        by_trainee = [a for a in appointments if a.status == A.CANCELLED_BY_TRAINEE]
        made = application.submitted_at or application.created_at
        replied = application.allocated_at or (
            application.finished_at if application.status == S.DECLINED else None)
        status = S(application.status)
        db.session.add(CoachingOutcome(
            month=made.date().replace(day=1),
            professional_group=application.professional_group,
            region=application.region,
            outcome=status.value if status in (S.CLOSED, S.DECLINED, S.WITHDRAWN)
            else OPEN_AT_DELETION,
            days_to_reply=(replied - application.submitted_at).days
            if replied is not None and application.submitted_at is not None else None,
            attended=sum(a.status == A.ATTENDED for a in appointments),
            did_not_attend=sum(a.status == A.DID_NOT_ATTEND for a in appointments),
            cancelled_by_trainee=len(by_trainee) - at_deletion,
            cancelled_late=sum(a.late for a in by_trainee),
            cancelled_by_coach=sum(a.status == A.CANCELLED_BY_COACH for a in appointments),
            cancelled_at_deletion=at_deletion,
        ))


def _seeds(person_id: int, email: str) -> dict[str, set[int]]:
    """The rows to start from: the account, and rows that name it without a foreign key
    (emails to its address, a registration waiting for it, reminder marks keyed by its id
    or by its applications' ids)."""
    application_ids = db.session.execute(
        select(CoachingApplication.id).where(CoachingApplication.user_id == person_id)
    ).scalars().all()
    mark_keys = [ReminderMark.key.like(f"actions:{person_id}:%")]
    mark_keys += [ReminderMark.key.like(f"queue:{application_id}:%")
                  for application_id in application_ids]
    return {
        "user": {person_id},
        "outbox_email": set(db.session.execute(
            select(OutboxEmail.id).where(OutboxEmail.recipient == email)).scalars()),
        "pending_registration": set(db.session.execute(
            select(PendingRegistration.id).where(PendingRegistration.email == email)
        ).scalars()),
        "reminder_mark": set(db.session.execute(
            select(ReminderMark.id).where(or_(*mark_keys))).scalars()),
    }
