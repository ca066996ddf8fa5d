"""Applying for coaching, allocating coaches, and booking and cancelling appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from sqlalchemy import Select, func, select, update

from careers_app.accounts.models import User, UserRole
from careers_app.audit import record
from careers_app.coaching import emails, rules, training_numbers
from careers_app.coaching.eligibility import STAGES, eligibility_problems
from careers_app.coaching.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    Appointment,
    AppointmentStatus,
    CoachingApplication,
    CoachNote,
)
from careers_app.coaching.training_numbers import Need
from careers_app.coaching.workflow import transition, transition_appointment
from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.plans.rendering import render_snapshot_soon
from careers_app.plans.sharing import take_snapshot
from careers_app.security import Role

S = ApplicationStatus


class BookingProblem(ValueError):
    """An appointment that cannot be booked or changed; the message is for the person."""


@dataclass(frozen=True)
class ApplicationAnswers:
    professional_group: str
    region: str
    training_number: str
    workforce_scheme: str
    current_post: str
    stage: str
    hopes: str
    preferred_format: str
    availability: str
    consent: bool


REQUIRED = {
    "current_post": "Enter your current post",
    "stage": "Choose your stage of training",
    "hopes": "Say what you would like from coaching",
    "preferred_format": "Choose how you would like to meet",
    "availability": "Say when you are usually free",
}


# -- finding applications, each through the person allowed to see it ---------------

def open_application(user_id: int) -> CoachingApplication | None:
    return db.session.execute(
        select(CoachingApplication).where(CoachingApplication.user_id == user_id,
                                          CoachingApplication.status.in_(OPEN_STATUSES))
    ).scalars().first()


def find_own(user_id: int, application_id: int) -> CoachingApplication | None:
    found = db.session.get(CoachingApplication, application_id)
    return found if found is not None and found.user_id == user_id else None


def find_for_coach(coach_id: int, application_id: int) -> CoachingApplication | None:
    """Only the coach's own clients: another coach's client is as good as absent."""
    found = db.session.get(CoachingApplication, application_id)
    return found if found is not None and found.coach_id == coach_id else None


def find_any(application_id: int) -> CoachingApplication | None:
    """For coordinators, who run the whole queue."""
    return db.session.get(CoachingApplication, application_id)


# -- the trainee's application ------------------------------------------------------

def start_or_resume(user: User) -> CoachingApplication:
    """The trainee's open application, or a new draft filled in from their account.

    Two requests can start one at the same moment: the draft saved as the trainee types
    and the form's own post. Each first writes the account's row, which makes the second
    wait until the first has committed (a row lock on PostgreSQL, the write lock on
    SQLite) and then find its draft, so a trainee never has two open applications. The
    application returned may have been sent by then: callers check its status.
    """
    db.session.execute(update(User).where(User.id == user.id).values(id=User.id)
                       .execution_options(synchronize_session=False))
    current = open_application(user.id)
    if current is not None:
        return current
    draft = CoachingApplication(user_id=user.id, status=S.DRAFT, **from_account(user))
    db.session.add(draft)
    db.session.commit()
    return draft


def from_account(user: User) -> dict[str, str]:
    """What the account already says about the trainee, in the application's terms."""
    return {"professional_group": user.professional_group,
            "region": user.region if user.region in ("london", "kss") else "",
            "stage": user.training_stage if user.training_stage in STAGES else ""}


def save_answers(application: CoachingApplication, answers: ApplicationAnswers) -> None:
    for item in fields(answers):
        setattr(application, item.name, getattr(answers, item.name))
    application.updated_at = utcnow()
    db.session.commit()


def attach_plan(application: CoachingApplication, user: User, registry: ModuleRegistry, *,
                appendix: bool = False) -> None:
    """Attach a frozen copy of the plan as it is now (replacing any earlier copy), with
    everything the trainee wrote when they choose ``appendix``."""
    snapshot = take_snapshot(user, registry, "application", appendix=appendix)
    application.snapshot_id = snapshot.id
    db.session.commit()
    if snapshot.pdf is None:
        render_snapshot_soon(snapshot.id)


def submission_problems(application: CoachingApplication) -> dict[str, str]:
    problems = {name: message for name, message in REQUIRED.items()
                if not str(getattr(application, name)).strip()}
    problems.update(eligibility_problems(
        application.professional_group, application.region, application.stage,
        application.training_number, application.workforce_scheme))
    if not application.consent:
        problems["consent"] = ("Confirm that the coordinator and your coach may read your "
                               "application and any plan you attach")
    return problems


def submit(application: CoachingApplication, actor: User) -> None:
    # Stored as training numbers are printed, whatever case and spacing was typed. A
    # number left in the form before the person chose a group that has none is dropped.
    if training_numbers.need(application.professional_group, application.stage) == Need.NONE:
        application.training_number = ""
    else:
        application.training_number = training_numbers.tidy(application.training_number)
    transition(application, S.SUBMITTED, actor.id)
    emails.tell_trainee(application, "We have your application for careers coaching",
                        "email/coaching_received.txt")
    db.session.commit()


