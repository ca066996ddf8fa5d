"""An appointment as an iCalendar invitation, and its cancellation with the same UID."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from careers_app.coaching.eligibility import FORMATS
from careers_app.coaching.models import Appointment
from careers_app.db import utcnow

UID_DOMAIN = "careers-app.plan"


def appointment_uid(appointment: Appointment) -> str:
    return f"coaching-appointment-{appointment.id}@{UID_DOMAIN}"


def appointment_ics(appointment: Appointment, with_name: str, *, cancelled: bool = False) -> bytes:
    """METHOD:REQUEST for a booking or change, METHOD:CANCEL (same UID) for a cancellation.

    ``with_name`` is the person the reader meets: the coach for the trainee, and the
    trainee for the coach."""
    calendar = Calendar()
    calendar.add("prodid", "-//Plan your NHS career//Coaching//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
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
