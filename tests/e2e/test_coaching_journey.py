"""1-2-1 coaching in a real browser, from the application to a late cancellation given back.

A trainee applies with their action plan attached; a coordinator reads the application,
downloads the attached plan and allocates a coach; the coach books an appointment; the
trainee adds it to their calendar, then cancels it less than 24 hours ahead, which
counts against the three-appointment allowance until the coach gives it back.

axe runs on every page this test visits (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from icalendar import Calendar
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select, update

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, TRAINING_STAGES
from careers_app.accounts.models import User
from careers_app.clock import UK, uk_to_utc
from careers_app.coaching.models import Appointment
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role
from careers_app.worksheets import service
from tests.e2e.journeys import download_pdf, sign_in, sign_out

Fixture = Callable[..., Any]

SCAN1 = "scan-1-self-awareness"
SCAN4 = "scan-4-next-steps"

ACTION = "Book a taster week in a GP surgery"
CURRENT_POST = "ST3 in paediatrics at a London trust"
HOPES = "Decide between paediatrics and general practice before my next rotation."
AVAILABILITY = "Tuesday and Thursday afternoons"
VIDEO_LINK = "https://video.example.org/room-42"
REASON = "I am on call after a colleague's sickness."


# --------------------------------------------------------------------------- helpers


def user_id(live_app: Any, email: str) -> int:
    with live_app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def seed_plan(live_app: Any, email: str) -> None:
    """A few worksheet answers, saved through the real worksheet service, so the plan
    has something in it to attach."""
    target = dt.date.today() + dt.timedelta(days=90)
    answers = {
        (SCAN1, "skills-audit"): {
            "skills": {"communication": 5, "team-working": 4, "clinical-reasoning": 4,
                       "practical-skills": 3, "under-pressure": 4, "uncertainty": 3,
                       "organisation": 3, "leadership": 2, "teaching": 4, "research": 2,
                       "improvement": 3, "digital": 3},
            "top-strengths": "Explaining risks to patients in plain words.",
        },
        (SCAN4, "action-plan"): {"actions": [{
            "action": ACTION, "measure": "The week is in my diary",
            "support": "My educational supervisor",
            "target": {"day": str(target.day), "month": str(target.month),
                       "year": str(target.year)},
        }]},
    }
    with live_app.app_context():
        owner = db.session.execute(select(User).where(User.email == email)).scalar_one()
        for (slug, step_id), step_answers in answers.items():
            module = live_app.extensions["modules"].get(slug)
            current = service.find_answer(owner.id, slug, step_id)
            outcome = service.save_step(owner.id, module, module.step(step_id), step_answers,
                                        current.version if current else 0, confirm=True)
            assert outcome.status == "saved", (step_id, outcome.errors)


def the_appointment(live_app: Any, application_id: int) -> Appointment:
    with live_app.app_context():
        found = db.session.execute(
            select(Appointment).where(Appointment.application_id == application_id)
        ).scalar_one()
        db.session.expunge(found)
        return found


def set_start(live_app: Any, appointment_id: int, starts_at: dt.datetime) -> None:
    """Move an appointment's start straight in the database (time cannot pass in a test)."""
    with live_app.app_context():
        db.session.execute(update(Appointment).where(Appointment.id == appointment_id)
                           .values(starts_at=starts_at))
        db.session.commit()


def summary_value(page: Page, key: str) -> Any:
    """The value of the summary-list row whose key is ``key``."""
    row = page.get_by_role("main").locator(".nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")))
    return row.locator("dd")


def download(page: Page, link: Any, tmp_path: Path, name: str) -> bytes:
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / name
    download_info.value.save_as(path)
    return path.read_bytes()


def open_from_header(page: Page, navigates: Fixture, name: str) -> None:
    with navigates(page):
        page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()


# ---------------------------------------------------------------------------- journey


