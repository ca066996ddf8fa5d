"""The action plan in a real browser, from worksheet answers to a coach's comment.

A trainee's SCAN 1 and SCAN 4 answers become "My action plan"; the trainee downloads
it as a PDF and shares it with a coach; the coach reads it and comments on the SMART
actions; the trainee sees the comment and that the coach looked.

axe runs on every page this test visits (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.security import Role
from careers_app.worksheets import service
from tests.e2e.journeys import download_pdf, save_pdf_page_image, sign_in, sign_out

Fixture = Callable[..., Any]

SCAN1 = "scan-1-self-awareness"
SCAN4 = "scan-4-next-steps"

ACTION = "Book a taster week in cardiology"
MEASURE = "The week is in my diary"
SUPPORT = "My educational supervisor"
SELF_SUMMARY = "I am happiest explaining heart conditions to worried patients."
TOP_STRENGTHS = "Explaining risks to patients in plain words."
COMMENT = "Ask the cardiology registrar which week has the most clinics."


# --------------------------------------------------------------------------- helpers


def date_parts(day: dt.date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def seed_module(live_app: Any, email: str, slug: str, answers: dict[str, dict[str, Any]],
                *, complete: bool) -> None:
    """Save each step's answers through the real worksheet service, as "Save and
    continue" would (the same checks as the browser's form), then complete the module."""
    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        module = live_app.extensions["modules"].get(slug)
        for step_id, step_answers in answers.items():
            current = service.find_answer(user.id, slug, step_id)
            outcome = service.save_step(user.id, module, module.step(step_id), step_answers,
                                        current.version if current else 0, confirm=True)
            assert outcome.status == "saved", (step_id, outcome.errors)
            assert not outcome.incomplete, (step_id, outcome.incomplete)
        if complete:
            assert service.complete_module(user.id, module), f"{slug} is not complete"


def scan_1_answers() -> dict[str, dict[str, Any]]:
    """Every step of SCAN 1, required answers and more."""
    return {
        "why-now": {"current-role": "F2 doctor", "prompt": "choosing-next-post",
                    "hopes": "A clearer idea of which specialty suits me."},
        "skills-audit": {
            "skills": {"communication": 5, "team-working": 4, "clinical-reasoning": 4,
                       "practical-skills": 3, "under-pressure": 4, "uncertainty": 3,
                       "organisation": 3, "leadership": 2, "teaching": 4, "research": 2,
                       "improvement": 3, "digital": 3},
            "top-strengths": TOP_STRENGTHS,
        },
        "enjoy-and-drain": {
            "enjoy": {"selected": ["patient-contact", "acute-care", "problem-solving"],
                      "other": ""},
            "best-moments": "Talking a patient through their echo results.",
            "drains": "Long stretches of discharge letters.",
            "coping": "A run after work.",
        },
        "ways-of-working": {
            "preferences": {"with-people": 5, "on-my-own": 2, "variety": 4, "routine": 2,
                            "acute": 4, "long-term": 3, "hands-on": 4, "thinking": 4,
                            "large-team": 3, "small-team": 4, "fast-pace": 4,
                            "steady-pace": 2},
            "ways-of-working-reflection": "A busy specialty with procedures suits me.",
        },
        "work-values": {
            "values-cards": {"selected": ["compassion", "learning"], "other": ""},
            "values-ranking": ["expertise", "service", "challenge", "lifestyle", "leadership",
                               "independence", "security", "creating"],
            "values-reflection": "Expertise and service come first for me.",
        },
        "circumstances": {
            "constraints": {"selected": ["location"], "other": ""},
            "circumstances-detail": "I want to stay in London.",
            "work-life-priorities": "Time for my family.",
        },
        "feedback": {"feedback-received": [
            {"who": "My supervisor", "what-they-said": "You calm anxious relatives.",
             "what-you-make-of-it": "Communication is a strength."},
        ]},
        "summary": {
            "headline": "A cardiologist who explains things well.",
            "self-summary": SELF_SUMMARY,
            "questions-to-explore": "What the cardiology rota is like.",
        },
    }


