"""SCAN 3's decision matrix totals in a real browser: they follow the ratings as the
trainee changes them, before anything is saved, say which option leads (or that options
are level) in words, are announced once per pause rather than at every change, and then
appear on the gut-check step that asks the trainee to look at them."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.journeys import Fixture, sign_in
from tests.e2e.test_worksheets_journeys import SCAN3, step_url

ANNOUNCE_WAIT_MS = 3_000  # the script waits 1.2 s after the last change


def rows_of(panel: Locator) -> Locator:
    return panel.get_by_role("table", name="Total for each option, highest first") \
        .locator("tbody tr")


def totals(*rows: str) -> list[re.Pattern[str]]:
    """Each row's option and total as the table reads them (the bar cell has no text)."""
    return [re.compile("^" + re.escape(row) + r"\s*$") for row in rows]


def bars(panel: Locator) -> list[str]:
    """How long each total's bar is, as a percentage of the highest."""
    return panel.locator(".app-matrix-bar rect").evaluate_all(
        "rects => rects.map(rect => rect.getAttribute('width'))")


def rate(page: Page, option: int, factor: str, point: str) -> None:
    group = page.get_by_role("group", name=f"Option {option}", exact=True)
    group.get_by_role("combobox", name=re.compile(f"{factor}$")).select_option(point)


def count_announcements(page: Page) -> None:
    """Count, from now on, each time the polite live region of the totals is given text."""
    page.evaluate(
        """() => {
          const region = document.querySelector("[data-totals-announce]");
          window.announced = [];
          new MutationObserver(() => window.announced.push(region.textContent))
            .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )


def test_totals_follow_the_ratings_and_reach_the_gut_check(
    page: Page, navigates: Fixture, create_account: Fixture, assert_accessible: Fixture,
    save_screenshot: Fixture, live_app: Any,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN3, "weigh-options"))
    main = page.get_by_role("main")
    panel = main.locator("#matrix--totals")
    summary = panel.locator("[data-totals-summary]")
    missing = panel.get_by_text("Some ratings are still blank, so these totals may change.")
    announce = panel.locator("[data-totals-announce]")
    expect(panel.get_by_role("heading", name="Your totals")).to_be_visible()
    expect(summary).to_have_text("Name your options and rate them to see a total for each.")
    expect(rows_of(panel)).to_have_count(0)
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_have_text("")  # nothing is announced when the page opens

    # Two factors: Lifestyle (importance 5) and the suggested "Uses my strengths" (2).
    main.get_by_role("textbox", name="Factor 1", exact=True).fill("Lifestyle")
    main.get_by_label("Importance of factor 1").select_option("5")
    main.get_by_label("Importance of factor 2").select_option("2")
    for j in range(3, 6):
        main.get_by_role("textbox", name=f"Factor {j}", exact=True).fill("")
    main.get_by_label("Name of option 1").fill("GP training")
    expect(summary).to_have_text("Name at least 2 options to compare their totals.")
    main.get_by_label("Name of option 2").fill("Psychiatry training")
    rate(page, 1, "Lifestyle", "5")
    rate(page, 1, "Uses my strengths", "3")
    # 5×5 + 2×3 = 31; psychiatry is not rated yet.
    expect(summary).to_have_text("GP training has the highest total: 31.")
    expect(rows_of(panel)).to_have_text(totals("GP training\t31", "Psychiatry training\t0"),
                                        use_inner_text=True)
    expect(missing).to_be_visible()
    rate(page, 2, "Lifestyle", "4")
    rate(page, 2, "Uses my strengths", "5")
    expect(summary).to_have_text("GP training has the highest total: 31.")
    expect(rows_of(panel)).to_have_text(totals("GP training\t31", "Psychiatry training\t30"),
                                        use_inner_text=True)
    expect(missing).to_be_hidden()
    expect(announce).to_have_text("GP training has the highest total: 31.",
                                  timeout=ANNOUNCE_WAIT_MS)

    # Quick changes in a row are announced once, when the person pauses.
    count_announcements(page)
    rate(page, 2, "Lifestyle", "5")  # psychiatry 35
    expect(summary).to_have_text("Psychiatry training has the highest total: 35.")
    expect(rows_of(panel).first).to_have_text(totals("Psychiatry training\t35")[0],
                                              use_inner_text=True)
    assert bars(panel) == ["100", "88.6"]  # GP's 31 against psychiatry's 35
    rate(page, 1, "Uses my strengths", "5")  # GP 35 too
    level = "GP training and Psychiatry training are level at the top, with 35 each."
    expect(summary).to_have_text(level)
    # Level options keep the order they were entered in.
    expect(rows_of(panel)).to_have_text(totals("GP training\t35", "Psychiatry training\t35"),
                                        use_inner_text=True)
    expect(announce).to_have_text(level, timeout=ANNOUNCE_WAIT_MS)
    page.wait_for_timeout(1_500)
    assert page.evaluate("window.announced") == [level]
    assert_accessible(page)
    save_screenshot(page, "step-decision-matrix.png")

    with navigates(page):
        main.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(step_url(SCAN3, "gut-and-reality-check"))
    recap = main.locator("#recap--totals")
    expect(recap.get_by_role("heading", name="Your totals")).to_be_visible()
    expect(recap.get_by_text("From step 4, Weigh up your options.")).to_be_visible()
    expect(recap.locator("[data-totals-summary]")).to_have_text(level)
    expect(rows_of(recap)).to_have_text(["GP training\t35", "Psychiatry training\t35"],
                                        use_inner_text=True)
    # The totals come before the question about them.
    question = main.get_by_label("What is your honest reaction to the result?")
    assert recap.bounding_box()["y"] < question.bounding_box()["y"]

    # The matrix step drawn by the server from the saved answers says what the script said.
    with navigates(page):
        recap.get_by_role("link", name="Change your ratings").click()
    expect(summary).to_have_text(level)
    expect(rows_of(panel)).to_have_text(totals("GP training\t35", "Psychiatry training\t35"),
                                        use_inner_text=True)
    expect(missing).to_be_hidden()
