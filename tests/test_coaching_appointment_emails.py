"""Appointment emails: the trainee and the coach each get their own words, a link to their
own page and the calendar file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar

from careers_app.clock import in_uk
from careers_app.db import utcnow
from careers_app.mail import outbox
from tests.coaching_steps import (
    allocated_to_a_coach,
    appointments,
    booking,
)

VIDEO = "https://video.example.org/room?id=7&pin=1234"


@pytest.fixture
def allocated(app, make_user, sign_in):
    """A trainee's application allocated to a coach, both signed in."""
    return allocated_to_a_coach(app, make_user, sign_in)


def last_emails(app, count: int) -> dict[str, tuple[str, str]]:
    """The last ``count`` emails by recipient: the text as read, and the .ics summary."""
    with app.app_context():
        sent = outbox()[-count:]
        found = {}
        for message in sent:
            ics = Calendar.from_ical(next(message.iter_attachments()).get_content())
            found[message["To"]] = (message.get_body(preferencelist=("plain",)).get_content(),
                                    str(ics.walk("VEVENT")[0]["summary"]))
        return found


def link_in(text: str) -> str:
    (link,) = re.findall(r"^https://careers\.test(/\S*)$", text, re.MULTILINE)
    return link


def check_links(clients, emails) -> None:
    """Each person's link opens their own page, and is not a page for the other."""
    trainee_link, coach_link = link_in(emails["t@example.org"][0]), link_in(
        emails["coach@example.org"][0])
    assert clients["trainee"].get(trainee_link).status_code == 200
    assert clients["coach"].get(coach_link).status_code == 200
    assert clients["coach"].get(trainee_link).status_code == 404
    # Only coaches have client pages: a trainee is refused one outright.
    assert clients["trainee"].get(coach_link).status_code == 403


def book(clients, application_id, days=7):
    response = clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=days), **{"book-where": VIDEO}))
    assert response.status_code == 302
    page = clients["coach"].get(response.headers["Location"]).get_data(as_text=True)
    assert "You and the trainee have each been sent the details by email." in page


def test_a_booking_tells_each_person_in_their_own_words(app, allocated):
    clients, application_id = allocated
    book(clients, application_id)
    emails = last_emails(app, 2)
    trainee, coach = emails["t@example.org"][0], emails["coach@example.org"][0]
    starts = in_uk(appointments(app)[0].starts_at)
    when = f"When: {starts.day} {starts:%B %Y at %H:%M} (UK time), 60 minutes\n"
    for text in (trainee, coach):
        assert when in text
        assert "How: Video call\n" in text
        assert f"Where or link: {VIDEO}\n" in text
    assert trainee.startswith("Hello Alex Trainee,\n")
    assert "Sam Coach, your careers coach, has booked an appointment with you" in trainee
    assert "cancel or rearrange up to 24 hours before" in trainee
    assert coach.startswith("Hello Sam Coach,\n")
    assert "You have booked a careers coaching appointment with Alex Trainee" in coach
    assert "your careers coach" not in coach
    assert emails["t@example.org"][1] == "Careers coaching with Sam Coach"
    assert emails["coach@example.org"][1] == "Careers coaching with Alex Trainee"
    check_links(clients, emails)


def test_a_move_tells_each_person_in_their_own_words(app, allocated):
    clients, application_id = allocated
    book(clients, application_id)
    (appointment,) = appointments(app)
    new_time = in_uk(utcnow() + dt.timedelta(days=9))
    assert clients["coach"].post(
        f"/coaching/caseload/{application_id}/appointments/{appointment.id}/move",
        data={"day--day": str(new_time.day), "day--month": str(new_time.month),
              "day--year": str(new_time.year), "time": "10:15"}).status_code == 302
    emails = last_emails(app, 2)
    trainee, coach = emails["t@example.org"][0], emails["coach@example.org"][0]
    for text in (trainee, coach):
        assert f"When: {new_time.day} {new_time:%B %Y} at 10:15 (UK time)" in text
    assert trainee.startswith("Hello Alex Trainee,\n")
    assert "Sam Coach, your careers coach, has moved your careers coaching appointment" in trainee
    assert coach.startswith("Hello Sam Coach,\n")
    assert "You have moved your careers coaching appointment with Alex Trainee" in coach
    check_links(clients, emails)


def test_a_cancellation_by_the_trainee_tells_each_person_in_their_own_words(app, allocated):
    clients, application_id = allocated
    book(clients, application_id)
    (appointment,) = appointments(app)
    assert clients["trainee"].post(
        f"/coaching/applications/{application_id}/appointments/{appointment.id}/cancel",
        data={"reason": ""}).status_code == 302
    emails = last_emails(app, 2)
    trainee, coach = emails["t@example.org"][0], emails["coach@example.org"][0]
    assert trainee.startswith("Hello Alex Trainee,\n")
    assert "You have cancelled this careers coaching appointment" in trainee
    assert coach.startswith("Hello Sam Coach,\n")
    assert "Alex Trainee has cancelled this careers coaching appointment" in coach
    check_links(clients, emails)


def test_a_cancellation_by_the_coach_tells_each_person_in_their_own_words(app, allocated):
    clients, application_id = allocated
    book(clients, application_id)
    (appointment,) = appointments(app)
    clients["coach"].post(
        f"/coaching/caseload/{application_id}/appointments/{appointment.id}/cancel")
    emails = last_emails(app, 2)
    trainee, coach = emails["t@example.org"][0], emails["coach@example.org"][0]
    assert trainee.startswith("Hello Alex Trainee,\n")
    assert "Sam Coach, your careers coach, has cancelled this appointment" in trainee
    assert "It does not count as one of your appointments." in trainee
    assert coach.startswith("Hello Sam Coach,\n")
    assert "You have cancelled your careers coaching appointment with Alex Trainee" in coach
    check_links(clients, emails)


def test_a_booking_without_a_place_leaves_the_line_out(app, allocated):
    clients, application_id = allocated
    clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7), **{"book-where": "", "book-format": "telephone"}))
    for text, _summary in last_emails(app, 2).values():
        assert "How: Telephone\n\nThe attached calendar file" in text
        assert "Where or link" not in text
