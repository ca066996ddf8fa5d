"""The day before a coaching appointment: the trainee and the coach, each in their words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import in_uk, uk_to_utc
from careers_app.coaching import rules
from careers_app.coaching.calendar import appointment_ics
from careers_app.coaching.eligibility import FORMATS
from careers_app.coaching.models import Appointment, AppointmentStatus, CoachingApplication
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.reminders.kinds import Kind
from careers_app.reminders.preferences import opted_out_ids
from careers_app.reminders.schedule import (
    already_written,
    in_words,
    is_sending_time,
    reminder_body,
    write_once,
)

Side = Literal["trainee", "coach"]


@dataclass(frozen=True)
class AppointmentReminder:
    appointment: Appointment
    application: CoachingApplication
    side: Side
    person: User
    other_name: str
    key: str


def outbox_key(appointment: Appointment, side: Side) -> str:
    # The start time is part of it: a moved appointment is reminded at its new time.
    starts = appointment.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M")
    return f"reminder:appointment:{appointment.id}:{starts}:{side}"


def due(now: dt.datetime) -> list[AppointmentReminder]:
    """From 08:00 (UK) on the day before, for booked appointments starting the next UK
    day; a cancelled one is not booked, so it gets none."""
    if not is_sending_time(now):
        return []
    tomorrow = in_uk(now).date() + dt.timedelta(days=1)
    # Midnight in the UK is never skipped or repeated (the clocks change at 1am or 2am).
    start = uk_to_utc(tomorrow, dt.time(0, 0))
    end = uk_to_utc(tomorrow + dt.timedelta(days=1), dt.time(0, 0))
    rows = db.session.execute(
        select(Appointment, CoachingApplication)
        .join(CoachingApplication, CoachingApplication.id == Appointment.application_id)
        .where(Appointment.status == AppointmentStatus.BOOKED,
               Appointment.starts_at >= start, Appointment.starts_at < end,
               Appointment.starts_at > now)
        .order_by(Appointment.starts_at, Appointment.id)).all()
    coaches = {user.id: user for user in db.session.execute(
        select(User).where(User.id.in_({a.coach_id for a, _ in rows}))).scalars()}
    found = []
    for appointment, application in rows:
        trainee, coach = application.applicant, coaches.get(appointment.coach_id)
        found.append(AppointmentReminder(
            appointment, application, "trainee", trainee,
            coach.full_name if coach else "your coach", outbox_key(appointment, "trainee")))
        if coach is not None:
            found.append(AppointmentReminder(appointment, application, "coach", coach,
                                             trainee.full_name, outbox_key(appointment, "coach")))
    stopped = opted_out_ids(Kind.APPOINTMENT, {r.person.id for r in found})
    written = already_written([r.key for r in found])
    return [r for r in found if r.person.id not in stopped and r.key not in written]


def send(reminder: AppointmentReminder) -> bool:
    def write() -> None:
        appointment, application = reminder.appointment, reminder.application
        starts = in_uk(appointment.starts_at)
        endpoint = "coaching.application" if reminder.side == "trainee" else "coaching.client"
        body = reminder_body(
            f"email/reminder_appointment_{reminder.side}.txt", reminder.person.id,
            Kind.APPOINTMENT, person=reminder.person, other_name=reminder.other_name,
            appointment=appointment, starts=starts, day=in_words(starts.date()),
            how=FORMATS.get(appointment.format, appointment.format),
            notice_hours=rules.NOTICE_HOURS,
            link=external_url(endpoint, application_id=application.id))
        # The reader's calendar names the person they meet: the booking's event (UID).
        ics = appointment_ics(appointment, application, reminder.other_name)
        send_email(reminder.person.email,
                   f"Reminder: careers coaching tomorrow at {starts:%H:%M}", body,
                   (("appointment.ics", ics, "text", "calendar"),), key=reminder.key)

    return write_once(write)


def run(now: dt.datetime) -> int:
    return sum(send(reminder) for reminder in due(now))
