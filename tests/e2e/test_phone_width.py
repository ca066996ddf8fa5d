"""Pages full of long answers, on a phone: every table and web address stays inside the
screen (the harness lays out each page 390 px wide as it loads, see conftest.py), and the
dashboard shows progress bars, the SCAN stages done and the coaching application.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import uk_today
from careers_app.coaching import service as coaching
from careers_app.extensions import db
from careers_app.security import Role
from tests.e2e.journeys import sign_in
from tests.e2e.long_answers import long_answers
from tests.e2e.test_plans_journey import seed_module

Fixture = Callable[..., Any]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCAN = ("scan-1-self-awareness", "scan-2-career-exploration", "scan-3-arriving-at-a-decision",
        "scan-4-next-steps")


def seed_everything(live_app: Any, email: str) -> None:
    """Every module completed, every field answered at length."""
    today = uk_today()
    for module in live_app.extensions["modules"]:
        seed_module(live_app, email, module.slug, long_answers(module, today), complete=True)


def test_long_answers_fit_a_phone_on_the_plan_summaries_and_start_pages(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    account = create_account(full_name="Priya Raman")
    seed_everything(live_app, account.email)
    sign_in(page, navigates, account)
    page.goto("/plan/")
    with navigates(page):
        page.get_by_role("button", name="Track these actions on my plan").click()
    expect(page.locator(".app-action").first).to_be_visible()
    for module in live_app.extensions["modules"]:
        page.goto(f"/modules/{module.slug}/")
        page.goto(f"/modules/{module.slug}/summary")
    page.goto("/dashboard")

    page.set_viewport_size(PHONE)
    page.goto("/plan/")
    if os.environ.get("SCREENSHOTS", "") == "1":
        # The whole plan is dozens of screens; the first few show long text and a table
        # reflowed into one block per row.
        page.screenshot(path=str(SCREENSHOTS_DIR / "plan-phone.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 2600})


def test_the_dashboard_shows_progress_stages_and_coaching(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    save_screenshot: Fixture,
) -> None:
    account = create_account(full_name="Priya Raman")
    coach = create_account(full_name="Sam Okafor", roles=(Role.COACH,))
    registry = live_app.extensions["modules"]
    today = uk_today()
    for slug in SCAN[:2]:
        seed_module(live_app, account.email, slug, long_answers(registry.get(slug), today),
                    complete=True)
    scan3 = registry.get(SCAN[2])
    part = dict(list(long_answers(scan3, today).items())[:3])
    seed_module(live_app, account.email, scan3.slug, part, complete=False)
    with live_app.app_context():
        trainee = db.session.execute(select(User).where(User.email == account.email)).scalar_one()
        coach_user = db.session.execute(select(User).where(User.email == coach.email)).scalar_one()
        application = coaching.start_or_resume(trainee)
        application.current_post = "F2 in emergency medicine"
        application.hopes = "Decide between general practice and emergency medicine"
        coaching.submit(application, trainee)
        coaching.allocate(application, coach_user, coach_user)

    sign_in(page, navigates, account)
    steps = len(scan3.steps)
    bar = page.get_by_role("progressbar", name=f"{scan3.title} 3 of {steps} steps done")
    expect(bar).to_have_attribute("value", "3")
    stages = page.locator(".app-scan-stages")
    expect(stages.locator(".nhsuk-task-list__status")).to_have_text(
        ["Completed", "Completed", "In progress", "Not started"])
    coaching_section = page.get_by_role("heading", name="Your careers coaching")
    expect(coaching_section).to_be_visible()
    expect(page.get_by_text("Coach allocated")).to_be_visible()
    expect(page.get_by_role("link", name="See your coaching application and appointments")
           ).to_be_visible()
    save_screenshot(page, "dashboard.png")
