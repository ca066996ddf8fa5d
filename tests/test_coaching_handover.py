"""Closing a case and handing it to another coach: the appointments still booked are
cancelled, and the trainee and the coach are each told in their own words."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from icalendar import Calendar

from careers_app.db import utcnow
from careers_app.mail import outbox
from tests.coaching_steps import allocated_to_a_coach, appointments, booking, only_application


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.fixture
def allocated(app, make_user, sign_in):
    """A trainee's application allocated to a coach, with a coordinator; all signed in."""
    return allocated_to_a_coach(app, make_user, sign_in)


def cancellations(app) -> dict[str, tuple[str, str]]:
    """The cancellation emails by recipient: the text as read, and the calendar METHOD."""
    with app.app_context():
        found = {}
        for message in outbox():
            if message["Subject"] != "Careers coaching appointment cancelled":
                continue
            ics = Calendar.from_ical(next(message.iter_attachments()).get_content())
            found[message["To"]] = (message.get_body(preferencelist=("plain",)).get_content(),
                                    str(ics["method"]))
        return found


def test_closing_a_case_cancels_its_booked_appointments_and_tells_both(app, allocated):
    clients, application_id = allocated
    coach, url = clients["coach"], f"/coaching/caseload/{application_id}"
    assert coach.post(url, data=booking(utcnow() + dt.timedelta(days=7))).status_code == 302

    page = text_of(coach.get(url))
    assert "Closing the case also cancels the appointment still booked." in page
    closed = coach.post(f"{url}/close", follow_redirects=True)
    assert ("Alex Trainee's coaching is closed. 1 booked appointment is cancelled: you and "
            "the trainee have been sent the cancellation by email.") in text_of(closed)

    assert only_application(app).status == "closed"
    (appointment,) = appointments(app)
    assert appointment.status == "cancelled_by_coach"
    sent = cancellations(app)
    trainee, coach_email = sent["t@example.org"], sent["coach@example.org"]
    assert "Sam Coach, your careers coach, has cancelled this appointment" in trainee[0]
    assert "It does not count as one of your appointments." in trainee[0]
    assert "You have cancelled your careers coaching appointment with Alex Trainee" \
        in coach_email[0]
    assert trainee[1] == coach_email[1] == "CANCEL"

    mine = text_of(clients["trainee"].get(f"/coaching/applications/{application_id}"))
    assert "Cancelled by coach" in mine and "Cancel or rearrange" not in mine
    assert "Booked" not in mine and "0 of 3 used" in mine


def test_closing_a_case_with_nothing_booked_cancels_nothing(app, allocated):
    clients, application_id = allocated
    url = f"/coaching/caseload/{application_id}"
    assert "Closing the case also cancels" not in text_of(clients["coach"].get(url))
    closed = text_of(clients["coach"].post(f"{url}/close", follow_redirects=True))
    assert "Alex Trainee's coaching is closed." in closed and "cancelled" not in closed
    assert cancellations(app) == {}