def scan_4_answers_but_the_actions(today: dt.date) -> dict[str, dict[str, Any]]:
    """Every step of SCAN 4 except "Plan your actions", which the test fills in."""
    return {
        "start-from-your-decision": {
            "first-choice": "Cardiology training", "how-settled": "mostly-settled",
            "goal": "Start cardiology training in 18 months.",
        },
        "what-it-takes": {
            "readiness": {"entry-criteria": 4, "evidence": 3, "commitment": 3,
                          "application": 2, "selection": 2, "referees": 4},
            "gaps": [{"criterion": "Commitment to specialty", "evidence-now": "One audit",
                      "how-to-close": "A taster week"}],
        },
        "timeline": {
            "key-dates": [{"what": "Applications open", "when": "November",
                           "where-to-check": "Oriel"}],
            "next-closing-date": date_parts(today + dt.timedelta(days=120)),
        },
        "support": {
            "supporters": {"selected": ["supervisor", "careers-coach"], "other": ""},
            "support-people": [{"who": "Dr Patel", "help": "A reference",
                                "by-when": "Next month"}],
        },
        "contingency": {
            "back-up-plan": "Internal medicine training.",
            "switch-trigger": "No offer after two rounds.",
            "decide-by": date_parts(today + dt.timedelta(days=400)),
            "helps-both": "Echo experience.",
        },
        "careers-appointment": {
            "book-now": "yes-later", "appointment-focus": "How to show commitment.",
            "book-by": date_parts(today + dt.timedelta(days=30)),
        },
        "review": {
            "review-date": date_parts(today + dt.timedelta(days=90)),
            "signs-of-progress": "The taster week is booked.",
        },
    }


# ---------------------------------------------------------------------------- journey


