"""Builders for coaching tests: applications and appointments through the real forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from careers_app.clock import in_uk
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.extensions import db

APPLICATION = {
    "professional_group": "doctor_dentist", "region": "london",
    "training_number": "LDN/ABC/1234567/D", "workforce_scheme": "",
    "current_post": "ST3 in paediatrics", "stage": "core",
    "hopes": "Decide between paediatrics and general practice",
    "preferred_format": "video", "availability": "Tuesday afternoons", "consent": "y",
}


def apply(client, **changes: str):
    return client.post("/coaching/apply", data={**APPLICATION, **changes, "action": "submit"})


def only_application(app) -> CoachingApplication:
    with app.app_context():
        found = db.session.execute(select(CoachingApplication)).scalar_one()
        db.session.expunge(found)
        return found


def appointments(app) -> list[Appointment]:
    with app.app_context():
        rows = list(db.session.execute(select(Appointment).order_by(Appointment.id)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def booking(when: dt.datetime, **changes: str) -> dict[str, str]:
    """The coach's booking form for a UTC moment, written in UK time as a coach would."""
    local = in_uk(when)
    form = {"action": "book", "book-day--day": str(local.day),
            "book-day--month": str(local.month), "book-day--year": str(local.year),
            "book-time": f"{local:%H:%M}", "book-minutes": "60", "book-format": "video",
            "book-where": "https://video.example.org/room"}
    form.update(changes)
    return form
