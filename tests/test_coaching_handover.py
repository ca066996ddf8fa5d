"""Allocating a case, closing it and handing it to another coach: the appointments still
booked are cancelled, and the trainee and the coaches are each told in their own words."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from icalendar import Calendar

from careers_app.clock import in_uk
from careers_app.db import utcnow
from careers_app.mail import outbox
from careers_app.security import Role
from tests.coaching_steps import (
    allocated_to_a_coach,
    apply,
    appointments,
    booking,
    only_application,
    signed_in_clients,
)


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


@pytest.fixture
def another_coach(app, make_user, sign_in):
    """A second coach, signed in: (their account, their client)."""
    account = make_user("coach2@example.org", full_name="Jo Other", roles=(Role.COACH,))
    client = app.test_client()
    sign_in("coach2@example.org", test_client=client)
    return account, client


def emails_with(app, subject: str) -> dict[str, str]:
    with app.app_context():
        return {m["To"]: m.get_body(preferencelist=("plain",)).get_content()
                for m in outbox() if m["Subject"] == subject}


def test_a_coordinator_finds_an_allocated_case_and_gives_it_to_another_coach(
        app, allocated, another_coach):
    clients, application_id = allocated
    jo, jo_client = another_coach
    coordinator = clients["coordinator"]
    assert clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7))).status_code == 302

    # Reachable: the queue links the cases with a coach, which link the case.
    assert 'href="/coaching/cases"' in text_of(coordinator.get("/coaching/queue"))
    cases = text_of(coordinator.get("/coaching/cases"))
    assert f'href="/coaching/queue/{application_id}"' in cases and "Sam Coach" in cases
    page = text_of(coordinator.get(f"/coaching/queue/{application_id}"))
    assert 'Coach</h2> <p class="nhsuk-body">Sam Coach,' in page
    assert "Allocate to another coach" in page
    assert "The appointment still booked with the current coach will be cancelled" in page
    assert "Jo Other, coach2@example.org (0 open cases)" in page
    assert "Sam Coach, coach@example.org (1 open case)" not in page  # not the current coach
    assert "Close the case" in page

    done = coordinator.post(f"/coaching/queue/{application_id}", data={
        "action": "allocate", "allocate-coach": str(jo.id)}, follow_redirects=True)
    assert ("Allocated to Jo Other. The trainee has been told by email. 1 booked "
            "appointment was cancelled") in text_of(done)
    application = only_application(app)
    assert (application.coach_id, application.status) == (jo.id, "active")
    assert appointments(app)[0].status == "cancelled_by_coach"

    told = emails_with(app, "You have a new careers coach")["t@example.org"]
    assert told.startswith("Hello Alex Trainee,\n")
    assert "Jo Other will now be your careers coach, in place of Sam Coach." in told
    assert "Your appointment still booked with Sam Coach is cancelled" in told
    (link,) = re.findall(r"^https://careers\.test(/\S*)$", told, re.MULTILINE)
    assert link == f"/coaching/applications/{application_id}"
    mine = text_of(clients["trainee"].get(link))
    assert "Jo Other" in mine and "Cancel or rearrange" not in mine

    sent = cancellations(app)
    assert ("Your careers coaching has moved to a new coach, so this appointment with Sam "
            "Coach is cancelled") in sent["t@example.org"][0]
    assert ("A coordinator has allocated Alex Trainee to another coach, so your careers "
            "coaching appointment with them is cancelled") in sent["coach@example.org"][0]
    assert sent["t@example.org"][1] == sent["coach@example.org"][1] == "CANCEL"

    assert "Alex Trainee" not in text_of(clients["coach"].get("/coaching/caseload"))
    assert clients["coach"].get(f"/coaching/caseload/{application_id}").status_code == 404
    assert "Alex Trainee" in text_of(jo_client.get("/coaching/caseload"))


def test_a_coordinator_closes_an_allocated_case(app, allocated):
    clients, application_id = allocated
    assert clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7))).status_code == 302
    done = clients["coordinator"].post(f"/coaching/queue/{application_id}",
                                       data={"action": "close"}, follow_redirects=True)
    assert "Alex Trainee's coaching is closed. 1 booked appointment was cancelled" \
        in text_of(done)
    assert only_application(app).status == "closed"
    assert appointments(app)[0].status == "cancelled_by_coach"
    sent = cancellations(app)
    assert "Your careers coaching case is closed, so this appointment with Sam Coach is " \
        "cancelled" in sent["t@example.org"][0]
    assert "A coordinator has closed Alex Trainee's coaching case" in sent["coach@example.org"][0]


def test_handing_over_a_coachs_clients_lets_their_account_be_deleted(
        app, allocated, another_coach):
    clients, application_id = allocated
    jo, _ = another_coach
    coordinator, sam_id = clients["coordinator"], only_application(app).coach_id
    refused = text_of(coordinator.get(f"/admin/users/{sam_id}/delete"))
    assert "1 coaching client allocated to them" in refused
    assert f'href="/coaching/cases?coach={sam_id}"' in refused
    theirs = text_of(coordinator.get(f"/coaching/cases?coach={sam_id}"))
    assert f'href="/coaching/queue/{application_id}"' in theirs

    coordinator.post(f"/coaching/queue/{application_id}", data={
        "action": "allocate", "allocate-coach": str(jo.id)})
    page = text_of(coordinator.get(f"/admin/users/{sam_id}/delete"))
    assert "cannot be deleted yet" not in page and "coaching client" not in page
    assert "No case is with a coach" in text_of(coordinator.get(f"/coaching/cases?coach={sam_id}"))
    deleted = coordinator.post(f"/admin/users/{sam_id}/delete", data={"reason": "asked_by_email"})
    assert deleted.status_code == 302


def test_an_application_cannot_be_allocated_to_the_applicant(app, make_user, sign_in):
    """A trainee who is also a coach is not offered as coach of their own application,
    and posting their id is refused with the error summary."""
    people = signed_in_clients(app, make_user, sign_in, {
        "trainee": ("t@example.org", "Alex Trainee", (Role.COACH,)),
        "coordinator": ("co@example.org", "Chris Coordinator", (Role.COORDINATOR,)),
        "coach": ("coach@example.org", "Sam Coach", (Role.COACH,)),
    })
    apply(people["trainee"])
    application = only_application(app)
    url = f"/coaching/queue/{application.id}"
    page = text_of(people["coordinator"].get(url))
    assert "Sam Coach, coach@example.org" in page
    assert "Alex Trainee, t@example.org" not in page
    refused = people["coordinator"].post(url, data={
        "action": "allocate", "allocate-coach": str(people["trainee_user"].id)})
    assert refused.status_code == 200
    page = text_of(refused)
    assert "There is a problem" in page and "Choose one of the coaches listed" in page
    assert only_application(app).status == "submitted"
    assert only_application(app).coach_id is None


def test_the_coach_is_told_by_email_when_a_client_is_allocated(app, allocated, another_coach):
    clients, application_id = allocated
    subject = "A careers coaching client has been allocated to you"
    body = emails_with(app, subject)["coach@example.org"]
    assert body.startswith("Hello Sam Coach,\n")
    assert "A coordinator has allocated Alex Trainee to you for careers coaching." in body
    assert "you will contact them to arrange a first appointment" in body
    (link,) = re.findall(r"^https://careers\.test(/\S*)$", body, re.MULTILINE)
    assert link == f"/coaching/caseload/{application_id}"
    assert "Alex Trainee" in text_of(clients["coach"].get(link))

    jo, jo_client = another_coach
    clients["coordinator"].post(f"/coaching/queue/{application_id}", data={
        "action": "allocate", "allocate-coach": str(jo.id)})
    body = emails_with(app, subject)["coach2@example.org"]
    assert body.startswith("Hello Jo Other,\n")
    assert ("A coordinator has allocated Alex Trainee to you for careers coaching, in place "
            "of their previous coach.") in body
    (link,) = re.findall(r"^https://careers\.test(/\S*)$", body, re.MULTILINE)
    assert jo_client.get(link).status_code == 200


def test_withdrawing_cancels_booked_appointments_and_tells_the_coach(app, allocated):
    """Withdrawing cancelled the appointments without a word to anyone, so both calendar
    invitations stayed live."""
    clients, application_id = allocated
    url = f"/coaching/caseload/{application_id}"
    assert clients["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=7))
                                 ).status_code == 302
    withdrawn = clients["trainee"].post(f"/coaching/applications/{application_id}/withdraw",
                                        follow_redirects=True)
    assert "Your booked appointments are cancelled, and your coach has been told." \
        in text_of(withdrawn)
    assert only_application(app).status == "withdrawn"
    (appointment,) = appointments(app)
    assert appointment.status == "cancelled_by_coach"
    sent = cancellations(app)
    trainee, coach_email = sent["t@example.org"], sent["coach@example.org"]
    assert ("You have withdrawn your coaching application, so this appointment with Sam "
            "Coach is cancelled") in trainee[0]
    assert ("Alex Trainee has withdrawn their coaching application, so your careers "
            "coaching appointment with them is cancelled") in coach_email[0]
    assert "Alex Trainee is no longer on your caseload." in coach_email[0]
    assert trainee[1] == coach_email[1] == "CANCEL"


def test_a_length_typed_in_words_is_refused_in_the_services_words_and_kept(app, allocated):
    clients, application_id = allocated
    page = text_of(clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7), **{"book-minutes": "sixty"})))
    assert "Enter the length in minutes in figures, for example 60" in page
    assert "Not a valid integer value" not in page and 'value="sixty"' in page
    assert appointments(app) == []


def test_invitations_and_cancellations_name_the_coach_as_organiser_and_the_trainee(
        app, allocated):
    """RFC 5546: a REQUEST or a CANCEL names its organiser and attendees; without them
    some calendars refuse the file or show no one to meet."""
    clients, application_id = allocated
    url = f"/coaching/caseload/{application_id}"
    clients["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=7)))
    clients["coach"].post(f"{url}/close")
    with app.app_context():
        files = [(message["To"], Calendar.from_ical(
                      next(message.iter_attachments()).get_content()))
                 for message in outbox() if message["Subject"].startswith("Careers coaching")]
    assert {str(calendar["method"]) for _, calendar in files} == {"REQUEST", "CANCEL"}
    assert len(files) == 4  # booked and cancelled, to each of the two
    for _to, calendar in files:
        event = calendar.walk("VEVENT")[0]
        assert str(event["organizer"]) == "mailto:coach@example.org"
        assert event["organizer"].params["CN"] == "Sam Coach"
        assert str(event["attendee"]) == "mailto:t@example.org"
        assert event["attendee"].params["RSVP"] == "FALSE"
    download = clients["trainee"].get(
        f"/coaching/applications/{application_id}/appointments/{appointments(app)[0].id}.ics")
    assert str(Calendar.from_ical(download.data).walk("VEVENT")[0]["organizer"]) \
        == "mailto:coach@example.org"


def test_cancelling_an_appointment_says_it_is_done_and_who_was_told(app, allocated):
    """The coach's "Cancel it" cancelled with no word on the page."""
    clients, application_id = allocated
    url = f"/coaching/caseload/{application_id}"
    starts = utcnow() + dt.timedelta(days=7)
    clients["coach"].post(url, data=booking(starts))
    (appointment,) = appointments(app)
    page = text_of(clients["coach"].post(
        f"{url}/appointments/{appointment.id}/cancel", follow_redirects=True))
    local = in_uk(appointment.starts_at)
    assert (f"The appointment on {local.day} {local:%B %Y at %H:%M} is cancelled. You and "
            "Alex Trainee have been sent the cancellation by email.") in page
    assert appointments(app)[0].status == "cancelled_by_coach"


def test_a_wrong_date_and_a_wrong_time_are_both_named_at_once(app, allocated):
    """The time was checked only once the date was right, so a coach fixed the date and
    then met a second error."""
    clients, application_id = allocated
    page = text_of(clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7), **{"book-day--day": "31", "book-day--month": "2",
                                             "book-time": "6pm"})))
    assert "Date must be a real date" in page
    assert "Enter a time between 00:00 and 23:59, for example 14:30" in page
    assert 'value="6pm"' in page and appointments(app) == []
