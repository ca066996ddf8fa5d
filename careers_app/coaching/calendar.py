"""An appointment as an iCalendar invitation, and its cancellation with the same UID."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, vCalAddress, vText

from careers_app.accounts.models import User
from careers_app.coaching.eligibility import FORMATS
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.db import utcnow

UID_DOMAIN = "careers-app.plan"


def appointment_uid(appointment: Appointment) -> str:
    return f"coaching-appointment-{appointment.id}@{UID_DOMAIN}"


def appointment_ics(appointment: Appointment, application: CoachingApplication,
                    with_name: str, *, cancelled: bool = False) -> bytes:
    """METHOD:REQUEST for a booking or change, METHOD:CANCEL (same UID) for a cancellation.

    ``with_name`` is the person the reader meets: the coach for the trainee, and the
    trainee for the coach. A REQUEST or CANCEL must name its organiser and attendees
    (RFC 5546): the coach, who books, organises, and the trainee attends. Once the
    coach's account is gone there is no organiser to name, and the file only publishes
    the event."""
    coach, trainee = application.coach, application.applicant
    calendar = Calendar()
    calendar.add("prodid", "-//Plan your NHS career//Coaching//EN")
    calendar.add("version", "2.0")
    if coach is None:
        calendar.add("method", "PUBLISH")
    else:
        calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    if coach is not None:
        event.add("organizer", _person(coach, role=None))
        event.add("attendee", _person(trainee, role="REQ-PARTICIPANT"))
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.starts_at.astimezone(dt.UTC)
              + dt.timedelta(minutes=appointment.minutes))
    event.add("summary", f"Careers coaching with {with_name}")
    how = FORMATS.get(appointment.format, appointment.format)
    event.add("description", f"{how}. {appointment.where}".strip())
    if appointment.where:
        event.add("location", appointment.where)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def _person(person: User, role: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.full_name)
    if role:
        # Arranged with the coach beforehand: no reply is asked for.
        address.params.update({"role": role, "rsvp": "FALSE"})
    return address
