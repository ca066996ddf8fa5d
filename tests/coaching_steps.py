"""Builders for coaching tests: applications and appointments through the real forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from careers_app.clock import in_uk
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.extensions import db
from careers_app.security import Role

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


def allocated_to_a_coach(app, make_user, sign_in, trainee_name: str = "Alex Trainee",
                         coach_name: str = "Sam Coach") -> tuple[dict, int]:
    """A trainee's application (t@example.org) allocated to a coach (coach@example.org)
    by a coordinator (co@example.org): a signed-in client for each, and the application id."""
    make_user("t@example.org", full_name=trainee_name)
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    coach_user = make_user("coach@example.org", full_name=coach_name, roles=(Role.COACH,))
    clients = {}
    for key, email in (("trainee", "t@example.org"), ("coordinator", "co@example.org"),
                       ("coach", "coach@example.org")):
        clients[key] = app.test_client()
        sign_in(email, test_client=clients[key])
    assert apply(clients["trainee"]).status_code == 302
    application = only_application(app)
    clients["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(coach_user.id)})
    return clients, application.id


def signed_in_clients(app, make_user, sign_in, accounts: dict) -> dict:  # type: ignore[no-untyped-def]
    """For each ``key: (email, full name, roles)``, the account as ``<key>_user`` and a
    test client signed in as it under ``key``."""
    found = {}
    for key, (email, name, roles) in accounts.items():
        found[f"{key}_user"] = make_user(email, full_name=name, roles=roles)
        found[key] = app.test_client()
        sign_in(email, test_client=found[key])
    return found
