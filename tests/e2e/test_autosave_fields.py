"""Autosave, field by field: one refused answer never holds back the others, the refusal
shows at its field, the save status is in view and announced wherever the person is
typing on a long step, and every kind of input comes back after a reload or a conflict."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.journeys import Fixture, sign_in
from tests.e2e.test_worksheets_journeys import (
    SAVE_WAIT_MS,
    VALUES,
    save_status,
    step_url,
    stored,
    wait_until_stored,
)

SCAN1 = "scan-1-self-awareness"
STEP = step_url(SCAN1, "enjoy-and-drain")
TOO_LONG = " ".join(["word"] * 440)  # the box takes 250 words
TOO_LONG_MESSAGE = "This answer must be 250 words or fewer (it has 440)"
BEST = "Talking a frightened family through a diagnosis."
BEST_LABEL = "Describe 2 or 3 times at work when you felt at your best"
COPING = "A run after a night shift."


def status_box(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-save-status]")


def test_one_over_long_answer_does_not_stop_the_other_three_being_saved(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, tmp_path: Path,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(STEP)
    drains = page.get_by_label("What drains you or causes you stress at work?")
    drains.fill(TOO_LONG)
    page.get_by_label("Direct contact with patients").check()
    page.get_by_label(BEST_LABEL).fill(BEST)
    page.get_by_label("What helps you cope when work is stressful?").fill(COPING)

    box = status_box(page)
    expect(box).to_contain_text(re.compile(
        r"^Your other answers were saved at \d\d:\d\d\. Your answer to “What drains you "
        r"or causes you stress at work\?” was not saved"), timeout=SAVE_WAIT_MS)
    # The message is at the field, in the NHS.UK error style, and read with the box.
    field = page.locator("#drains--field")
    error = field.locator("span.nhsuk-error-message")
    expect(error).to_have_text(f"Error: {TOO_LONG_MESSAGE}")
    expect(field.locator(".nhsuk-form-group")).to_have_class(re.compile("nhsuk-form-group--error"))
    described = drains.get_attribute("aria-describedby") or ""
    assert "drains--autosave-error" in described.split()
    expect(drains).to_have_value(TOO_LONG)  # what was typed stays
    # The status links to the answer that needs changing.
    link = box.get_by_role("link", name="What drains you or causes you stress at work?")
    expect(link).to_have_attribute("href", "#drains")
    assert_accessible(page)
    page.screenshot(path=tmp_path / "one-answer-refused.png")

    # Each move to the next box saved what was there so far; the last answer is saved
    # after the pause in typing, which may come after the message above first showed.
    three = {"enjoy": {"selected": ["patient-contact"], "other": ""},
             "best-moments": BEST, "coping": COPING}
    # Waited for through Playwright (time.sleep held the page's next save in the browser:
    # the context's route handler runs only while Playwright is called).
    wait_until_stored(page, live_app, account.email, SCAN1, "enjoy-and-drain",
                      lambda answers: answers == three, timeout=SAVE_WAIT_MS / 1000)
    version = stored(live_app, account.email, SCAN1, "enjoy-and-drain")[0]

    # Another tab of the same browser shows the three saved answers from the server.
    other = page.context.new_page()
    other.goto(STEP)
    expect(other.get_by_label("Direct contact with patients")).to_be_checked()
    expect(other.get_by_label(BEST_LABEL)).to_have_value(BEST)
    expect(other.get_by_label("What helps you cope when work is stressful?")).to_have_value(COPING)
    expect(other.get_by_label("What drains you or causes you stress at work?")).to_have_value("")
    other.close()

    # Shortening the answer saves it, and the message at the field goes.
    drains.fill("Rotas that change at a day's notice.")
    expect(box).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    expect(field.locator("span.nhsuk-error-message")).to_have_count(0)
    assert "drains--autosave-error" not in (drains.get_attribute("aria-describedby") or "")
    assert stored(live_app, account.email, SCAN1, "enjoy-and-drain") == (version + 1, {
        "enjoy": {"selected": ["patient-contact"], "other": ""}, "best-moments": BEST,
        "coping": COPING, "drains": "Rotas that change at a day's notice."})
    assert page.evaluate("() => sessionStorage.length") == 0
    assert_accessible(page)


def test_the_save_status_is_in_view_and_announced_while_typing_far_down_the_step(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, tmp_path: Path,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    polite = page.locator("[data-save-status]").get_by_role("status")
    assertive = page.locator("[data-save-status]").get_by_role("alert")
    for width, height in ((1280, 800), (390, 700)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(STEP)
        expect(polite).to_have_attribute("aria-live", "polite")
        expect(assertive).to_have_attribute("aria-live", "assertive")
        last = page.get_by_label("What helps you cope when work is stressful?")
        last.click()
        page.keyboard.press("Control+End")
        assert page.evaluate("() => window.scrollY") > 300, "the last answer is far down"
        page.keyboard.type(f" Walking the dog ({width}).")
        expect(polite).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
        expect(assertive).to_have_text("")
        expect(status_box(page)).to_be_in_viewport()
        expect(last).to_be_in_viewport()
        assert_accessible(page)
        page.screenshot(path=tmp_path / f"status-saved-{width}.png")

    # Signed out in another tab: the next save fails, loudly, where the person is.
    other = page.context.new_page()
    other.goto("/dashboard")
    with navigates(other):
        other.get_by_role("banner").get_by_role("button", name="Sign out").click()
    page.bring_to_front()
    page.keyboard.type(" And sleep.")
    expect(assertive).to_have_text(re.compile(r"^Not saved – you have been signed out\. "),
                                   timeout=SAVE_WAIT_MS)
    expect(polite).to_have_text("")
    expect(status_box(page)).to_be_in_viewport()
    expect(status_box(page)).to_have_class(re.compile("app-save-status--problem"))
    sign_in_link = assertive.get_by_role("link", name="Sign in again in a new tab")
    expect(sign_in_link).to_have_attribute("target", "_blank")
    assert_accessible(page)
    page.screenshot(path=tmp_path / "status-signed-out-390.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    last_field = page.get_by_label("What helps you cope when work is stressful?")
    last_field.focus()
    expect(status_box(page)).to_be_in_viewport()
    page.screenshot(path=tmp_path / "status-signed-out-1280.png")

    sign_in(other, navigates, account)
    expect(polite).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=20_000)
    expect(assertive).to_have_text("")
    assert stored(live_app, account.email, SCAN1, "enjoy-and-drain")[1]["coping"] == (
        " Walking the dog (1280). Walking the dog (390). And sleep.")
    other.close()


def test_changes_made_while_a_save_is_under_way_are_sent_after_a_failed_save(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    """A failed save sets a retry. A save made before that retry fired (moving to the
    next box) used to leave the retry's handle behind, and from then on the changes made
    while a save was under way were never sent: they waited in the tab for another key
    press. Here the network drops the first save, the second is held while the person
    ticks a box and types, and what they did must reach the server by itself."""
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(STEP)
    held: list[Any] = []
    calls = [0]

    def network(route: Any) -> None:
        calls[0] += 1
        if calls[0] == 1:
            route.abort()  # the first save fails: a retry is set for a second later
        elif calls[0] == 2:
            held.append(route)  # the second waits until the test lets it through
        else:
            route.continue_()

    page.route("**/autosave", network)
    page.get_by_label(BEST_LABEL).fill(BEST)
    page.get_by_label("What helps you cope when work is stressful?").fill(COPING)  # save 1
    page.get_by_label("What drains you or causes you stress at work?").fill("Long handovers")
    page.get_by_label("Direct contact with patients").check()  # save 2 is sent, and held
    page.wait_for_timeout(2_500)  # the pause in typing passes while save 2 is under way
    assert len(held) == 1, calls[0]
    held[0].continue_()
    page.unroute("**/autosave", network)

    everything = {"enjoy": {"selected": ["patient-contact"], "other": ""},
                  "drains": "Long handovers", "best-moments": BEST, "coping": COPING}
    deadline = time.monotonic() + SAVE_WAIT_MS / 1000
    while (saved := stored(live_app, account.email, SCAN1, "enjoy-and-drain"))[1] != everything:
        assert time.monotonic() < deadline, saved
        page.wait_for_timeout(100)  # (Playwright passes requests on only while it is called)
    expect(status_box(page)).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))


@pytest.mark.in_process_server  # it makes the in-process server refuse saves
def test_ticks_a_ranking_and_text_come_back_after_a_reload_and_with_the_other_copy(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    monkeypatch: Any,
) -> None:
    """Autosave knows no field type: it posts the step's inputs and puts them back by
    name, from this tab's storage after a reload and from the server after a conflict."""
    account = create_account()
    sign_in(page, navigates, account)
    step = step_url(SCAN1, "work-values")
    reflection = "What do you notice about your top 3 values?"
    tab_1, tab_2 = page, page.context.new_page()
    tab_1.goto(step)
    tab_2.goto(step)
    items_2 = tab_2.locator("[data-ranking] > li label")

    # Tab 1 saves ticks, an order, an "Other" answer and text.
    tab_1.get_by_label("Compassion").check()
    tab_1.get_by_label("Other", exact=True).check()
    tab_1.get_by_label("Your other answer").fill("Humour")
    tab_1.get_by_role("button", name=f"Move up: {VALUES['lifestyle']}").click()
    tab_1.get_by_label(reflection).fill("Lifestyle, for my children.")
    order_1 = [*list(VALUES)[:6], "lifestyle", "challenge"]
    wait_until_stored(tab_1, live_app, account.email, SCAN1, "work-values", lambda a: a.get(
        "values-reflection") == "Lifestyle, for my children." and a.get(
        "values-ranking") == order_1)

    # Tab 2, still on version 0, conflicts and takes tab 1's answers: every input follows.
    tab_2.get_by_label("Honesty and openness").check()
    tab_2.get_by_label(reflection).fill("Honesty.")
    panel = tab_2.locator("[data-conflict]")
    expect(panel).to_be_visible(timeout=SAVE_WAIT_MS)
    panel.get_by_role("button", name="Show the other answers").click()
    expect(panel).to_be_hidden()
    expect(tab_2.get_by_label("Compassion")).to_be_checked()
    expect(tab_2.get_by_label("Honesty and openness")).not_to_be_checked()
    expect(tab_2.get_by_label("Your other answer")).to_have_value("Humour")
    expect(tab_2.get_by_label(reflection)).to_have_value("Lifestyle, for my children.")
    expect(items_2).to_have_text([VALUES[value] for value in order_1])
    expect(tab_2.get_by_label(VALUES["lifestyle"], exact=True)).to_have_value("7")

    # The server stops saving; tab 2's next changes are kept in the tab over a reload.
    monkeypatch.setitem(live_app.view_functions, "worksheets.autosave",
                        lambda **_: ("Service unavailable", 503))
    tab_2.on("dialog", lambda dialog: dialog.accept())
    tab_2.get_by_label("Compassion").uncheck()
    tab_2.get_by_label(reflection).fill("Learning, always.")
    # (The status appearing moves the page down: wait for it before clicking on.)
    expect(save_status(tab_2)).to_have_text("Not saved – retrying", timeout=SAVE_WAIT_MS)
    tab_2.get_by_label("Learning and growing").check()
    tab_2.get_by_role("button", name=f"Move up: {VALUES['challenge']}").click()
    tab_2.reload()
    order_2 = [*list(VALUES)[:6], "challenge", "lifestyle"]
    expect(tab_2.get_by_label("Learning and growing")).to_be_checked()
    expect(tab_2.get_by_label("Compassion")).not_to_be_checked()
    expect(tab_2.get_by_label("Your other answer")).to_have_value("Humour")
    expect(tab_2.get_by_label(reflection)).to_have_value("Learning, always.")
    expect(items_2).to_have_text([VALUES[value] for value in order_2])
    monkeypatch.undo()
    wait_until_stored(tab_2, live_app, account.email, SCAN1, "work-values", lambda a: a.get(
        "values-ranking") == order_2 and a.get("values-cards", {}).get("selected") == [
        "learning", "other"])
