"""Sessions in a real browser: text typed after the session ended survives signing in
again, and the warning before the idle limit.

The session is ended by removing the browser's cookies (whatever the cookie is called,
so the journeys run the same over HTTPS with the production cookie name). The warning
is brought up with Playwright's clock: the page's time moves on, the server's does not.
axe runs on every page, and on the dialog while it is open.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from careers_app.plans.models import ActionPlan
from careers_app.worksheets.models import StepAnswer
from tests.e2e.journeys import sign_in

Fixture = Callable[..., Any]

STEP = "/modules/scan-3-arriving-at-a-decision/steps/your-decision"
SIGNED_OUT = "You were signed out. Sign in and your text will be shown back to you."
NOT_SAVED = "Your text has not been saved yet: check it and save"
TEXT = "I want to train in psychiatry: the long conversations suit me."
# Looked at after a run: the dialog with the NHS.UK styles.
SCREENSHOT = Path(tempfile.gettempdir()) / "session-timeout-dialog.png"


def rows_for(live_app: Any, email: str, model: Any) -> list[Any]:
    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        found = db.session.execute(select(model).where(model.user_id == user.id)).scalars()
        rows = list(found)
        for row in rows:
            db.session.expunge(row)
        return rows


def sign_in_where_signed_out(page: Page, navigates: Fixture, account: Any) -> None:
    """The sign-in page that answered the post: it says the text will come back."""
    main = page.get_by_role("main")
    expect(main).to_contain_text(SIGNED_OUT)
    main.get_by_label("Email address").fill(account.email)
    main.get_by_label("Password", exact=True).fill(account.password)
    with navigates(page):
        main.get_by_role("button", name="Sign in").click()
    error_summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(error_summary).to_contain_text(NOT_SAVED)


def test_a_step_saved_after_the_session_ended_keeps_its_text(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(STEP)
    page.context.clear_cookies()

    page.get_by_label("Your first choice").fill("Psychiatry")
    page.get_by_label("Why is this the right choice for you now?").fill(TEXT)
    with navigates(page):
        page.get_by_role("button", name="Save and continue", exact=True).click()
    sign_in_where_signed_out(page, navigates, account)

    expect(page).to_have_url(STEP)
    expect(page.get_by_label("Why is this the right choice for you now?")).to_have_value(TEXT)
    expect(page.get_by_label("Your first choice")).to_have_value("Psychiatry")
    assert rows_for(live_app, account.email, StepAnswer) == []

    with navigates(page):
        page.get_by_role("button", name="Save and come back later").click()
    (saved,) = rows_for(live_app, account.email, StepAnswer)
    assert saved.answers["reasons"] == TEXT


def test_the_plan_summary_keeps_its_text(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto("/plan/summary")
    page.context.clear_cookies()

    page.get_by_label("Your career aim in a paragraph").fill(TEXT)
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Save").click()
    sign_in_where_signed_out(page, navigates, account)

    expect(page.get_by_label("Your career aim in a paragraph")).to_have_value(TEXT)
    assert rows_for(live_app, account.email, ActionPlan) == []
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your summary has been saved.")).to_be_visible()
    assert rows_for(live_app, account.email, ActionPlan)[0].summary == TEXT


def test_a_coaching_application_keeps_its_text(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto("/coaching/apply")
    page.context.clear_cookies()

    page.get_by_label("What would you like from coaching?").fill(TEXT)
    with navigates(page):
        page.get_by_role("button", name="Save and finish later").click()
    sign_in_where_signed_out(page, navigates, account)

    expect(page.get_by_label("What would you like from coaching?")).to_have_value(TEXT)
    assert rows_for(live_app, account.email, CoachingApplication) == []
    with navigates(page):
        page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your application is saved.")).to_be_visible()
    assert rows_for(live_app, account.email, CoachingApplication)[0].hopes == TEXT


def warning(page: Page) -> Any:
    return page.get_by_role("dialog", name="You will be signed out soon")


def expires_at(page: Page) -> int:
    return int(page.locator('meta[name="app-session"]').get_attribute("data-expires-at") or 0)


def test_the_warning_before_the_idle_limit_keeps_the_session_going(
        page: Page, navigates: Fixture, create_account: Fixture,
        assert_accessible: Fixture, save_screenshot: Fixture) -> None:
    account = create_account()
    page.clock.install()
    sign_in(page, navigates, account)
    page.goto("/plan/")
    first_deadline = expires_at(page)
    link = page.get_by_role("main").get_by_role("link", name=re.compile("career aim", re.I)).first
    link.focus()

    page.clock.fast_forward("27:30")
    expect(warning(page)).to_be_hidden()
    page.clock.fast_forward("00:45")  # 28 min 15 s: less than 2 minutes left
    dialog = warning(page)
    expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text("you will be signed out in 1 minute")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOT))
    save_screenshot(page, "session-timeout-warning.png")

    with page.expect_response(lambda r: r.url.endswith("/account/session/extend")) as answer:
        stay.click()
    assert answer.value.status == 200
    assert answer.value.json()["seconds_left"] >= 29 * 60
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()
    assert expires_at(page) > first_deadline + 25 * 60 * 1000

    # Past the first deadline by the page's clock, the page carries on signed in.
    page.clock.fast_forward("05:00")
    expect(warning(page)).to_be_hidden()
    with navigates(page):
        link.click()
    expect(page).to_have_url("/plan/summary")


def test_when_the_time_runs_out_the_page_says_so_and_keeps_the_draft(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
        assert_accessible: Fixture) -> None:
    account = create_account()
    page.clock.install()
    sign_in(page, navigates, account)
    page.goto(STEP)
    page.context.clear_cookies()  # the server ends the session; this tab does not know yet
    page.get_by_label("Why is this the right choice for you now?").fill(TEXT)
    expect(page.locator("[data-save-status]").get_by_role("alert")).to_contain_text("signed out")

    page.clock.fast_forward("28:30")
    expect(warning(page)).to_be_visible()
    page.clock.fast_forward("02:00")
    ended = page.get_by_role("dialog", name="You have been signed out")
    expect(ended).to_be_visible()
    expect(ended).to_contain_text("kept in this browser tab")
    again = ended.get_by_role("link", name="Sign in again")
    expect(again).to_be_focused()
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOT.with_name("session-ended-dialog.png")))
    assert TEXT in page.evaluate("() => Object.values({...sessionStorage}).join()")

    with navigates(page):
        again.click()
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(STEP)
    expect(page.get_by_label("Why is this the right choice for you now?")).to_have_value(TEXT)
    expect(page.locator("form").get_by_role("status")).to_contain_text("Saved at")
    (saved,) = rows_for(live_app, account.email, StepAnswer)
    assert saved.answers["reasons"] == TEXT