def test_apply_allocate_book_cancel_late_and_have_it_given_back(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    save_screenshot: Fixture, tmp_path: Path, assert_accessible: Fixture,
) -> None:
    trainee = create_account(full_name="Alex Trainee")
    coordinator = create_account(full_name="Chris Coordinator", roles=(Role.COORDINATOR,))
    coach = create_account(full_name="Sam Coach", roles=(Role.COACH,))
    coach_id = user_id(live_app, coach.email)
    seed_plan(live_app, trainee.email)
    main = page.get_by_role("main")

    # -- The trainee applies, with a copy of their plan attached. ------------------------
    sign_in(page, navigates, trainee)
    open_from_header(page, navigates, "1-2-1 coaching")
    expect(page).to_have_url("/coaching/apply")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Apply for 1-2-1 careers coaching")
    groups = page.get_by_role("group", name="Your professional group")
    # The training number is asked for only under doctors and dentists.
    groups.get_by_role("radio", name=PROFESSIONAL_GROUPS["healthcare_professional"]).check()
    expect(page.get_by_label("Training number", exact=True)).to_be_hidden()
    groups.get_by_role("radio", name=PROFESSIONAL_GROUPS["doctor_dentist"]).check()
    page.get_by_role("group", name="Where you train or work").get_by_role(
        "radio", name="London", exact=True).check()
    page.get_by_label("Training number", exact=True).fill("LDN/ABC/1234567/D")
    page.get_by_label("Your stage").select_option(label=TRAINING_STAGES["core"])
    page.get_by_label("Your current post").fill(CURRENT_POST)
    page.get_by_label("What would you like from coaching?").fill(HOPES)
    page.get_by_role("group", name="How would you like to meet?").get_by_role(
        "radio", name="Video call").check()
    page.get_by_label("When are you usually free?").fill(AVAILABILITY)
    page.get_by_role("checkbox", name=re.compile(
        r"^I agree that the coaching coordinator and the coach")).check()
    # What was typed is saved in the background as the trainee goes.
    expect(main.get_by_role("status")).to_contain_text("Saved at", timeout=10_000)
    with navigates(page):
        main.get_by_role("button", name="Attach my action plan").click()
    expect(page).to_have_url("/coaching/apply")
    expect(main).to_contain_text("A copy of your action plan as it is now is attached.")
    expect(main.get_by_role("link", name="Download the attached copy")).to_be_visible()
    # What was typed is kept when the plan is attached.
    expect(page.get_by_label("Your current post")).to_have_value(CURRENT_POST)
    expect(page.get_by_label("What would you like from coaching?")).to_have_value(HOPES)
    expect(page.get_by_role("checkbox", name=re.compile(
        r"^I agree that the coaching coordinator"))).to_be_checked()
    save_screenshot(page, "coaching-apply.png")
    with navigates(page):
        main.get_by_role("button", name="Send application").click()
    expect(page).to_have_url(re.compile(r"/coaching/applications/\d+\?sent=1$"))
    application_id = int(re.search(r"/applications/(\d+)", page.url).group(1))
    application_url = f"/coaching/applications/{application_id}"
    expect(main.get_by_role("heading", name="Application sent")).to_be_visible()
    expect(main).to_contain_text("within 14 days")
    expect(summary_value(page, "Status")).to_have_text("Waiting for a coach")
    sign_out(page, navigates)

    # -- The coordinator reads it, downloads the plan and allocates Sam Coach. -----------
    sign_in(page, navigates, coordinator)
    open_from_header(page, navigates, "Coaching queue")
    expect(page).to_have_url("/coaching/queue")
    waiting = main.get_by_role("table", name="Applications waiting for a coach")
    review_href = f'a[href="/coaching/queue/{application_id}"]'
    row = waiting.get_by_role("row").filter(has=page.locator(review_href))
    review_link = row.locator(review_href)
    expect(review_link).to_have_text("Alex Trainee")
    # Email, group and stage tell apart applicants who share a name.
    expect(row.get_by_role("cell").first).to_contain_text(trainee.email)
    expect(row.get_by_role("cell").nth(1)).to_contain_text(TRAINING_STAGES["core"])
    expect(row.get_by_role("cell").last).to_have_text("Yes")  # plan attached
    save_screenshot(page, "coaching-queue.png")
    with navigates(page):
        review_link.click()
    expect(page).to_have_url(f"/coaching/queue/{application_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Application from Alex Trainee")
    expect(summary_value(page, "Wants from coaching")).to_have_text(HOPES)
    pdf_path = tmp_path / "attached-plan.pdf"
    download_pdf(page, main.get_by_role("link", name="Download the attached plan (PDF)"),
                 assert_accessible).save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert ACTION in " ".join(text.split()), text[:2000]
    coach_select = page.get_by_label("Coach", exact=True)
    coach_select.select_option(value=str(coach_id))
    expect(coach_select.locator("option:checked")).to_have_text(
        f"Sam Coach, {coach.email} (0 open cases)")
    with navigates(page):
        main.get_by_role("button", name="Allocate").click()
    expect(page).to_have_url("/coaching/queue")
    expect(main).to_contain_text("Allocated to Sam Coach.")
    expect(main.locator(review_href)).to_have_count(0)
    sign_out(page, navigates)

    # -- The coach books an appointment three days ahead at 14:30 UK time. ---------------
    sign_in(page, navigates, coach)
    open_from_header(page, navigates, "My caseload")
    expect(page).to_have_url("/coaching/caseload")
    with navigates(page):
        main.get_by_role("table", name="Your clients").get_by_role(
            "link", name="Alex Trainee").click()
    client_url = f"/coaching/caseload/{application_id}"
    expect(page).to_have_url(client_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Trainee")
    expect(main).to_contain_text("0 of 3 used")
    day = (dt.datetime.now(UK) + dt.timedelta(days=3)).date()
    starts_at = uk_to_utc(day, dt.time(14, 30))
    when = f"{day.day} {day:%B %Y} at 14:30"
    date = page.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time", exact=True).fill("14:30")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_role("group", name="Format", exact=True).get_by_role(
        "radio", name="Video call").check()
    page.get_by_label("Video link, phone number or place").fill(VIDEO_LINK)
    with navigates(page):
        main.get_by_role("button", name="Book appointment").click()
    expect(page).to_have_url(client_url)
    expect(main).to_contain_text("The appointment is booked.")
    booked = main.locator(".app-action").filter(
        has=page.get_by_role("heading", name=when, exact=True))
    expect(booked).to_contain_text(f"60 minutes, video call: {VIDEO_LINK}")
    expect(booked).to_contain_text("Booked")
    expect(main).to_contain_text("Coaching under way · 1 of 3 used")
    save_screenshot(page, "coaching-client.png")
    sign_out(page, navigates)

    # -- The trainee sees it, counted as booked, and adds it to their calendar. ----------
    sign_in(page, navigates, trainee)
    open_from_header(page, navigates, "1-2-1 coaching")  # redirects to the application
    expect(page).to_have_url(application_url)
    expect(summary_value(page, "Status")).to_have_text("Coaching under way")
    expect(summary_value(page, "Your coach")).to_have_text("Sam Coach")
    expect(summary_value(page, "Appointments")).to_have_text("1 of 3 used")
    appointment = main.locator(".app-action").filter(
        has=page.get_by_role("heading", name=when, exact=True))
    expect(appointment).to_contain_text(f"60 minutes, video call: {VIDEO_LINK}")
    ics = download(page, appointment.get_by_role(
        "link", name=re.compile(r"^Add to calendar \(\.ics\)")), tmp_path, "appointment.ics")
    assert b"BEGIN:VEVENT" in ics and b"METHOD:REQUEST" in ics, ics[:500]
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts_at
    assert str(event["summary"]) == "Careers coaching with Sam Coach"

    # -- Less than 24 hours to go: cancelling needs a reason and uses the allowance. -----
    soon = utcnow() + dt.timedelta(hours=2)  # on a quarter hour, 1 h 45 to 2 h from now
    soon = soon.replace(minute=soon.minute - soon.minute % 15, second=0, microsecond=0)
    set_start(live_app, the_appointment(live_app, application_id).id, soon)
    page.reload()
    with navigates(page):
        main.get_by_role("link", name=re.compile(r"^Cancel or rearrange")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cancel or rearrange your appointment")
    expect(main.locator(".nhsuk-card--warning")).to_contain_text(
        "Less than 24 hours’ notice")
    with navigates(page):
        main.get_by_role("button", name="Cancel the appointment").click()
    problems = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(problems).to_contain_text("Say why you are cancelling less than 24 hours before")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_label("Reason", exact=True).fill(REASON)
    with navigates(page):
        main.get_by_role("button", name="Cancel the appointment").click()
    expect(page).to_have_url(application_url)
    expect(main).to_contain_text("Your appointment is cancelled.")
    expect(summary_value(page, "Appointments")).to_have_text("1 of 3 used")
    cancelled = main.locator(".app-action")
    expect(cancelled).to_contain_text("Cancelled by you")
    expect(cancelled).to_contain_text("Counts as used")
    expect(cancelled.get_by_role("link", name=re.compile(r"^Cancel or rearrange"))) \
        .to_have_count(0)
    sign_out(page, navigates)

    # -- The coach gives the appointment back. -------------------------------------------
    sign_in(page, navigates, coach)
    open_from_header(page, navigates, "My caseload")
    with navigates(page):
        main.get_by_role("link", name="Alex Trainee").click()
    expect(page).to_have_url(client_url)
    late = main.locator(".app-action")
    expect(late).to_contain_text("Cancelled by the trainee")
    expect(late).to_contain_text(f"Less than 24 hours’ notice: counts as used. Reason: {REASON}")
    with navigates(page):
        late.get_by_role("button", name=re.compile(r"^Give this appointment back")).click()
    expect(page).to_have_url(f"{client_url}#appointments")
    expect(late).to_contain_text("Less than 24 hours’ notice: given back.")
    expect(late.get_by_role("button")).to_have_count(0)
    expect(main).to_contain_text("0 of 3 used")
    sign_out(page, navigates)

    # -- The trainee has all three appointments again. ---------------------------------
    sign_in(page, navigates, trainee)
    open_from_header(page, navigates, "1-2-1 coaching")
    expect(page).to_have_url(application_url)
    expect(summary_value(page, "Appointments")).to_have_text("0 of 3 used")
    expect(main.locator(".app-action")).to_contain_text("Given back by your coach")
    expect(main.locator(".app-action")).not_to_contain_text("Counts as used")
    save_screenshot(page, "coaching-application.png")
