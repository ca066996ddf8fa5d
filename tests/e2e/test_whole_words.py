"""The service's own short words (a table's headings, a status tag) are never broken
inside a word. Answer tables let their cells break anywhere, so that a pasted address
cannot widen the page, and that had also let a table squeeze its "Rating" column until
the heading read "Ratin" above "g"; larger text did the same to the tags ("Com", "plet",
"ed")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page

from careers_app.clock import uk_today
from tests.e2e.journeys import sign_in
from tests.e2e.long_answers import long_answers
from tests.e2e.test_plans_journey import seed_module
from tests.e2e.test_reading_preferences import choose

Fixture = Callable[..., Any]
SCAN1 = "scan-1-self-awareness"
PHONE = {"width": 390, "height": 844}
# How many lines the element's text is laid out on.
LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


def lines_of(element: Locator) -> int:
    return element.evaluate(LINES)


def test_headings_and_tags_keep_whole_words(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
        assert_accessible: Fixture) -> None:
    account = create_account(full_name="Priya Raman")
    module = live_app.extensions["modules"].get(SCAN1)
    seed_module(live_app, account.email, SCAN1, long_answers(module, uk_today()),
                complete=True)
    sign_in(page, navigates, account)
    rating = page.locator("th", has_text="Rating").first
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"/modules/{SCAN1}/summary")
        assert_accessible(page)
        assert lines_of(rating) == 1, viewport

    page.set_viewport_size({"width": 1280, "height": 900})
    choose(page, navigates, size="Largest")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.goto("/dashboard")
    assert_accessible(page)
    tags = page.locator(".nhsuk-tag")
    assert tags.count() > 0
    for index in range(tags.count()):
        tag = tags.nth(index)
        words = len(tag.inner_text().split())
        assert lines_of(tag) <= words, tag.inner_text()
