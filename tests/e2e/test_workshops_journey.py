"""Workshops in a real browser, from creating one to reminding the members who are behind.

A facilitator creates a workshop, reads its join code and assigns two SCAN modules due
before and after it; a trainee joins with the code typed in lower case, after seeing
exactly what the facilitator will see, and finds the modules on their dashboard; once
the trainee has completed SCAN 1, the facilitator follows progress in the matrix,
downloads it as CSV and sends a reminder about SCAN 2, which reaches the trainee.

axe runs on every page this test visits (see conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import in_uk, uk_today
from careers_app.extensions import db
from careers_app.security import Role
from tests.e2e.journeys import sign_in, sign_out
from tests.workshop_steps import SCAN1, write_markers

Fixture = Callable[..., Any]

SCAN1_TITLE = "SCAN 1: Self awareness"
SCAN2_TITLE = "SCAN 2: Career exploration"
TITLE = "Career planning with SCAN for core trainees"
DESCRIPTION = "Bring your SCAN 1 answers: we will compare skills audits in pairs."
MARKER = "WORKSHOPMARKER7Q"  # what the trainee writes; the facilitator must never see it


# --------------------------------------------------------------------------- helpers


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def user_id(live_app: Any, email: str) -> int:
    with live_app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def open_from_header(page: Page, navigates: Fixture, name: str) -> None:
    with navigates(page):
        page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()


def summary_value(page: Page, key: str) -> Locator:
    """The value of the summary-list row whose key is ``key``."""
    row = page.get_by_role("main").locator(".nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")))
    return row.locator("dd")


def assign(page: Page, navigates: Fixture, title: str, days: int, direction: str) -> None:
    """Fill the "Assign a module" form for a due date relative to the workshop."""
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Assign a module")).to_be_visible()
    main.get_by_label("Module", exact=True).select_option(label=title)
    main.get_by_role("group", name="When is it due?").get_by_role(
        "radio", name="A number of days before or after the workshop").check()
    main.get_by_label("Number of days", exact=True).fill(str(days))
    main.get_by_role("group", name="Before or after the workshop").get_by_role(
        "radio", name=direction, exact=True).check()
    with navigates(page):
        main.get_by_role("button", name="Assign module").click()
    expect(page).to_have_url(re.compile(r"/workshops/\d+(#modules)?$"))
    expect(main).to_contain_text("The module is assigned.")


# ---------------------------------------------------------------------------- journey


def test_create_assign_join_follow_progress_and_remind(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    save_screenshot: Fixture, tmp_path: Path, emails_to: Fixture,
) -> None:
    facilitator = create_account(full_name="Jo Facilitator", roles=(Role.FACILITATOR,))
    trainee = create_account(full_name="Robin Workshop-Trainee")
    trainee_id = user_id(live_app, trainee.email)
    main = page.get_by_role("main")

    workshop_day = uk_today() + dt.timedelta(days=20)
    scan1_due = workshop_day - dt.timedelta(days=7)
    scan2_due = workshop_day + dt.timedelta(days=3)

    # -- The facilitator creates the workshop and reads its join code. ------------------
    sign_in(page, navigates, facilitator)
    open_from_header(page, navigates, "Workshops")
    expect(page).to_have_url("/workshops/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your workshops")
    with navigates(page):
        main.get_by_role("link", name="Create a workshop").click()
    expect(page).to_have_url("/workshops/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a workshop")
    main.get_by_label("Title", exact=True).fill(TITLE)
    date = main.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(workshop_day.day))
    date.get_by_label("Month").fill(str(workshop_day.month))
    date.get_by_label("Year").fill(str(workshop_day.year))
    main.get_by_label("Start time", exact=True).fill("18:30")
    main.get_by_role("group", name="Format", exact=True).get_by_role(
        "radio", name="Online workshop").check()
    main.get_by_label("Description", exact=True).fill(DESCRIPTION)
    with navigates(page):
        main.get_by_role("button", name="Save workshop").click()
    expect(page).to_have_url(re.compile(r"/workshops/\d+$"))
    workshop_url = re.search(r"/workshops/\d+$", page.url).group(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main.locator(".nhsuk-caption-l")).to_have_text(
        f"Online workshop, {long_date(workshop_day)} at 18:30")
    code = main.locator(".nhsuk-inset-text .app-join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code), code
    expect(main).to_contain_text(f"Workshop created. Its join code is {code}.")
    expect(main.locator(".nhsuk-inset-text")).to_contain_text(f"Join code: {code}")
    expect(main).to_contain_text("Assign a module below to follow progress.")

    # -- It assigns SCAN 1 seven days before and SCAN 2 three days after. --------------
    assign(page, navigates, SCAN1_TITLE, 7, "Before")
    assign(page, navigates, SCAN2_TITLE, 3, "After")
    assigned = main.locator("#modules + ul > li")
    expect(assigned).to_have_count(2)
    expect(assigned.nth(0)).to_contain_text(
        f"{SCAN1_TITLE}: due {long_date(scan1_due)} (7 days before the workshop)")
    expect(assigned.nth(1)).to_contain_text(
        f"{SCAN2_TITLE}: due {long_date(scan2_due)} (3 days after the workshop)")
    expect(main).to_contain_text("Nobody has joined yet.")
    sign_out(page, navigates)

    # -- The trainee types the code in lower case and sees what will be shared. ---------
    sign_in(page, navigates, trainee)
    with navigates(page):
        main.get_by_role("link", name="Join a workshop with a code").click()
    expect(page).to_have_url("/workshops/join")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join a workshop")
    main.get_by_label("Workshop code", exact=True).fill(code.lower())
    with navigates(page):
        main.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join “{TITLE}”")
    expect(main.locator(".nhsuk-caption-l")).to_have_text(f"Workshop {code}")
    expect(main).to_contain_text(DESCRIPTION)
    expect(main.get_by_role("heading", name="What your facilitator will see")).to_be_visible()
    expect(summary_value(page, SCAN1_TITLE)).to_have_text("Not started")
    expect(summary_value(page, SCAN2_TITLE)).to_have_text("Not started")
    save_screenshot(page, "workshop-join.png")
    with navigates(page):
        main.get_by_role("button", name="Join the workshop").click()
    expect(page).to_have_url(re.compile(r"/dashboard(#workshops)?$"))
    expect(main).to_contain_text(f"You have joined “{TITLE}”.")
    expect(main.get_by_role("heading", name="Modules set by your workshops")).to_be_visible()
    expect(main.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    modules = main.locator("ul.app-assigned > li")
    expect(modules).to_have_count(2)
    expect(modules.nth(0)).to_contain_text(
        f"{SCAN1_TITLE}: due {long_date(scan1_due)} · Not started")
    expect(modules.nth(1)).to_contain_text(
        f"{SCAN2_TITLE}: due {long_date(scan2_due)} · Not started")

    # -- The trainee completes SCAN 1 (through the real worksheet service). -------------
    write_markers(live_app, trainee_id, SCAN1, MARKER, complete=True)
    completed_on = long_date(in_uk(dt.datetime.now(dt.UTC)).date())
    page.reload()
    expect(modules.nth(0)).to_contain_text(f"Completed on {completed_on}")
    expect(modules.nth(1)).to_contain_text("Not started")
    sign_out(page, navigates)

    # -- The facilitator follows progress: the matrix and its CSV. ---------------------
    sign_in(page, navigates, facilitator)
    open_from_header(page, navigates, "Workshops")
    with navigates(page):
        main.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(workshop_url)
    matrix = main.get_by_role("table", name="Progress of each member on each assigned module")
    headers = matrix.get_by_role("columnheader")
    expect(headers.nth(1)).to_have_accessible_name(f"{SCAN1_TITLE} due {long_date(scan1_due)}")
    expect(headers.nth(2)).to_have_accessible_name(f"{SCAN2_TITLE} due {long_date(scan2_due)}")
    member_row = matrix.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=trainee.full_name, exact=True))
    expect(member_row).to_have_count(1)
    cells = member_row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text(f"Completed on {completed_on}")
    expect(cells.nth(1)).to_have_text("Not started")
    summary_row = matrix.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Completed", exact=True))
    expect(summary_row.get_by_role("cell").nth(0)).to_have_text("100%")
    expect(summary_row.get_by_role("cell").nth(1)).to_have_text("0%")
    assert MARKER not in page.content()  # progress only, never what was written
    save_screenshot(page, "workshop-matrix.png")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Download this table (CSV)").click()
    csv_path = tmp_path / "progress.csv"
    download_info.value.save_as(csv_path)
    exported = csv_path.read_bytes().decode("utf-8-sig")
    assert MARKER not in exported
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["Member", "Email", "Last activity",
                       f"{SCAN1_TITLE} (due {scan1_due.isoformat()})",
                       f"{SCAN2_TITLE} (due {scan2_due.isoformat()})"], rows[0]
    assert rows[1][:2] == [trainee.full_name, trainee.email], rows[1]
    assert rows[1][3:] == [f"Completed on {completed_on}", "Not started"], rows[1]
    assert rows[-1] == ["Completed", "", "", "100%", "0%"], rows[-1]

    # -- It reminds those who have not completed SCAN 2. ------------------------------
    sent_before = len(emails_to(trainee.email))
    with navigates(page):
        main.get_by_role("link", name="Send a reminder").click()
    expect(page).to_have_url(f"{workshop_url}/remind")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a reminder")
    main.get_by_label("Remind members who have not completed").select_option(
        label=SCAN2_TITLE)
    with navigates(page):
        main.get_by_role("button", name="Show the reminder").click()
    expect(page).to_have_url(re.compile(
        rf"{re.escape(workshop_url)}/remind\?module=scan-2-career-exploration$"))
    expect(main.get_by_label("Remind members who have not completed")).to_have_value(
        "scan-2-career-exploration")
    expect(main).to_contain_text(f"1 member who has not completed “{SCAN2_TITLE}”:")
    expect(main.get_by_role("listitem").filter(has_text=trainee.full_name)).to_have_count(1)
    preview = main.locator("pre.app-email-preview")
    expect(preview).to_contain_text("Hello [member's name],")
    expect(preview).to_contain_text(
        f"Please complete the module \"{SCAN2_TITLE}\" by {long_date(scan2_due)}.")
    expect(preview).to_contain_text(f"about the workshop \"{TITLE}\"")
    save_screenshot(page, "workshop-reminder.png")
    with navigates(page):
        main.get_by_role("button", name="Send the reminder").click()
    expect(page).to_have_url(workshop_url)
    expect(main).to_contain_text("Reminder sent to 1 member.")

    sent = emails_to(trainee.email)[sent_before:]
    assert len(sent) == 1, [m["Subject"] for m in sent]
    assert sent[0]["Subject"] == f"Reminder: {SCAN2_TITLE}"
    body = sent[0].get_content()
    assert f"Hello {trainee.full_name}," in body, body
    assert f"by {long_date(scan2_due)}" in body, body
    assert "scan-2-career-exploration" in body, body  # the link to carry on
