"""Worksheet journeys in a real browser: a whole module by keyboard, autosave, offline,
two tabs in conflict, a reload that restores unsaved text, ranking and the skills chart.

axe runs on every page these tests visit (see conftest.py), and explicitly on each
state that appears without a page load: the error summary, "Offline – kept in this
tab", "Not saved – retrying", and the conflict panel.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, Request, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.worksheets import service
from tests.e2e.journeys import sign_in

Fixture = Callable[..., Any]

SCAN1 = "scan-1-self-awareness"
SCAN3 = "scan-3-arriving-at-a-decision"
SAVE_WAIT_MS = 10_000  # a 2 s debounce plus a request, with room for a slow machine
# Far from UTC, so a time shown in UTC (or a UTC time read as local) cannot pass.
BROWSER_TIMEZONE = "Asia/Kolkata"


# --------------------------------------------------------------------------- helpers


def step_url(slug: str, step_id: str) -> str:
    return f"/modules/{slug}/steps/{step_id}"


def save_status(page: Page) -> Locator:
    """The autosave message: the box holding the form's two live regions (polite for
    saving and saved, assertive when text is not saved)."""
    return page.locator("[data-save-status]")


def stored(live_app: Any, email: str, slug: str, step_id: str) -> tuple[int, dict[str, Any]]:
    """(version, answers) of one step as the server has it; (0, {}) before any save."""
    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        row = service.find_answer(user.id, slug, step_id)
        return (row.version, dict(row.answers)) if row else (0, {})


def wait_until_stored(
    page: Page, live_app: Any, email: str, slug: str, step_id: str,
    check: Callable[[dict[str, Any]], bool], timeout: float = 10,
) -> dict[str, Any]:
    """The step's stored answers once ``check`` passes on them. "Saved at" alone can be
    the message of an earlier save while a later change waits for its pause."""
    deadline = time.monotonic() + timeout
    while True:
        answers = stored(live_app, email, slug, step_id)[1]
        if check(answers):
            return answers
        assert time.monotonic() < deadline, f"never stored as expected; last: {answers}"
        page.wait_for_timeout(100)


def autosave_requests(page: Page) -> list[tuple[float, dict[str, Any]]]:
    """Every autosave request the page sends from now on, as (monotonic time, body): the
    step form's inputs, form-encoded, as {name: value}."""
    sent: list[tuple[float, dict[str, Any]]] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/autosave"):
            sent.append((time.monotonic(), request.post_data_json))

    page.on("request", record)
    return sent


def local_time(saved_at: str, zone: str = BROWSER_TIMEZONE) -> str:
    """HH:MM of an ISO timestamp from the server, in the browser's time zone."""
    return datetime.fromisoformat(saved_at).astimezone(ZoneInfo(zone)).strftime("%H:%M")


