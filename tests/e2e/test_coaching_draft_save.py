"""The coaching application's save-as-you-type (static/js/draft-save.js) in a real
browser: its message moves nothing the person may be about to click, and a button of
the form pressed straight after typing sends the form alone, with no draft save beside
it. axe runs on every page.

Both were found when "Save and finish later", clicked just after typing, now and then
sent nothing: the message of the save set off by leaving the field pushed the buttons
down between the press and the release.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from careers_app.coaching.models import CoachingApplication
from tests.e2e.journeys import Fixture, sign_in
from tests.e2e.test_sessions_journeys import rows_for

APPLY = "/coaching/apply"
DRAFT = "/coaching/apply/draft"
HOPES = "What would you like from coaching?"
HOPES_TEXT = "Whether to stay in general practice or move into public health."
BUTTONS = ("Send application", "Save and finish later", "Attach my action plan")


def button_boxes(page: Page) -> dict[str, list[float]]:
    """Where each button is on the page (not in the window, which scrolls)."""
    return {name: page.get_by_role("button", name=name, exact=True).evaluate(
                "b => { const r = b.getBoundingClientRect();"
                " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }")
            for name in BUTTONS}


def test_the_save_message_moves_no_button(
        page: Page, navigates: Fixture, create_account: Fixture) -> None:
    sign_in(page, navigates, create_account())
    page.goto(APPLY)
    status = page.get_by_role("main").get_by_role("status")
    before = button_boxes(page)

    page.get_by_label(HOPES).fill(HOPES_TEXT)
    page.get_by_label("When are you usually free?").focus()  # leaving a field saves
    expect(status).to_contain_text("Saved at")
    assert button_boxes(page) == before

    # The longest message, when the session has ended.
    page.context.clear_cookies()
    page.get_by_label(HOPES).fill(HOPES_TEXT + " And soon.")
    page.get_by_label("When are you usually free?").focus()
    expect(status).to_have_text("Not saved: sign in again, then save")
    assert button_boxes(page) == before


def test_a_button_pressed_straight_after_typing_sends_the_form_alone(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
        assert_accessible: Fixture) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    drafts: list[str] = []
    page.on("request", lambda request: drafts.append(request.method)
            if request.url.endswith(DRAFT) else None)
    page.clock.install()
    page.goto(APPLY)
    # The page's timers stand still (the save 2 s after typing among them) until the
    # next page has replaced it: only leaving the field for the button could save.
    page.clock.pause_at(dt.datetime.now() + dt.timedelta(seconds=30))

    page.get_by_label(HOPES).fill(HOPES_TEXT)
    with page.expect_navigation(wait_until="commit"):
        page.get_by_role("button", name="Save and finish later").click()
    page.clock.resume()  # axe waits on timers
    page.wait_for_load_state()
    assert_accessible(page)

    expect(page.get_by_text("Your application is saved.")).to_be_visible()
    assert drafts == []
    (saved,) = rows_for(live_app, account.email, CoachingApplication)
    assert saved.hopes == HOPES_TEXT
