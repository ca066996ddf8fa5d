"""Applying, the queue, the caseload, appointments, the allowance and who sees what."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import update

from careers_app.clock import in_uk
from careers_app.coaching.models import Appointment, CoachingApplication
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.security import Role
from tests.coaching_steps import (
    APPLICATION,
    apply,
    appointments,
    booking,
    only_application,
    signed_in_clients,
)
from tests.planning import SCAN3, answer, typical_plan


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def people(app, make_user, sign_in):
    """Signed-in clients for a trainee, a coordinator and two coaches."""
    accounts = {
        "trainee": ("t@example.org", "Alex Trainee", ()),
        "coordinator": ("co@example.org", "Chris Coordinator", (Role.COORDINATOR,)),
        "coach": ("coach@example.org", "Sam Coach", (Role.COACH,)),
        "other_coach": ("coach2@example.org", "Jo Other", (Role.COACH,)),
    }
    return signed_in_clients(app, make_user, sign_in, accounts)


def only_application_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.execute(db.select(CoachingApplication.id).where(
            CoachingApplication.user_id == user_id)).scalar_one()


def allocated(app, people):
    assert apply(people["trainee"]).status_code == 302
    application = only_application(app)
    people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    return only_application(app)


def test_applying_saves_a_draft_then_submits_with_a_confirmation_and_email(app, people):
    trainee = people["trainee"]
    page = text_of(trainee.get("/coaching/apply"))
    assert "Apply for 1-2-1 careers coaching" in page
    response = trainee.post("/coaching/apply", data={
        "current_post": "F2 in Croydon", "hopes": "Half written", "action": "save"})
    assert response.status_code == 302
    page = text_of(trainee.get("/coaching/apply"))
    assert 'value="F2 in Croydon"' in page and "Half written" in page
    assert only_application(app).status == "draft"

    response = apply(trainee)
    application = only_application(app)
    assert application.status == "submitted"
    confirmation = text_of(trainee.get(response.headers["Location"]))
    assert "Application sent" in confirmation and "within 14 days" in confirmation
    with app.app_context():
        assert [m["Subject"] for m in outbox()] == [
            "We have your application for careers coaching"]
    # One open application at a time: applying again shows the one already sent.
    again = trainee.get("/coaching/apply")
    assert again.status_code == 302 and f"/applications/{application.id}" in again.headers[
        "Location"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"region": "elsewhere"}, "NHS England workforce, training and education team"),
    ({"region": "kss", "stage": "foundation"}, "own professional support and wellbeing service"),
    ({"training_number": ""}, "Enter your training number (national training number or Dean"),
    ({"professional_group": "workforce_scheme", "training_number": ""},
     "Choose the workforce scheme you are on"),
    ({"consent": ""}, "Confirm that the coordinator and your coach may read"),
    ({"hopes": ""}, "Say what you would like from coaching"),
])
def test_an_ineligible_or_incomplete_application_says_why_and_keeps_what_was_typed(
        app, people, changes, message):
    response = apply(people["trainee"], **changes)
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert 'value="ST3 in paediatrics"' in page
    assert only_application(app).status == "draft"


def test_workforce_scheme_without_a_training_number_is_eligible(app, people):
    apply(people["trainee"], professional_group="workforce_scheme", training_number="",
          workforce_scheme="retainer")
    assert only_application(app).status == "submitted"


def test_the_attached_plan_is_a_snapshot_unchanged_by_later_edits(app, people):
    trainee = people["trainee"]
    typical_plan(app, people["trainee_user"].id)
    trainee.post("/coaching/apply", data={**APPLICATION, "action": "attach"})
    application = only_application(app)
    assert application.snapshot_id is not None
    before = trainee.get(f"/coaching/applications/{application.id}/plan.pdf").data
    assert before.startswith(b"%PDF")
    answer(app, people["trainee_user"].id, SCAN3, "your-decision", {"first-choice": "Surgery"})
    apply(trainee)
    application = only_application(app)
    people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    for client in (trainee, people["coordinator"], people["coach"]):
        assert client.get(f"/coaching/applications/{application.id}/plan.pdf").data == before
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(before)).pages)
    assert "General practice" in text and "Surgery" not in text
    assert people["other_coach"].get(
        f"/coaching/applications/{application.id}/plan.pdf").status_code == 404


def test_the_queue_is_oldest_first_flags_old_ones_and_is_for_coordinators(app, people,
                                                                          make_user, sign_in):
    apply(people["trainee"])
    make_user("b@example.org", full_name="Bea Later")
    later = app.test_client()
    sign_in("b@example.org", test_client=later)
    apply(later)
    with app.app_context():
        db.session.execute(update(CoachingApplication)
                           .where(CoachingApplication.user_id == people["trainee_user"].id)
                           .values(submitted_at=utcnow() - dt.timedelta(days=15)))
        db.session.commit()
    page = text_of(people["coordinator"].get("/coaching/queue"))
    assert page.index("Alex Trainee") < page.index("Bea Later")
    assert page.count("Over 14 days") == 1
    oldest = only_application_of(app, people["trainee_user"].id)
    for who in ("trainee", "coach"):
        assert people[who].get("/coaching/queue").status_code == 403
        assert people[who].get(f"/coaching/queue/{oldest}").status_code == 403
        assert people[who].post(f"/coaching/queue/{oldest}", data={
            "action": "decline", "decline-reason": "no"}).status_code == 403


def waiting_applications(app, make_user, count: int, first: int = 1) -> None:
    """``count`` applications waiting, from "Applicant <first>"; "Applicant 01" would be
    the longest waiting (sent 60 days ago), each later one sent a day after the one
    before."""
    now = utcnow()
    for number in range(first, first + count):
        person = make_user(f"applicant{number:02d}@example.org",
                           full_name=f"Applicant {number:02d}")
        with app.app_context():
            db.session.add(CoachingApplication(
                user_id=person.id, status="submitted", professional_group="doctor_dentist",
                region="london", stage="core", consent=True,
                submitted_at=now - dt.timedelta(days=61 - number)))
            db.session.commit()


def applicants_on(page: str) -> list[str]:
    return re.findall(r"Applicant \d\d", page)


def test_the_queue_shows_25_a_page_oldest_first_with_the_total(app, people, make_user):
    waiting_applications(app, make_user, 30)
    first = text_of(people["coordinator"].get("/coaching/queue"))
    assert "30 applications waiting, 25 a page: this is page 1 of 2." in first
    assert applicants_on(first) == [f"Applicant {n:02d}" for n in range(1, 26)]
    assert 'href="/coaching/queue?page=2"' in first and "Page 2 of 2" in first
    assert "Coaching queue (page 1 of 2)" in first
    second = text_of(people["coordinator"].get("/coaching/queue?page=2"))
    # The 26th oldest opens page 2.
    assert applicants_on(second) == [f"Applicant {n:02d}" for n in range(26, 31)]
    assert "30 applications waiting" in second
    assert 'href="/coaching/queue?page=1"' in second and "Page 3" not in second
    assert second.count("Over 14 days") == 5


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "\u00b2", "%00", "9" * 7, "1" * 400])
def test_a_queue_page_that_does_not_exist_is_not_found(app, people, make_user, page):
    waiting_applications(app, make_user, 26)
    assert people["coordinator"].get(f"/coaching/queue?page={page}").status_code == 404


def test_an_empty_queue_has_one_page_and_no_pagination(people):
    page = text_of(people["coordinator"].get("/coaching/queue?page=1"))
    assert "No application is waiting." in page and "nhsuk-pagination" not in page
    assert people["coordinator"].get("/coaching/queue?page=2").status_code == 404


def test_one_waiting_application_is_counted_in_the_singular(app, people, make_user):
    waiting_applications(app, make_user, 1)
    page = text_of(people["coordinator"].get("/coaching/queue"))
    assert "1 application waiting." in page and "nhsuk-pagination" not in page


def test_the_queue_costs_the_same_queries_however_many_wait(app, people, make_user):
    from tests.sql_statements import count_queries

    waiting_applications(app, make_user, 2)
    few = count_queries(app, people["coordinator"], "/coaching/queue")
    waiting_applications(app, make_user, 40, first=3)
    assert count_queries(app, people["coordinator"], "/coaching/queue") == few
    assert count_queries(app, people["coordinator"], "/coaching/queue?page=2") == few


def test_allocation_lists_caseloads_and_tells_the_trainee_the_coachs_name(app, people):
    apply(people["trainee"])
    application = only_application(app)
    review = text_of(people["coordinator"].get(f"/coaching/queue/{application.id}"))
    assert "Sam Coach, coach@example.org (0 open cases)" in review
    assert "Jo Other, coach2@example.org (0 open cases)" in review
    allocated_now = people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    assert allocated_now.status_code == 302
    assert only_application(app).status == "allocated"
    with app.app_context():  # the trainee's email (the coach is sent their own)
        (message,) = [m for m in outbox() if m["To"] == "t@example.org"
                      and m["Subject"] == "A careers coach has been allocated to you"]
    assert "Sam Coach will be your careers coach" in message.get_content()
    page = text_of(people["trainee"].get(f"/coaching/applications/{application.id}"))
    assert "Coach allocated" in page and "Sam Coach" in page and "0 of 3 used" in page
    assert "Alex Trainee" in text_of(people["coach"].get("/coaching/caseload"))


def test_declined_and_withdrawn_as_the_trainee_sees_them(app, people):
    apply(people["trainee"])
    application = only_application(app)
    response = people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "decline", "decline-reason": "You are in your first month of F1."})
    assert response.status_code == 302
    page = text_of(people["trainee"].get(f"/coaching/applications/{application.id}"))
    assert "Declined" in page and "You are in your first month of F1." in page
    assert "apply again" in page
    with app.app_context():
        assert "You are in your first month of F1." in outbox()[-1].get_content()

    apply(people["trainee"])  # a new application is allowed once the last is finished
    with app.app_context():
        newest = db.session.execute(db.select(CoachingApplication).order_by(
            CoachingApplication.id.desc())).scalars().first().id
    people["trainee"].post(f"/coaching/applications/{newest}/withdraw")
    page = text_of(people["trainee"].get(f"/coaching/applications/{newest}"))
    assert "Withdrawn" in page and "You withdrew this application" in page


def test_declining_needs_a_reason(app, people):
    apply(people["trainee"])
    application = only_application(app)
    response = people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "decline", "decline-reason": ""})
    assert "Give a reason the trainee will read" in text_of(response)
    assert only_application(app).status == "submitted"


def test_coach_pages_refuse_others_and_another_coachs_client_is_404(app, people):
    application = allocated(app, people)
    for who in ("trainee", "coordinator"):
        assert people[who].get("/coaching/caseload").status_code == 403
        assert people[who].get(f"/coaching/caseload/{application.id}").status_code == 403
    assert people["other_coach"].get(f"/coaching/caseload/{application.id}").status_code == 404
    assert people["other_coach"].post(f"/coaching/caseload/{application.id}/close").status_code \
        == 404
    assert people["coach"].get(f"/coaching/caseload/{application.id}").status_code == 200


def test_another_trainee_gets_404_for_an_application(app, people, make_user, sign_in):
    apply(people["trainee"])
    application = only_application(app)
    make_user("b@example.org")
    other = app.test_client()
    sign_in("b@example.org", test_client=other)
    assert other.get(f"/coaching/applications/{application.id}").status_code == 404
    assert other.post(f"/coaching/applications/{application.id}/withdraw").status_code == 404
    assert only_application(app).status == "submitted"


def test_booking_sends_the_ics_and_a_fourth_booking_is_refused(app, people):
    application = allocated(app, people)
    coach, url = people["coach"], f"/coaching/caseload/{application.id}"
    start = utcnow() + dt.timedelta(days=7)
    for day in range(3):
        response = coach.post(url, data=booking(start + dt.timedelta(days=day)))
        assert response.status_code == 302, text_of(response)[-600:]
    assert only_application(app).status == "active"
    with app.app_context():
        booked = outbox()[-1]
    ics = next(part for part in booked.iter_attachments()).get_content()
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert Calendar.from_ical(ics)["method"] == "REQUEST"
    assert event.decoded("dtstart") == appointments(app)[-1].starts_at
    page = text_of(coach.get(url))
    assert "3 of 3 used" in page and "All 3 appointments are used or booked" in page
    refused = coach.post(url, data=booking(start + dt.timedelta(days=5)))
    assert "All 3 appointments of this client" in text_of(refused)
    assert len(appointments(app)) == 3


@pytest.mark.parametrize(("form", "message"), [
    ({"book-time": "25:00"}, "Enter a time between 00:00 and 23:59"),
    ({"book-day--day": "28", "book-day--month": "3", "book-day--year": "2027",
      "book-time": "01:30"}, "does not happen on 28 March 2027"),
    ({"book-day--day": "31", "book-day--month": "10", "book-day--year": "2027",
      "book-time": "01:30"}, "happens twice on 31 October 2027"),
    ({"book-day--day": "1", "book-day--month": "1", "book-day--year": "2020"},
     "The appointment must be in the future"),
    ({"book-day--day": "30", "book-day--month": "2"}, "Date must be a real date"),
    ({"book-minutes": "500"}, "The length must be from 15 to 180 minutes"),
])
def test_bad_bookings_are_refused_with_a_message_and_what_was_typed(app, people, form, message):
    application = allocated(app, people)
    if "2027" in form.get("book-day--year", "") and utcnow().year > 2027:
        pytest.fail("the clock-change dates in this test need moving forward")
    response = people["coach"].post(f"/coaching/caseload/{application.id}",
                                    data=booking(utcnow() + dt.timedelta(days=3), **form))
    page = text_of(response)
    assert response.status_code == 200 and message in page, page[-800:]
    assert f'value="{form.get("book-time", "")}"' in page or "book-time" not in form
    assert appointments(app) == []


def test_overlapping_appointments_for_one_coach_are_refused(app, people, make_user, sign_in):
    first = allocated(app, people)
    start = (utcnow() + dt.timedelta(days=4)).replace(minute=0, second=0, microsecond=0)
    people["coach"].post(f"/coaching/caseload/{first.id}", data=booking(start))
    make_user("b@example.org", full_name="Bea")
    other = app.test_client()
    sign_in("b@example.org", test_client=other)
    apply(other)
    with app.app_context():
        second = db.session.execute(db.select(CoachingApplication.id).where(
            CoachingApplication.id != first.id)).scalar_one()
    people["coordinator"].post(f"/coaching/queue/{second}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    clash = people["coach"].post(f"/coaching/caseload/{second}",
                                 data=booking(start + dt.timedelta(minutes=30)))
    assert "You already have an appointment at that time" in text_of(clash)
    after = people["coach"].post(f"/coaching/caseload/{second}",
                                 data=booking(start + dt.timedelta(minutes=60)))
    assert after.status_code == 302


def set_start(app, appointment_id: int, starts_at: dt.datetime) -> None:
    with app.app_context():
        db.session.execute(update(Appointment).where(Appointment.id == appointment_id)
                           .values(starts_at=starts_at))
        db.session.commit()


def test_late_cancellation_needs_a_reason_uses_the_allowance_until_waived(app, people):
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data=booking(utcnow() + dt.timedelta(days=3)))
    (appointment,) = appointments(app)
    set_start(app, appointment.id, utcnow() + dt.timedelta(hours=23, minutes=59))
    trainee, base = people["trainee"], f"/coaching/applications/{application.id}"
    policy = text_of(trainee.get(f"{base}/appointments/{appointment.id}/cancel"))
    assert "Less than 24 hours’ notice" in policy
    refused = trainee.post(f"{base}/appointments/{appointment.id}/cancel", data={"reason": ""})
    assert "Say why you are cancelling less than 24 hours before" in text_of(refused)
    trainee.post(f"{base}/appointments/{appointment.id}/cancel", data={"reason": "On call"})
    assert appointments(app)[0].late
    assert "1 of 3 used" in text_of(trainee.get(base))
    with app.app_context():
        cancelled = outbox()[-1]
    ics = Calendar.from_ical(next(cancelled.iter_attachments()).get_content())
    assert ics["method"] == "CANCEL"
    uid = str(ics.walk("VEVENT")[0]["uid"])
    assert uid == f"coaching-appointment-{appointment.id}@careers-app.plan"
    download = trainee.get(f"{base}/appointments/{appointment.id}.ics")
    assert Calendar.from_ical(download.data)["method"] == "CANCEL"

    people["coach"].post(
        f"/coaching/caseload/{application.id}/appointments/{appointment.id}/waive")
    assert "0 of 3 used" in text_of(trainee.get(base))


def test_cancelling_24_hours_and_a_minute_ahead_loses_nothing(app, people):
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data=booking(utcnow() + dt.timedelta(days=3)))
    (appointment,) = appointments(app)
    set_start(app, appointment.id, utcnow() + dt.timedelta(hours=24, minutes=1))
    base = f"/coaching/applications/{application.id}"
    response = people["trainee"].post(f"{base}/appointments/{appointment.id}/cancel",
                                      data={"reason": ""})
    assert response.status_code == 302
    assert not appointments(app)[0].late
    assert "0 of 3 used" in text_of(people["trainee"].get(base))


def test_a_cancellation_by_the_coach_never_uses_the_allowance(app, people):
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data=booking(utcnow() + dt.timedelta(hours=30)))
    (appointment,) = appointments(app)
    set_start(app, appointment.id, utcnow() + dt.timedelta(hours=2))
    people["coach"].post(
        f"/coaching/caseload/{application.id}/appointments/{appointment.id}/cancel")
    assert appointments(app)[0].status == "cancelled_by_coach"
    assert "0 of 3 used" in text_of(people["trainee"].get(
        f"/coaching/applications/{application.id}"))


def test_the_trainee_sees_upcoming_appointments_in_uk_time(app, people):
    application = allocated(app, people)
    when = utcnow() + dt.timedelta(days=10)
    people["coach"].post(f"/coaching/caseload/{application.id}", data=booking(when))
    local = in_uk(appointments(app)[0].starts_at)
    page = text_of(people["trainee"].get(f"/coaching/applications/{application.id}"))
    assert f"{local.day} {local:%B %Y} at {local:%H:%M}" in page
    assert "Add to calendar (.ics)" in page and "Cancel or rearrange" in page


def test_coach_notes_never_reach_the_trainee(app, people):
    marker = "PRIVATE-NOTE-MARKER-7f3a"
    typical_plan(app, people["trainee_user"].id)
    people["trainee"].post("/coaching/apply", data={**APPLICATION, "action": "attach"})
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data={"action": "note", "note-body": marker})
    assert marker in text_of(people["coach"].get(f"/coaching/caseload/{application.id}"))
    trainee = people["trainee"]
    for url in (f"/coaching/applications/{application.id}", "/plan/", "/dashboard",
                "/coaching/apply", "/plan/shares/", "/plan/shares/log"):
        response = trainee.get(url, follow_redirects=True)
        assert marker not in response.get_data(as_text=True), url
    for url in (f"/coaching/applications/{application.id}/plan.pdf", "/plan/pdf"):
        data = trainee.get(url).data
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert marker not in text and marker.encode() not in data, url
    with app.app_context():
        assert all(marker not in m.get_content() for m in outbox()
                   if m.get_content_maintype() == "text")
    assert marker not in text_of(people["other_coach"].get(
        f"/coaching/caseload/{application.id}"))


def test_closing_a_case_takes_it_off_the_caseload(app, people):
    application = allocated(app, people)
    assert people["coach"].post(f"/coaching/caseload/{application.id}/close").status_code == 302
    assert only_application(app).status == "closed"
    assert "You have no clients at the moment" in text_of(people["coach"].get("/coaching/caseload"))


def test_coordinators_read_coach_notes(app, people):
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data={"action": "note", "note-body": "Considering a career break"})
    page = text_of(people["coordinator"].get(f"/coaching/queue/{application.id}"))
    assert "Considering a career break" in page


NUL = "a\x00b"
HUGE = "z" * 300_000


def test_nasty_input_on_every_coaching_form_never_gives_a_server_error(app, people):
    for field in ("current_post", "training_number", "hopes", "availability", "stage",
                  "region", "professional_group", "preferred_format", "workforce_scheme"):
        for value in (NUL, HUGE, "<script>x</script>"):
            response = people["trainee"].post("/coaching/apply", data={
                **APPLICATION, field: value, "action": "submit"})
            assert response.status_code in (200, 302), (field, response.status_code)
            if response.status_code == 302:
                # It went through: withdraw it so the next post starts from a new draft.
                application = only_application(app)
                people["trainee"].post(f"/coaching/applications/{application.id}/withdraw")
                with app.app_context():
                    db.session.execute(db.delete(CoachingApplication))
                    db.session.commit()
    application = allocated(app, people)
    coach, url = people["coach"], f"/coaching/caseload/{application.id}"
    start = utcnow() + dt.timedelta(days=2)
    for field in ("book-time", "book-minutes", "book-format", "book-where", "book-day--day",
                  "book-day--year"):
        for value in (NUL, HUGE, "-1", "99999999999999999999999"):
            response = coach.post(url, data=booking(start, **{field: value}))
            assert response.status_code in (200, 302), (field, value[:10], response.status_code)
    for value in (NUL, HUGE):
        assert coach.post(url, data={"action": "note", "note-body": value}).status_code == 200
        assert people["coordinator"].post(f"/coaching/queue/{application.id}", data={
            "action": "decline", "decline-reason": value}).status_code == 200


def test_moving_an_appointment_updates_the_same_calendar_event(app, people):
    application = allocated(app, people)
    people["coach"].post(f"/coaching/caseload/{application.id}",
                         data=booking(utcnow() + dt.timedelta(days=5)))
    (appointment,) = appointments(app)
    url = f"/coaching/caseload/{application.id}/appointments/{appointment.id}/move"
    new_time = in_uk(utcnow() + dt.timedelta(days=9))
    form = {"day--day": str(new_time.day), "day--month": str(new_time.month),
            "day--year": str(new_time.year), "time": "10:15"}
    refused = people["coach"].post(url, data={**form, "time": "10:75"})
    assert "Enter a time between 00:00 and 23:59" in text_of(refused)
    assert 'value="10:75"' in text_of(refused)
    assert people["coach"].post(url, data=form).status_code == 302
    moved = appointments(app)[0]
    assert in_uk(moved.starts_at).strftime("%H:%M") == "10:15" and moved.sequence == 1
    with app.app_context():
        changed = outbox()[-1]
    assert changed["Subject"] == "Careers coaching appointment changed"
    ics = Calendar.from_ical(next(changed.iter_attachments()).get_content())
    event = ics.walk("VEVENT")[0]
    assert ics["method"] == "REQUEST" and int(event["sequence"]) == 1
    assert str(event["uid"]) == f"coaching-appointment-{appointment.id}@careers-app.plan"
    assert "1 of 3 used" in text_of(people["trainee"].get(
        f"/coaching/applications/{application.id}"))
    assert people["other_coach"].get(url).status_code == 404


def test_attendance_is_recorded_once_the_appointment_has_started(app, people):
    application = allocated(app, people)
    url = f"/coaching/caseload/{application.id}"
    people["coach"].post(url, data=booking(utcnow() + dt.timedelta(days=2)))
    (appointment,) = appointments(app)
    change = f"{url}/appointments/{appointment.id}"
    early = people["coach"].post(f"{change}/attended", follow_redirects=True)
    assert "Attendance can be recorded once the appointment has started" in text_of(early)
    assert appointments(app)[0].status == "booked"
    set_start(app, appointment.id, utcnow() - dt.timedelta(minutes=30))
    people["coach"].post(f"{change}/did-not-attend")
    assert appointments(app)[0].status == "did_not_attend"
    people["coach"].post(f"{change}/attended")
    assert appointments(app)[0].status == "attended"
    assert "1 of 3 used" in text_of(people["trainee"].get(
        f"/coaching/applications/{application.id}"))
    assert people["other_coach"].post(f"{change}/attended").status_code == 404


def test_the_application_is_saved_as_the_trainee_types(app, people):
    trainee = people["trainee"]
    response = trainee.post("/coaching/apply/draft", data={
        "current_post": "F2 in Croydon", "hopes": "Half a thought"},
        headers={"Accept": "application/json"})
    assert response.status_code == 200 and re.fullmatch(r"\d\d:\d\d", response.json["saved_at"])
    application = only_application(app)
    assert (application.status, application.current_post, application.hopes) == (
        "draft", "F2 in Croydon", "Half a thought")
    assert 'value="F2 in Croydon"' in text_of(trainee.get("/coaching/apply"))

    refused = trainee.post("/coaching/apply/draft", data={"hopes": "a\x00b"},
                           headers={"Accept": "application/json"})
    assert refused.status_code == 422 and "hopes" in refused.json["errors"]
    assert only_application(app).hopes == "Half a thought"

    apply(trainee)
    sent = trainee.post("/coaching/apply/draft", data={"hopes": "changed"},
                        headers={"Accept": "application/json"})
    assert sent.status_code == 409
    assert only_application(app).hopes == APPLICATION["hopes"]

    anonymous = app.test_client().post("/coaching/apply/draft", data={"hopes": "x"},
                                       headers={"Accept": "application/json"})
    assert anonymous.status_code == 401


def _link_in(app, subject: str) -> str:
    """The path of the one link in the newest email with this subject, as the reader sees it."""
    with app.app_context():
        body = [m for m in outbox() if m["Subject"] == subject][-1].get_content()
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1, body
    return links[0].split("://", 1)[1].split("/", 1)[1]


def test_each_email_to_the_applicant_links_to_that_application(app, people):
    """The declined email says 'you can see this decision here': the link must show it,
    not a new application form (which is what /coaching/apply shows once one is declined).
    """
    apply(people["trainee"])
    first = only_application(app)
    path = "/" + _link_in(app, "We have your application for careers coaching")
    assert path == f"/coaching/applications/{first.id}"
    page = text_of(people["trainee"].get(path))
    assert "Waiting for a coach" in page and "Withdraw" in page

    people["coordinator"].post(f"/coaching/queue/{first.id}", data={
        "action": "decline", "decline-reason": "You are in your first month of F1."})
    path = "/" + _link_in(app, "Your application for careers coaching")
    page = text_of(people["trainee"].get(path, follow_redirects=True))
    assert "Declined" in page and "You are in your first month of F1." in page

    apply(people["trainee"])  # applying again, then allocated: the newer application
    with app.app_context():
        newest = db.session.execute(db.select(CoachingApplication.id).order_by(
            CoachingApplication.id.desc())).scalars().first()
    people["coordinator"].post(f"/coaching/queue/{newest}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    path = "/" + _link_in(app, "A careers coach has been allocated to you")
    assert path == f"/coaching/applications/{newest}"
    assert "Sam Coach" in text_of(people["trainee"].get(path))


@pytest.mark.parametrize(("choice", "appendix"), [("plan", False), ("everything", True)])
def test_the_plan_chosen_is_attached_when_the_application_is_sent(app, people, choice,
                                                                   appendix):
    """Choosing a plan and pressing "Send application" sends it: no second button needed."""
    typical_plan(app, people["trainee_user"].id)
    page = text_of(people["trainee"].get("/coaching/apply"))
    assert 'value="none" checked' in page and "Do not attach my plan" in page
    apply(people["trainee"], plan_attachment=choice)
    application = only_application(app)
    assert application.status == "submitted" and application.snapshot_id is not None
    with app.app_context():
        snapshot = db.session.get(CoachingApplication, application.id).snapshot
        assert snapshot.content["with_appendix"] is appendix
        assert "It includes a copy of your action plan from" in outbox()[-1].get_content()
    page = text_of(people["trainee"].get(f"/coaching/applications/{application.id}"))
    assert "Copy from" in page and "Not attached" not in page


def test_an_application_sent_without_a_plan_says_so(app, people):
    apply(people["trainee"])  # no choice made: nothing attached, as the page showed
    application = only_application(app)
    assert application.snapshot_id is None
    with app.app_context():
        assert "It does not include your action plan.\n\nA coordinator will read it" \
            in outbox()[-1].get_content()  # a paragraph of its own
    page = text_of(people["trainee"].get(f"/coaching/applications/{application.id}"))
    assert "Not attached" in page


def test_a_copy_attached_is_kept_unless_the_trainee_attaches_again(app, people):
    trainee = people["trainee"]
    trainee.post("/coaching/apply", data={**APPLICATION, "action": "attach"})
    first = only_application(app).snapshot_id
    page = text_of(trainee.get("/coaching/apply"))
    assert 'value="keep" checked' in page and "Do not attach my plan" not in page
    apply(trainee, plan_attachment="keep")
    assert only_application(app).snapshot_id == first