# -- coordinators ---------------------------------------------------------------------

QUEUE_PAGE_SIZE = 25


def _waiting() -> Select[tuple[CoachingApplication]]:
    # Served by ix_coaching_application_status_submitted_at: the rows in order, straight
    # from the index, however many applications have ever been made.
    return (select(CoachingApplication).where(CoachingApplication.status == S.SUBMITTED)
            .order_by(CoachingApplication.submitted_at, CoachingApplication.id))


def queue() -> list[CoachingApplication]:
    """Submitted applications, the longest waiting first."""
    return list(db.session.execute(_waiting()).scalars())


def waiting_count() -> int:
    """How many applications wait for a coach (counted in the status index alone)."""
    return db.session.execute(
        select(func.count()).select_from(CoachingApplication)
        .where(CoachingApplication.status == S.SUBMITTED)).scalar_one()


@dataclass(frozen=True)
class WaitingApplication:
    """A line of the coordinator's queue: what it shows, read as plain columns (loading
    each application with its applicant's account and roles cost more than its row)."""

    id: int
    applicant_name: str
    applicant_email: str
    professional_group: str
    stage: str
    submitted_at: dt.datetime
    has_plan: bool


def queue_page(page: int) -> list[WaitingApplication]:
    """One page of the queue, the longest waiting first (page 1 is the oldest)."""
    application = CoachingApplication
    rows = db.session.execute(
        _waiting().with_only_columns(
            application.id, User.full_name, User.email, application.professional_group,
            application.stage, application.submitted_at, application.snapshot_id,
            maintain_column_froms=False)
        .join_from(application, User, User.id == application.user_id)
        .limit(QUEUE_PAGE_SIZE).offset((page - 1) * QUEUE_PAGE_SIZE))
    # Waiting applications have all been sent: submitted_at is set.
    return [WaitingApplication(id_, name, email, group, stage, submitted_at,
                               snapshot_id is not None)
            for id_, name, email, group, stage, submitted_at, snapshot_id in rows]


def coaches_with_caseload() -> list[tuple[User, int]]:
    """Every coach with how many allocated or active clients they have, in one query."""
    open_cases = (
        select(CoachingApplication.coach_id, func.count(CoachingApplication.id).label("cases"))
        .where(CoachingApplication.status.in_((S.ALLOCATED, S.ACTIVE)))
        .group_by(CoachingApplication.coach_id).subquery()
    )
    rows = db.session.execute(
        select(User, func.coalesce(open_cases.c.cases, 0))
        .join(UserRole, UserRole.user_id == User.id)
        .outerjoin(open_cases, open_cases.c.coach_id == User.id)
        .where(UserRole.role == Role.COACH).order_by(User.full_name)
    ).unique().all()
    return [(coach, int(cases)) for coach, cases in rows]


def allocate(application: CoachingApplication, coach: User, actor: User) -> None:
    application.coach_id = coach.id
    transition(application, S.ALLOCATED, actor.id)
    emails.tell_trainee(application, "A careers coach has been allocated to you",
                        "email/coaching_allocated.txt", coach=coach)
    emails.tell_coach(application, coach)
    db.session.commit()


def decline(application: CoachingApplication, reason: str, actor: User) -> None:
    application.decline_reason = reason
    transition(application, S.DECLINED, actor.id)
    emails.tell_trainee(application, "Your application for careers coaching",
                        "email/coaching_declined.txt")
    db.session.commit()


# -- coaches ----------------------------------------------------------------------------

def caseload(coach_id: int) -> list[CoachingApplication]:
    return list(db.session.execute(
        select(CoachingApplication)
        .where(CoachingApplication.coach_id == coach_id,
               CoachingApplication.status.in_((S.ALLOCATED, S.ACTIVE)))
        .order_by(CoachingApplication.allocated_at)
    ).scalars())


def add_note(application: CoachingApplication, author: User, body: str) -> None:
    db.session.add(CoachNote(application_id=application.id, author_id=author.id, body=body))
    db.session.commit()


def notes_for(application: CoachingApplication) -> list[CoachNote]:
    return list(db.session.execute(
        select(CoachNote).where(CoachNote.application_id == application.id)
        .order_by(CoachNote.created_at)
    ).scalars())


# -- appointments and the allowance -------------------------------------------------

def appointments_of(application: CoachingApplication) -> list[Appointment]:
    return list(db.session.execute(
        select(Appointment).where(Appointment.application_id == application.id)
        .order_by(Appointment.starts_at)
    ).scalars())


def upcoming(application: CoachingApplication) -> list[Appointment]:
    now = utcnow()
    return [a for a in appointments_of(application)
            if a.status == AppointmentStatus.BOOKED and a.starts_at > now]