def test_plan_from_answers_to_pdf_share_and_a_coachs_comment(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    save_screenshot: Fixture, tmp_path: Path, assert_accessible: Fixture,
) -> None:
    trainee = create_account(full_name="Alex Trainee")
    coach = create_account(full_name="Sam Coach", roles=(Role.COACH,))
    today = dt.date.today()
    target = today + dt.timedelta(days=60)

    # SCAN 1 and most of SCAN 4, saved through the worksheet service; then the actions
    # step in the browser, and SCAN 4 completed from its "Check your answers" page.
    seed_module(live_app, trainee.email, SCAN1, scan_1_answers(), complete=True)
    seed_module(live_app, trainee.email, SCAN4, scan_4_answers_but_the_actions(today),
                complete=False)
    sign_in(page, navigates, trainee)
    page.goto(f"/modules/{SCAN4}/steps/action-plan")
    action_1 = page.get_by_role("group", name="Action 1", exact=True)
    action_1.get_by_label("Action", exact=True).fill(ACTION)
    action_1.get_by_label("How I will know it is done").fill(MEASURE)
    action_1.get_by_label("Support or resources").fill(SUPPORT)
    target_date = action_1.get_by_role("group", name="Target date")
    target_date.get_by_label("Day").fill(str(target.day))
    target_date.get_by_label("Month").fill(str(target.month))
    target_date.get_by_label("Year").fill(str(target.year))
    main = page.get_by_role("main")
    with navigates(page):
        main.get_by_role("button", name="Save and continue", exact=True).click()
    expect(page).to_have_url(f"/modules/{SCAN4}/steps/support")
    page.goto(f"/modules/{SCAN4}/summary")
    expect(main.get_by_text("Not finished")).to_have_count(0)
    with navigates(page):
        main.get_by_role("button", name="Complete this module").click()
    expect(page).to_have_url(f"/modules/{SCAN4}/complete")

    # The plan shows the action and the strengths named in SCAN 1; the self-summary is
    # in "Everything I wrote", not on the plan.
    page.goto("/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My action plan")
    actions = main.get_by_role("list", name="Actions")
    expect(actions.get_by_role("heading", name=ACTION)).to_be_visible()
    expect(actions).to_contain_text(MEASURE)
    expect(main.get_by_text(TOP_STRENGTHS)).to_be_visible()
    expect(main.get_by_text(SELF_SUMMARY)).to_have_count(0)

    # The PDF: a real PDF with the action in its text.
    download = download_pdf(page, main.get_by_role("link", name="Download your plan as a PDF"),
                            assert_accessible)
    pdf_path = tmp_path / "plan.pdf"
    download.save_as(pdf_path)
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    content = pdf_path.read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(content)).pages)
    assert ACTION in " ".join(text.split()), text[:2000]
    save_pdf_page_image(pdf_path, "plan-pdf-page-1")

    # Share a copy with the coach.
    with navigates(page):
        main.get_by_role("link", name="Share your plan with a coach").click()
    expect(page).to_have_url("/plan/shares/")
    with navigates(page):
        main.get_by_role("link", name="Share with a coach").click()
    expect(page).to_have_url("/plan/shares/new")
    page.get_by_label("Your coach's email address or full name").fill(coach.email)
    page.get_by_role("group", name="What should your coach see?").get_by_role(
        "radio", name=re.compile(r"^A copy of your plan as it is now")).check()
    expiry = page.get_by_role("group", name="Stop sharing after")
    for part in ("Day", "Month", "Year"):  # prefilled with a date in the future
        expect(expiry.get_by_label(part)).not_to_have_value("")
    with navigates(page):
        main.get_by_role("button", name="Share my plan").click()
    expect(page).to_have_url("/plan/shares/")
    expect(main).to_contain_text("Your plan is shared with Sam Coach until the end of")
    shared_row = main.get_by_role("table", name="Who you have shared your plan with").get_by_role(
        "row").filter(has_text="Sam Coach")
    expect(shared_row).to_contain_text("Not viewed yet")
    sign_out(page, navigates)

    # The coach opens the plan from "Shared with me" and comments on the actions.
    sign_in(page, navigates, coach)
    with navigates(page):
        page.get_by_role("banner").get_by_role("link", name="Shared with me").click()
    expect(page).to_have_url("/shared-with-me/")
    with navigates(page):
        main.get_by_role("link", name="Alex Trainee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Trainee’s action plan")
    expect(main.get_by_role("list", name="Actions").get_by_role(
        "heading", name=ACTION)).to_be_visible()
    expect(main.get_by_role("link", name="Download this plan as a PDF")).to_be_visible()
    save_screenshot(page, "shared-plan-coach.png")
    page.get_by_label("Which part of the plan is your comment about?").select_option(
        label="SMART actions")
    page.get_by_label("Comment", exact=True).fill(COMMENT)
    with navigates(page):
        main.get_by_role("button", name="Add comment").click()
    expect(main).to_contain_text("Your comment has been added.")
    expect(main.locator(".app-comment").filter(has_text=COMMENT)).to_contain_text(
        "Comment from Sam Coach")
    sign_out(page, navigates)

    # The trainee sees the comment under the SMART actions, and that the coach looked.
    sign_in(page, navigates, trainee)
    page.goto("/plan/")
    comment = main.locator(".app-comment").filter(has_text=COMMENT)
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text("Comment from Sam Coach")
    section = comment.locator("xpath=preceding::h2[1]")
    expect(section).to_have_text("SMART actions")
    expect(page.get_by_role("navigation", name="Parts of your plan")).to_contain_text(
        "SMART actions (1 comment)")
    save_screenshot(page, "plan.png")
    page.goto("/plan/shares/")
    shared_row = main.get_by_role("row").filter(has_text="Sam Coach")
    expect(shared_row).to_contain_text(re.compile(r"Viewed by Sam Coach on \S"))