def use_timezone(page: Page, zone: str = BROWSER_TIMEZONE) -> None:
    """Run the page's JavaScript in ``zone`` (Chromium's own time-zone override)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setTimezoneOverride", {"timezoneId": zone})


def focused(page: Page) -> str:
    """A short description of the focused element, for assertion messages."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "body";
          const label = el.labels && el.labels[0] ? el.labels[0].innerText : "";
          const name = el.getAttribute("aria-label") || label || el.innerText || el.value || "";
          return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${name.trim()}`;
        }"""
    )


def tab_to(page: Page, target: Locator, *, limit: int = 120, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has focus; return how many presses."""
    key = "Shift+Tab" if backwards else "Tab"
    path = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            return presses
        path.append(focused(page))
    pytest.fail(f"{key} never reached {target} in {limit} presses; focus went: {path}")


def press_tab_expecting(page: Page, *targets: Locator) -> None:
    """Each Tab lands exactly on the next of ``targets``: the tab order, asserted."""
    for target in targets:
        page.keyboard.press("Tab")
        expect(target, f"focus is on {focused(page)}").to_be_focused()


def type_into(page: Page, field: Locator, text: str) -> None:
    """Type into the focused field with the keyboard, replacing what it held."""
    expect(field, f"focus is on {focused(page)}").to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Backspace")
    if text:
        page.keyboard.type(text)
    expect(field).to_have_value(text)


def choose_with_keyboard(page: Page, select_box: Locator, label: str) -> None:
    """Pick an option of the focused <select> by typing its first characters."""
    expect(select_box, f"focus is on {focused(page)}").to_be_focused()
    page.keyboard.type(label)
    expect(select_box.locator("option:checked")).to_have_text(label)


def record_status(page: Page) -> None:
    """Keep every text the save status shows from now on, in ``window.statusLog``."""
    page.evaluate(
        """() => {
          const status = document.querySelector("[data-save-status]");
          window.statusLog = [status.textContent];
          new MutationObserver(() => window.statusLog.push(status.textContent))
            .observe(status, { childList: true, characterData: true, subtree: true });
        }"""
    )


def status_log(page: Page) -> list[str]:
    return page.evaluate("() => window.statusLog")


# ------------------------------------------------------------------------ autosave


def test_autosave_waits_for_a_pause_then_says_saved_at(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    use_timezone(page)
    page.goto(step_url(SCAN3, "gut-and-reality-check"))
    status = save_status(page)
    expect(status.get_by_role("status")).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    sent = autosave_requests(page)

    field = page.get_by_label("What is your honest reaction to the result?")
    field.click()
    # Typing that pauses for less than 2 s at a time sends nothing (the debounce).
    page.keyboard.type("Relieved, ")
    page.wait_for_timeout(1000)
    page.keyboard.type("and a little anxious")
    page.wait_for_timeout(1000)
    page.keyboard.type(".")
    last_key = time.monotonic()
    assert sent == [], "an autosave was sent before typing paused for 2 seconds"
    expect(status).to_have_text("")

    with page.expect_response(lambda r: r.url.endswith("/autosave")) as answer:
        expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    assert len(sent) == 1, f"expected one autosave after the pause, got {len(sent)}"
    sent_at, body = sent[0]
    assert sent_at - last_key >= 1.9, f"sent {sent_at - last_key:.2f} s after the last key"
    text = "Relieved, and a little anxious."
    assert body == {"version": "0", "gut-feeling": text, "reality-check": ""}
    response = answer.value
    assert response.status == 200
    data = response.json()
    assert data["version"] == 1
    # The time shown is the server's save time in the browser's own time zone.
    expect(status).to_have_text(f"Saved at {local_time(data['saved_at'])}")
    expect(page.locator('input[name="version"]')).to_have_value("1")
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        1, {"gut-feeling": text, "reality-check": ""})
    assert_accessible(page)

    # A reload shows the text from the server (nothing is left in this tab's storage).
    assert page.evaluate("() => sessionStorage.length") == 0
    page.reload()
    expect(page.get_by_label("What is your honest reaction to the result?")).to_have_value(text)
    expect(save_status(page)).to_have_text("")


# ----------------------------------------------------------------- keyboard journey


def test_complete_scan_3_with_the_keyboard_only(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, save_screenshot: Fixture,
) -> None:
    account = create_account(full_name="Sam Keyboard")
    sign_in(page, navigates, account)
    keyboard = page.keyboard
    main = page.get_by_role("main")
    save_and_continue = main.get_by_role("button", name="Save and continue", exact=True)

    def heading_is(text: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(text)

    def save_and_go_on() -> None:
        tab_to(page, save_and_continue)
        with navigates(page):
            keyboard.press("Enter")

    page.goto(f"/modules/{SCAN3}/")
    heading_is("SCAN 3: Arriving at a decision")
    start = main.get_by_role("button", name="Start")
    tab_to(page, start)
    with navigates(page):
        keyboard.press("Enter")

    # Step 1: a list, with a second row added by keyboard.
    heading_is("Step 1 of 8")
    heading_is("Your shortlist of options")
    row_1 = page.get_by_role("group", name="Row 1")
    tab_to(page, row_1.get_by_label("Option"))
    type_into(page, row_1.get_by_label("Option"), "GP training")
    press_tab_expecting(page, row_1.get_by_label("What appeals to you about it"))
    keyboard.type("Continuity of care")
    press_tab_expecting(page, row_1.get_by_label("What you still need to find out"))
    keyboard.type("What a day in general practice is like")
    add_row = main.get_by_role("button", name="Add another row")
    press_tab_expecting(page, add_row)
    with navigates(page):
        keyboard.press("Enter")
    row_2 = page.get_by_role("group", name="Row 2")
    # The page comes back at the new row, ready to type in it.
    expect(row_2.get_by_label("Option"), f"focus is on {focused(page)}").to_be_focused()
    expect(row_1.get_by_label("Option")).to_have_value("GP training")
    type_into(page, row_2.get_by_label("Option"), "Psychiatry training")
    press_tab_expecting(page, row_2.get_by_label("What appeals to you about it"))
    keyboard.type("My placement")
    save_and_go_on()

    # Step 2: a choice and long texts. First an error: no style chosen.
    heading_is("Step 2 of 8")
    past = page.get_by_label("Think of a good decision you made in the past.")
    tab_to(page, past)
    keyboard.type("I talked it through with my supervisor.")
    save_and_go_on()
    heading_is("Step 2 of 8")
    expect(page).to_have_title(re.compile(r"^Error: How you make decisions"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    error_link = summary.get_by_role("link", name="Choose an option")
    expect(error_link).to_have_attribute("href", "#style")
    expect(page.locator("#style--field .nhsuk-error-message")).to_contain_text("Choose an option")
    expect(past).to_have_value("I talked it through with my supervisor.")  # kept
    assert_accessible(page)  # the error state (navigates() checked it too, on load)
    save_screenshot(page, "step-error.png")
    press_tab_expecting(page, error_link)
    keyboard.press("Enter")
    rational = page.get_by_role("radio", name="Rational")
    expect(rational, f"focus is on {focused(page)}").to_be_focused()
    keyboard.press("ArrowDown")  # arrow keys move through radios and choose
    expect(page.get_by_role("radio", name="Intuitive")).to_be_checked()
    keyboard.press("ArrowDown")
    keyboard.press("ArrowUp")
    intuitive = page.get_by_role("radio", name="Intuitive")
    expect(intuitive).to_be_focused()
    expect(intuitive).to_be_checked()
    expect(rational).not_to_be_checked()
    press_tab_expecting(page, past)
    press_tab_expecting(page, page.get_by_label("Is anything stopping you from deciding?"))
    keyboard.type("Worry about choosing wrongly")
    save_and_go_on()

    # Step 3: pros and cons, a list with nothing required.
    heading_is("Step 3 of 8")
    pros_row = page.get_by_role("group", name="Row 1")
    tab_to(page, pros_row.get_by_label("Option"))
    type_into(page, pros_row.get_by_label("Option"), "GP training")
    press_tab_expecting(page, pros_row.get_by_label("Pros"))
    keyboard.type("Variety and continuity")
    save_and_go_on()

    # Step 4: the decision matrix. Two factors: rename the first, clear the last three.
    heading_is("Step 4 of 8")
    factors = [page.get_by_role("textbox", name=f"Factor {j}", exact=True) for j in range(1, 6)]
    importance = [page.get_by_label(f"Importance of factor {j}") for j in range(1, 6)]
    expect(factors[0]).to_have_value("Fits my top values")  # a suggested factor
    tab_to(page, factors[0])
    type_into(page, factors[0], "Lifestyle")
    press_tab_expecting(page, importance[0])
    choose_with_keyboard(page, importance[0], "5")
    press_tab_expecting(page, factors[1])
    expect(factors[1]).to_have_value("Uses my strengths")
    press_tab_expecting(page, importance[1])
    choose_with_keyboard(page, importance[1], "2")
    for j in range(2, 5):
        press_tab_expecting(page, factors[j])
        type_into(page, factors[j], "")
        press_tab_expecting(page, importance[j])
    options = {"GP training": ["5", "3"], "Psychiatry training": ["4", "5"]}
    for i, (option, scores) in enumerate(options.items(), start=1):
        group = page.get_by_role("group", name=f"Option {i}", exact=True)
        press_tab_expecting(page, group.get_by_label(f"Name of option {i}"))
        keyboard.type(option)
        # Each likelihood is labelled by its factor's name as it is now, not as the
        # page first showed it ("Fits my top values" was renamed "Lifestyle").
        for factor, score in zip(["Lifestyle", "Uses my strengths"], scores, strict=True):
            score_box = group.get_by_role("combobox", name=re.compile(f"{factor}$"))
            press_tab_expecting(page, score_box)
            choose_with_keyboard(page, score_box, score)
        for j in range(3, 6):  # the cleared factors need no score
            press_tab_expecting(page, group.get_by_role(
                "combobox", name=re.compile(f"factor {j}$", re.IGNORECASE)))
    save_and_go_on()

    # Step 5: long text.
    heading_is("Step 5 of 8")
    tab_to(page, page.get_by_label("What is your honest reaction to the result?"))
    keyboard.type("Relieved that GP training came top.")
    press_tab_expecting(page, page.get_by_label("What could get in the way"))
    keyboard.type("Competition for places")
    save_and_go_on()

    # Step 6: short text and long texts.
    heading_is("Step 6 of 8")
    tab_to(page, page.get_by_label("Your first choice"))
    keyboard.type("GP training")
    press_tab_expecting(page, page.get_by_label("Why is this the right choice for you now?"))
    keyboard.type("I like continuity of care.")
    press_tab_expecting(page, page.get_by_label("Your back-up plan"))
    keyboard.type("A clinical fellow post for a year, then apply again.")
    save_and_go_on()

    # Step 7: the action table, with its target date.
    heading_is("Step 7 of 8")
    action_1 = page.get_by_role("group", name="Action 1", exact=True)
    tab_to(page, action_1.get_by_label("Action", exact=True))
    keyboard.type("Book a taster day in general practice")
    press_tab_expecting(page, action_1.get_by_label("How I will know it is done"))
    keyboard.type("A date in my diary")
    press_tab_expecting(page, action_1.get_by_label("Support or resources"))
    keyboard.type("My educational supervisor")
    target = action_1.get_by_role("group", name="Target date")
    press_tab_expecting(page, target.get_by_label("Day"))
    keyboard.type("14")
    press_tab_expecting(page, target.get_by_label("Month"))
    keyboard.type("3")
    press_tab_expecting(page, target.get_by_label("Year"))
    keyboard.type("2027")
    save_and_go_on()

    # Step 8: checkboxes with "Other", and a date.
    heading_is("Step 8 of 8")
    supporters = page.get_by_role("group", name="Who can support you?")
    supervisor = supporters.get_by_label("My educational or clinical supervisor")
    tab_to(page, supervisor)
    keyboard.press("Space")
    expect(supervisor).to_be_checked()
    press_tab_expecting(page, supporters.get_by_label("My line manager"))
    press_tab_expecting(page, supporters.get_by_label("My training programme director"))
    press_tab_expecting(page, supporters.get_by_label("A careers coach or adviser"))
    keyboard.press("Space")
    other = supporters.get_by_label("Other", exact=True)
    other_answer = page.get_by_label("Your other answer")
    expect(other_answer).to_be_hidden()
    tab_to(page, other)
    keyboard.press("Space")
    expect(other).to_be_checked()
    press_tab_expecting(page, other_answer)  # revealed, and next in the tab order
    keyboard.type("A GP I met on my placement")
    review = page.get_by_role("group", name="When will you review your decision and plan?")
    press_tab_expecting(page, review.get_by_label("Day"))
    keyboard.type("1")
    press_tab_expecting(page, review.get_by_label("Month"))
    keyboard.type("6")
    press_tab_expecting(page, review.get_by_label("Year"))
    keyboard.type("2027")
    save_and_go_on()

    # Check your answers: everything, with the matrix worked out.
    expect(page).to_have_url(f"/modules/{SCAN3}/summary")
    heading_is("Check your answers")
    expect(main.get_by_text("Not finished")).to_have_count(0)
    matrix = main.get_by_role("table", name="Importance × likelihood for each factor")

    def cells(table: Locator, first: str) -> Locator:
        return table.get_by_role("row", name=re.compile(f"^{first}")).locator("th, td")

    expect(cells(matrix, "Factor")).to_have_text(
        ["Factor (importance)", "GP training", "Psychiatry training"])
    expect(cells(matrix, "Lifestyle")).to_have_text(
        ["Lifestyle (5)", "5 × 5 = 25", "5 × 4 = 20"])
    expect(cells(matrix, "Uses my strengths")).to_have_text(
        ["Uses my strengths (2)", "2 × 3 = 6", "2 × 5 = 10"])
    expect(cells(matrix, "Total")).to_have_text(["Total", "31", "30"])
    ranking = main.locator("p", has_text="Ranking by total score").locator(
        "xpath=following-sibling::ol[1]")
    expect(ranking.get_by_role("listitem")).to_have_text(
        ["GP training: 31", "Psychiatry training: 30"])
    actions = main.get_by_role("table", name="Your actions")
    # As seen on a wide screen: the headings repeated in each cell show only on a phone.
    expect(actions.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Book a taster day in general practice", "A date in my diary",
         "My educational supervisor", "14 March 2027"], use_inner_text=True)
    expect(main.get_by_text("1 June 2027")).to_be_visible()
    expect(main.get_by_text("Other: A GP I met on my placement")).to_be_visible()
    save_screenshot(page, "check-your-answers.png")

    complete = main.get_by_role("button", name="Complete this module")
    tab_to(page, complete)
    with navigates(page):
        keyboard.press("Enter")
    expect(page).to_have_url(f"/modules/{SCAN3}/complete")
    expect(main.get_by_role("heading", level=1)).to_have_text("Module complete")

    # Every step was stored complete, each from exactly the answers typed above.
    version, answers = stored(live_app, account.email, SCAN3, "support-and-review")
    assert answers == {
        "supporters": {"selected": ["educational-supervisor", "careers-coach", "other"],
                       "other": "A GP I met on my placement"},
        "review-date": {"day": "1", "month": "6", "year": "2027"},
    }
    _, matrix_answer = stored(live_app, account.email, SCAN3, "weigh-options")
    assert matrix_answer["matrix"] == {
        "options": ["GP training", "Psychiatry training"],
        "criteria": [{"label": "Lifestyle", "weight": 5},
                     {"label": "Uses my strengths", "weight": 2}],
        "scores": [[5, 3], [4, 5]],
    }


def test_offline_typing_is_kept_and_saved_when_back_online(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, save_screenshot: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN3, "your-decision"))
    status = save_status(page)
    plan = page.get_by_label("Your back-up plan")
    plan.click()
    page.keyboard.type("A clinical fellow post.")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    assert stored(live_app, account.email, SCAN3, "your-decision")[1]["back-up-plan"] == (
        "A clinical fellow post.")

    record_status(page)
    page.context.set_offline(True)
    page.keyboard.type(" Then apply again next year.")
    expect(status).to_have_text("Offline – kept in this tab")
    page.keyboard.type(" Written on a train.")
    # A save is attempted after the pause and fails: the message stays the same.
    with page.expect_event("requestfailed", lambda r: r.url.endswith("/autosave"),
                           timeout=SAVE_WAIT_MS):
        pass
    expect(status).to_have_text(
        re.compile(r"^(Offline – kept in this tab|Not saved – retrying)$"))
    assert_accessible(page)
    save_screenshot(page, "autosave-offline.png")
    offline_text = "A clinical fellow post. Then apply again next year. Written on a train."
    assert stored(live_app, account.email, SCAN3, "your-decision")[1]["back-up-plan"] == (
        "A clinical fellow post.")
    draft = page.evaluate("() => JSON.parse(Object.values({...sessionStorage})[0])")
    assert draft["entries"]["back-up-plan"] == [offline_text]  # kept in this tab
    # Failed attempts do not claim to be saving (nor make the live region chatter).
    while_offline = status_log(page)
    assert "Saving…" not in while_offline, while_offline

    page.context.set_offline(False)
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    assert_accessible(page)
    version, answers = stored(live_app, account.email, SCAN3, "your-decision")
    assert answers["back-up-plan"] == offline_text
    assert page.evaluate("() => sessionStorage.length") == 0

    # A fresh tab (its own, empty, session storage) shows the text from the server.
    fresh = page.context.new_page()
    fresh.goto(step_url(SCAN3, "your-decision"))
    expect(fresh.get_by_label("Your back-up plan")).to_have_value(offline_text)
    expect(fresh.locator('input[name="version"]')).to_have_value(str(version))
    fresh.close()


def conflict_revisions(live_app: Any, email: str, slug: str, step_id: str) -> list[dict[str, Any]]:
    """Copies the server refused as stale and kept (never thrown away)."""
    from careers_app.worksheets.models import StepRevision

    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        row = service.find_answer(user.id, slug, step_id)
        if row is None:
            return []
        return [dict(revision.answers) for revision in db.session.execute(
            select(StepRevision).where(StepRevision.step_answer_id == row.id,
                                       StepRevision.conflict.is_(True))
            .order_by(StepRevision.id)).scalars()]


def test_two_tabs_conflict_keeps_both_texts_until_the_person_chooses(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, save_screenshot: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    step = step_url(SCAN3, "gut-and-reality-check")
    label = "What is your honest reaction to the result?"
    tab_1 = page
    tab_2 = page.context.new_page()
    tab_1.goto(step)
    tab_2.goto(step)

    tab_1.get_by_label(label).click()
    tab_1.keyboard.type("A text")
    expect(save_status(tab_1)).to_have_text(re.compile(r"^Saved at"), timeout=SAVE_WAIT_MS)
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        1, {"gut-feeling": "A text", "reality-check": ""})

    # Tab 2 still has version 0: its save is refused and it shows the conflict.
    tab_2.get_by_label(label).click()
    tab_2.keyboard.type("B text")
    panel = tab_2.locator("[data-conflict]")
    expect(panel).to_be_visible(timeout=SAVE_WAIT_MS)
    expect(panel.get_by_role("heading")).to_have_text(
        "These answers were changed somewhere else")
    expect(save_status(tab_2)).to_have_text(re.compile(r"^Conflict – "))
    expect(tab_2.get_by_label(label)).to_have_value("B text")  # what was typed stays
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        1, {"gut-feeling": "A text", "reality-check": ""})
    assert conflict_revisions(live_app, account.email, SCAN3, "gut-and-reality-check") == [
        {"gut-feeling": "B text", "reality-check": ""}]  # B is kept on the server too
    assert_accessible(tab_2)
    save_screenshot(tab_2, "autosave-conflict.png")

    # Typing on is kept in the page but not sent until the person chooses.
    tab_2.keyboard.type(", really")
    expect(tab_2.get_by_label(label)).to_have_value("B text, really")
    expect(save_status(tab_2)).to_have_text(re.compile(r"^Conflict – "))

    keep_mine = panel.get_by_role("button", name="Keep my answers on this page")
    tab_to(tab_2, keep_mine)
    tab_2.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(save_status(tab_2)).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"),
                                            timeout=SAVE_WAIT_MS)
    # Focus goes back to the answer, not to the top of the page.
    expect(tab_2.get_by_label(label), f"focus is on {focused(tab_2)}").to_be_focused()
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        2, {"gut-feeling": "B text, really", "reality-check": ""})
    assert_accessible(tab_2)

    # Now tab 1 is behind. Its next change conflicts; it takes the other answers.
    sent_1 = autosave_requests(tab_1)
    tab_1.bring_to_front()
    tab_1.get_by_label(label).press("End")
    tab_1.keyboard.type(" again")
    panel_1 = tab_1.locator("[data-conflict]")
    expect(panel_1).to_be_visible(timeout=SAVE_WAIT_MS)
    assert_accessible(tab_1)
    take_theirs = panel_1.get_by_role("button", name="Show the other answers")
    tab_to(tab_1, take_theirs)
    tab_1.keyboard.press("Enter")
    expect(panel_1).to_be_hidden()
    expect(tab_1.get_by_label(label)).to_have_value("B text, really")
    expect(tab_1.get_by_label(label), f"focus is on {focused(tab_1)}").to_be_focused()
    expect(save_status(tab_1)).to_have_text(re.compile(r"^Showing the other answers\."))
    # Choosing the other answers sends nothing: the server still has B, and A is kept.
    assert [body for _, body in sent_1] == [
        {"version": "1", "gut-feeling": "A text again", "reality-check": ""}]
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        2, {"gut-feeling": "B text, really", "reality-check": ""})
    assert conflict_revisions(live_app, account.email, SCAN3, "gut-and-reality-check")[-1] == {
        "gut-feeling": "A text again", "reality-check": ""}
    # And tab 1 now saves on top of the version it was shown.
    tab_1.keyboard.type(" Agreed.")
    expect(save_status(tab_1)).to_have_text(re.compile(r"^Saved at"), timeout=SAVE_WAIT_MS)
    assert stored(live_app, account.email, SCAN3, "gut-and-reality-check") == (
        3, {"gut-feeling": "B text, really Agreed.", "reality-check": ""})
    tab_2.close()


# Makes the server fail on purpose by replacing a view in the test's own process.
@pytest.mark.in_process_server
def test_reload_restores_unsaved_text_from_this_tab_then_saves_it(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    step = step_url(SCAN3, "your-decision")
    page.goto(step)
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    # The server cannot save for a while. Not page.route(...).abort(): the save the
    # page sends with keepalive as it unloads is not intercepted by Playwright and
    # would reach the server, so the reload would show the text from the server and
    # prove nothing about this tab's storage. Every save, that one too, gets a 503.
    monkeypatch.setitem(live_app.view_functions, "worksheets.autosave",
                        lambda **_: ("Service unavailable", 503))
    page.get_by_label("Your first choice").click()
    page.keyboard.type("Psychiatry training")
    status = save_status(page)
    expect(status).to_have_text("Not saved – retrying", timeout=SAVE_WAIT_MS)
    assert_accessible(page)

    page.reload()  # the page warns first: there is unsaved text
    assert dialogs == ["beforeunload"]
    assert stored(live_app, account.email, SCAN3, "your-decision") == (0, {})
    # Only this tab's storage had the text; the message says it was put back.
    expect(page.get_by_label("Your first choice")).to_have_value("Psychiatry training")
    expect(status).to_have_text(
        "Restored what you typed in this tab before the page was reloaded. "
        "Not saved – retrying", timeout=SAVE_WAIT_MS)
    assert_accessible(page)

    monkeypatch.undo()  # the server can save again; the next retry does
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=40_000)
    assert stored(live_app, account.email, SCAN3, "your-decision") == (
        1, {"first-choice": "Psychiatry training", "reasons": "", "back-up-plan": ""})
    assert page.evaluate("() => sessionStorage.length") == 0

    fresh = page.context.new_page()
    fresh.goto(step)
    expect(fresh.get_by_label("Your first choice")).to_have_value("Psychiatry training")
    expect(save_status(fresh)).to_have_text("")
    fresh.close()


def test_going_back_mid_typing_then_returning_is_not_a_conflict(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    """Text typed just before pressing the browser's Back button is saved as the page
    unloads (a keepalive request whose answer the page never reads), and also stays in
    this tab's storage. Coming back restores it against the old version: the server's
    copy is the same text, so there is nothing to choose between."""
    account = create_account()
    sign_in(page, navigates, account)
    step = step_url(SCAN3, "your-decision")
    page.goto(step)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Your first choice").click()
    page.keyboard.type("Psychiatry training")  # and straight away, Back
    page.go_back()
    expect(page).to_have_url("/dashboard")
    deadline = time.monotonic() + 10
    while stored(live_app, account.email, SCAN3, "your-decision")[0] == 0:
        assert time.monotonic() < deadline, "the text was not saved as the page unloaded"
        page.wait_for_timeout(100)
    assert stored(live_app, account.email, SCAN3, "your-decision") == (
        1, {"first-choice": "Psychiatry training", "reasons": "", "back-up-plan": ""})

    page.goto(step)
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"),
                                           timeout=SAVE_WAIT_MS)
    expect(page.locator("[data-conflict]")).to_be_hidden()
    expect(page.get_by_label("Your first choice")).to_have_value("Psychiatry training")
    expect(page.locator('input[name="version"]')).to_have_value("1")
    assert page.evaluate("() => sessionStorage.length") == 0
    # The server knew the restored copy for the save it already had: nothing refused.
    assert conflict_revisions(live_app, account.email, SCAN3, "your-decision") == []


# Makes the server fail on purpose by replacing a view in the test's own process.
@pytest.mark.in_process_server
def test_failing_saves_back_off_instead_of_sending_one_per_key_press(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Saves happen after a 2 s pause, or at least every 30 s of steady typing. While
    the server keeps failing, retries back off (1 s, 2 s, 4 s...), however fast the
    person types. Time in the page is Playwright's fake clock, moved on by the test."""
    account = create_account()
    sign_in(page, navigates, account)
    attempts: list[str] = []

    def unavailable(**_: Any) -> tuple[str, int]:
        attempts.append("503")
        return "Service unavailable", 503

    monkeypatch.setitem(live_app.view_functions, "worksheets.autosave", unavailable)
    page.clock.install()
    page.goto(step_url(SCAN3, "your-decision"))
    page.get_by_label("Your back-up plan").click()
    status = save_status(page)

    # 29 s of steady typing, a key a second: never a 2 s pause, not yet 30 s.
    for _ in range(30):
        page.keyboard.type("a")
        page.clock.run_for(1000)
    assert attempts == []
    # The 31st key is 30 s after the first: a save is due, and fails.
    page.keyboard.type("b")
    expect(status).to_have_text("Not saved – retrying")
    assert attempts == ["503"]
    # Four more seconds of fast typing: retries at +1 s and +3 s, not one per key.
    for _ in range(16):
        page.keyboard.type("c")
        page.clock.run_for(250)
        page.wait_for_timeout(30)  # real time, for any request to reach the server
    assert len(attempts) <= 3, f"{len(attempts)} save requests in 4 seconds of typing"
    expect(status).to_have_text("Not saved – retrying")
    assert_accessible(page)

    monkeypatch.undo()
    page.clock.run_for(5000)  # the next retry, which the server now accepts
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    text = "a" * 30 + "b" + "c" * 16
    assert stored(live_app, account.email, SCAN3, "your-decision")[1]["back-up-plan"] == text

def test_enter_straight_after_typing_posts_once_without_racing_an_autosave(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    """Leaving the page hides it, which normally sends a last save; not when the form
    itself is being posted, or the two would race with the same version."""
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN3, "your-decision"))
    page.get_by_label("Your back-up plan").fill("A clinical fellow post")
    page.get_by_label("Your first choice").click()
    page.keyboard.type("GP")
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at"), timeout=SAVE_WAIT_MS)
    page.keyboard.type(" training")
    with navigates(page):
        page.keyboard.press("Enter")  # no pause, no focus change: " training" is unsaved
    expect(page).to_have_url(step_url(SCAN3, "first-actions"))
    # Give a save sent as the page unloaded time to arrive (it would be refused as stale).
    page.wait_for_timeout(1000)
    answers = stored(live_app, account.email, SCAN3, "your-decision")[1]
    assert answers == {"first-choice": "GP training", "reasons": "",
                       "back-up-plan": "A clinical fellow post"}
    assert conflict_revisions(live_app, account.email, SCAN3, "your-decision") == []


def test_an_answer_the_server_refuses_says_not_saved_and_keeps_the_text(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN3, "your-decision"))
    reasons = page.get_by_label("Why is this the right choice for you now?")
    too_long = " ".join(["word"] * 201)  # the limit is 200 words
    reasons.fill(too_long)
    status = save_status(page)
    expect(status).to_have_text(re.compile(
        r"^Your other answers were saved at \d\d:\d\d\. Your answer to “Why is this the "
        r"right choice for you now\?” was not saved: This answer must be 200 words or "
        r"fewer \(it has 201\)\. What you typed there is kept in this tab\.$"),
        timeout=SAVE_WAIT_MS)
    assert_accessible(page)
    # The other (empty) answers were saved; the refused one was not.
    assert stored(live_app, account.email, SCAN3, "your-decision") == (
        1, {"first-choice": "", "back-up-plan": ""})
    expect(reasons).to_have_value(too_long)

    reasons.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")  # one word fewer
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=SAVE_WAIT_MS)
    assert stored(live_app, account.email, SCAN3, "your-decision")[1]["reasons"] == (
        " ".join(["word"] * 200))

def test_signed_out_elsewhere_keeps_the_text_and_saves_after_signing_in_again(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN3, "your-decision"))
    other_tab = page.context.new_page()
    other_tab.goto("/dashboard")
    with navigates(other_tab):
        other_tab.get_by_role("banner").get_by_role("button", name="Sign out").click()

    page.get_by_label("Your first choice").click()
    page.keyboard.type("GP training")
    status = save_status(page)
    expect(status).to_have_text(re.compile(r"^Not saved – you have been signed out\. "),
                                timeout=SAVE_WAIT_MS)
    assert_accessible(page)
    assert stored(live_app, account.email, SCAN3, "your-decision") == (0, {})

    # Signing in again in the other tab starts a new session: this page's security
    # token belongs to the old one, so it fetches a new token and saves.
    sign_in(other_tab, navigates, account)
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=20_000)
    assert stored(live_app, account.email, SCAN3, "your-decision")[1]["first-choice"] == (
        "GP training")
    other_tab.close()

# --------------------------------------------------------- ranking and the skills chart

VALUES = {
    "expertise": "Expertise: becoming highly skilled in a clinical or technical area",
    "leadership": "Leadership: managing people, teams or services",
    "independence": "Independence: freedom to decide how and when you work",
    "security": "Security: stability and a predictable career path",
    "creating": "Creating something new: starting a service, project or business",
    "service": "Service: helping others or working for a cause you believe in",
    "challenge": "Challenge: solving hard problems and testing yourself",
    "lifestyle": "Lifestyle: balancing work with family and life outside work",
}


def test_ranking_moves_are_saved_and_summarised(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture, save_screenshot: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN1, "work-values"))
    ranking = page.locator("[data-ranking]")
    items = ranking.locator("> li")
    expect(items).to_have_count(8)
    expect(items.locator("label")).to_have_text(list(VALUES.values()))
    announcer = page.locator("[data-ranking-status]")

    def move(direction: str, value: str) -> None:
        button = page.get_by_role("button", name=f"Move {direction}: {VALUES[value]}")
        expect(button).to_have_text(f"Move {direction}")  # the visible name starts it
        button.click()
        expect(button).to_be_focused()  # focus stays on the button that was pressed

    # Service to the top, expertise to the bottom; lifestyle up to second.
    for _ in range(5):
        move("up", "service")
    expect(announcer).to_have_text(f"{VALUES['service']} is now number 1 of 8")
    move("up", "service")  # nothing above it
    expect(announcer).to_have_text(f"{VALUES['service']} is already first")
    for _ in range(6):
        move("up", "lifestyle")
    for _ in range(7):
        move("down", "expertise")
    order = ["service", "lifestyle", "leadership", "independence", "security", "creating",
             "challenge", "expertise"]
    expect(items.locator("label")).to_have_text([VALUES[value] for value in order])
    # The numbered selects (what works without JavaScript) follow the order.
    for number, value in enumerate(order, start=1):
        expect(page.get_by_label(VALUES[value], exact=True)).to_have_value(str(number))
    assert_accessible(page)

    # Keyboard too: Enter on a focused Move button moves it again.
    page.get_by_role("button", name=f"Move up: {VALUES['challenge']}").focus()
    page.keyboard.press("Enter")
    order = ["service", "lifestyle", "leadership", "independence", "security", "challenge",
             "creating", "expertise"]
    expect(items.locator("label")).to_have_text([VALUES[value] for value in order])

    expect(save_status(page)).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"),
                                           timeout=SAVE_WAIT_MS)
    wait_until_stored(page, live_app, account.email, SCAN1, "work-values",
                      lambda answers: answers.get("values-ranking") == order)
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))

    # A reload shows the saved order, with the numbers and the buttons.
    page.reload()
    expect(items.locator("label")).to_have_text([VALUES[value] for value in order])
    expect(page.get_by_label(VALUES["service"], exact=True)).to_have_value("1")
    expect(page.get_by_role("button", name=re.compile(r"^Move (up|down): "))).to_have_count(16)
    save_screenshot(page, "ranking.png")

    page.goto(f"/modules/{SCAN1}/summary")
    row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.get_by_text("Put these values in order of importance to you"))
    expect(row.get_by_role("listitem")).to_have_text([VALUES[value] for value in order])


SKILL_RATINGS = {
    "Communicating with patients, families and carers": 4,
    "Working in a team, including with other professions": 5,
    "Clinical reasoning and making decisions": 3,
    "Practical and hands-on skills": 2,
    "Staying calm and effective under pressure": 3,
    "Dealing with uncertainty and complex problems": 1,
    "Organising your workload and managing your time": 4,
    "Leading others and managing people": 2,
    "Teaching, supervising and helping others to learn": 5,
    "Finding, judging and using research evidence": 2,
    "Improving services, for example through audit or quality improvement": 3,
}  # "Using data, IT and digital tools" is left unrated


def test_skills_ratings_show_as_a_chart_with_a_table(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    save_screenshot: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    page.goto(step_url(SCAN1, "skills-audit"))
    for statement, rating in SKILL_RATINGS.items():
        page.get_by_role("group", name=statement, exact=True).get_by_role(
            "radio", name=re.compile(f"^{rating} out of 5")).check()
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"),
                                           timeout=SAVE_WAIT_MS)
    saved = wait_until_stored(page, live_app, account.email, SCAN1, "skills-audit",
                              lambda answers: len(answers.get("skills", {})) == 11)
    assert sorted(saved["skills"].values()) == sorted(SKILL_RATINGS.values())

    page.goto(f"/modules/{SCAN1}/summary")
    chart = page.get_by_role(
        "img", name="Bar chart of your ratings from 1 to 5. The same ratings are in the "
        "table below.")
    expect(chart).to_be_visible()
    assert chart.evaluate("el => el.tagName.toLowerCase()") == "svg"
    bars = chart.locator("rect")
    expect(bars).to_have_count(12)
    widths = [float(width) for width in bars.evaluate_all(
        "rects => rects.map(r => r.getAttribute('width'))")]
    assert widths == [rating * 120 for rating in SKILL_RATINGS.values()] + [0]
    # The same numbers as text, for anyone who cannot see the chart.
    table = page.get_by_role("table", name=re.compile(r"^Your ratings \(1 means no knowledge"))
    expect(table.get_by_role("row")).to_have_count(13)
    expected_rows = [[statement, str(rating)] for statement, rating in SKILL_RATINGS.items()]
    expected_rows.append(["Using data, IT and digital tools", "Not rated"])
    for index, cells in enumerate(expected_rows, start=1):
        expect(table.get_by_role("row").nth(index).get_by_role("cell")).to_have_text(cells)
    save_screenshot(page, "skills-chart.png")