def allowance(appointments: Iterable[Appointment]) -> rules.Allowance:
    """How much of the allowance the given appointments (one application's) use."""
    return rules.Allowance(sum(a.uses_allowance for a in appointments))


def _clashes(coach_id: int, starts_at: dt.datetime, minutes: int,
             ignore: int | None = None) -> bool:
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    booked = db.session.execute(
        select(Appointment).where(
            Appointment.coach_id == coach_id, Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at < ends_at,
            Appointment.starts_at > starts_at - dt.timedelta(hours=4))
    ).scalars()
    return any(a.id != ignore and a.starts_at + dt.timedelta(minutes=a.minutes) > starts_at
               for a in booked)


def book(application: CoachingApplication, coach: User, starts_at: dt.datetime, minutes: int,
         format: str, where: str, now: dt.datetime) -> Appointment:
    if application.status not in (S.ALLOCATED, S.ACTIVE):
        raise BookingProblem("Appointments can be booked only for an allocated client")
    if starts_at <= now:
        raise BookingProblem("The appointment must be in the future")
    if not allowance(appointments_of(application)).can_book:
        raise BookingProblem(f"All {rules.ALLOWANCE} appointments of this client's allowance "
                             "are used or booked")
    if _clashes(coach.id, starts_at, minutes):
        raise BookingProblem("You already have an appointment at that time")
    appointment = Appointment(application_id=application.id, coach_id=coach.id,
                              starts_at=starts_at, minutes=minutes, format=format, where=where)
    db.session.add(appointment)
    if application.status == S.ALLOCATED:
        transition(application, S.ACTIVE, coach.id)
    # Saves it: the appointment's id names its calendar event and its audit record.
    transition_appointment(appointment, application, AppointmentStatus.BOOKED, coach.id, now)
    emails.appointment_change(application, appointment, "booked")
    db.session.commit()
    return appointment


def reschedule(appointment: Appointment, application: CoachingApplication,
               starts_at: dt.datetime, actor: User, now: dt.datetime) -> None:
    """Move a booked appointment; calendars update the same event (same UID, next SEQUENCE)."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingProblem("Only a booked appointment can be moved")
    if starts_at <= now:
        raise BookingProblem("The appointment must be in the future")
    if _clashes(appointment.coach_id, starts_at, appointment.minutes, ignore=appointment.id):
        raise BookingProblem("You already have an appointment at that time")
    appointment.starts_at, appointment.sequence = starts_at, appointment.sequence + 1
    record(actor.id, "appointment_moved", "appointment", appointment.id, application.user_id)
    emails.appointment_change(application, appointment, "changed")
    db.session.commit()


def cancel_by_trainee(appointment: Appointment, application: CoachingApplication,
                      reason: str, actor: User, now: dt.datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now:
        raise BookingProblem("This appointment can no longer be cancelled here")
    late = rules.is_late(appointment.starts_at, now)
    if late and not reason.strip():
        raise BookingProblem(
            f"Say why you are cancelling less than {rules.NOTICE_HOURS} hours before")
    appointment.late, appointment.cancel_reason = late, reason
    transition_appointment(appointment, application, AppointmentStatus.CANCELLED_BY_TRAINEE,
                           actor.id, now)
    emails.appointment_change(application, appointment, "cancelled")
    db.session.commit()


def cancel_by_coach(appointment: Appointment, application: CoachingApplication,
                    actor: User, now: dt.datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingProblem("This appointment is not booked")
    transition_appointment(appointment, application, AppointmentStatus.CANCELLED_BY_COACH,
                           actor.id, now)
    emails.appointment_change(application, appointment, "cancelled")
    db.session.commit()


def waive(appointment: Appointment, application: CoachingApplication, actor: User) -> None:
    """Give a late cancellation back to the trainee's allowance."""
    if appointment.status == AppointmentStatus.CANCELLED_BY_TRAINEE and appointment.late \
            and not appointment.waived:
        appointment.waived = True
        record(actor.id, "appointment_waived", "appointment", appointment.id,
               application.user_id)
        db.session.commit()


def record_attendance(appointment: Appointment, application: CoachingApplication,
                      attended: bool, actor: User, now: dt.datetime) -> None:
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED,
                                  AppointmentStatus.DID_NOT_ATTEND):
        raise BookingProblem("A cancelled appointment cannot be marked")
    if appointment.starts_at > now:
        raise BookingProblem("Attendance can be recorded once the appointment has started")
    marked = AppointmentStatus.ATTENDED if attended else AppointmentStatus.DID_NOT_ATTEND
    if appointment.status != marked:  # marking it the same again changes nothing
        transition_appointment(appointment, application, marked, actor.id, now)
        db.session.commit()


def find_appointment(application: CoachingApplication, appointment_id: int) -> Appointment | None:
    found = db.session.get(Appointment, appointment_id)
    return found if found is not None and found.application_id == application.id else None
