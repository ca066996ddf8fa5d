"""Double-clicking "Save and continue" saves once and moves on: never a conflict page.

A double click sends the form twice (or, with an autosave on its way, posts after it),
with the same base version and the same answers. The button's own guard stops the
second click, and the server treats a repeat of the save it has just made as that save.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.content.fields import clean_step
from careers_app.content.schema import FieldSpec, Step
from careers_app.extensions import db
from careers_app.worksheets import service
from tests.e2e.journeys import Fixture, sign_in
from tests.e2e.test_worksheets_journeys import step_url, stored

SCAN1 = "scan-1-self-awareness"
SCAN2 = "scan-2-career-exploration"
SCAN4 = "scan-4-next-steps"
CONFLICT = "These answers were changed in another tab or on another device"
# (module, step, the long answer typed just before the double click): 20 steps.
STEPS = [
    (SCAN1, "why-now", "hopes"),
    (SCAN1, "skills-audit", "top-strengths"),
    (SCAN1, "enjoy-and-drain", "best-moments"),
    (SCAN1, "ways-of-working", "ways-of-working-reflection"),
    (SCAN1, "work-values", "values-reflection"),
    (SCAN1, "circumstances", "circumstances-detail"),
    (SCAN1, "summary", "self-summary"),
    (SCAN2, "where-to-start", "what-to-look-for"),
    (SCAN2, "long-list", "nearly-left-off"),
    (SCAN2, "what-to-find-out", "deal-breakers"),
    (SCAN2, "desk-research", "criteria-gaps"),
    (SCAN2, "talk-to-people", "questions"),
    (SCAN2, "try-it-out", "taster-questions"),
    (SCAN2, "what-you-found", "surprises"),
    (SCAN2, "shortlist", "back-up-reasons"),
    (SCAN4, "start-from-your-decision", "goal"),
    (SCAN4, "action-plan", "obstacles"),
    (SCAN4, "contingency", "back-up-plan"),
    (SCAN4, "careers-appointment", "appointment-focus"),
    (SCAN4, "review", "signs-of-progress"),
]
A_DATE = {"day": "1", "month": "6", "year": "2030"}


def complete_answer(spec: FieldSpec) -> Any:
    """An answer that passes the full check, for the fields not typed in the browser."""
    kind = spec.type
    rows = max(1, spec.min_rows)
    return {
        "short_text": "Filled in earlier",
        "long_text": "Filled in earlier",
        "choice": spec.options[0].value if spec.options else "",
        "multi_choice": {"selected": [spec.options[0].value] if spec.options else [],
                         "other": ""},
        "scale": {statement.value: 3 for statement in spec.statements},
        "ranking": [option.value for option in spec.options],
        "list": [{column.id: f"Row {i + 1}" for column in spec.columns} for i in range(rows)],
        "action_table": [{"action": f"Action {i + 1}", "measure": "Done", "support": "Coach",
                          "target": A_DATE} for i in range(rows)],
        "date": A_DATE,
    }[kind]


def prefill(live_app: Any, user_id: int, slug: str, step: Step, typed: str) -> None:
    """Store complete answers for every field but the one the test types in."""
    module = live_app.extensions["modules"].get(slug)
    answers = {spec.id: complete_answer(spec) for spec in step.fields if spec.id != typed}
    assert not clean_step(step, {**answers, typed: "x"}, strict=True).errors
    with live_app.app_context():
        assert service.save_step(user_id, module, step, answers, 0).status == "saved"


def test_double_clicking_save_and_continue_on_20_steps_never_shows_a_conflict(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    assert_accessible: Fixture,
) -> None:
    account = create_account()
    sign_in(page, navigates, account)
    with live_app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.email == account.email)).scalar_one()
    registry = live_app.extensions["modules"]

    # Each request takes 150 ms longer, as over a hospital network: the first post is
    # on its way when the second click comes.
    page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 150, "downloadThroughput": -1, "uploadThroughput": -1})
    conflicts, not_advanced = [], []
    for number, (slug, step_id, typed) in enumerate(STEPS, start=1):
        module = registry.get(slug)
        step = module.step(step_id)
        prefill(live_app, user_id, slug, step, typed)
        following = module.steps[module.steps.index(step) + 1:]
        next_url = step_url(slug, following[0].id) if following else f"/modules/{slug}/summary"
        page.goto(step_url(slug, step_id))

        text = f"Answer {number}, typed and sent at once"
        page.locator(f"#{typed}").click()
        # Some fields start from an earlier answer (SCAN 4's back-up from SCAN 3's, and
        # that from SCAN 2's): type over it.
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(text)
        if number % 2:
            # Half the time the autosave has already stored the text when the
            # button is pressed; half the time it is still on its way.
            expect(page.locator("[data-save-status]")).to_have_text(
                re.compile(r"^Saved at"), timeout=10_000)
        button = page.get_by_role("button", name="Save and continue", exact=True)
        # Two clicks 150 ms apart, as a person's double click.
        with page.expect_event("load"):
            button.dblclick(delay=150)
        # A second post, if one went, lands shortly after the first.
        page.wait_for_timeout(600)
        page.wait_for_load_state("load")
        if CONFLICT in page.content():
            conflicts.append(step_id)
        elif not page.url.endswith(next_url):
            not_advanced.append((step_id, page.url))
        version, answers = stored(live_app, account.email, slug, step_id)
        assert answers[typed] == text, f"{step_id}: {answers[typed]!r}"
        with live_app.app_context():
            row = service.find_answer(user_id, slug, step_id)
            assert row.completed, f"{step_id} was not marked done"
        assert_accessible(page)

    assert conflicts == [], f"{len(conflicts)} conflict pages in {len(STEPS)}: {conflicts}"
    assert not_advanced == []
    expect(page).to_have_url(f"/modules/{SCAN4}/summary")
