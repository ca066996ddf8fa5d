"""An F2 doctor applies for coaching in a real browser, with no training number.

The stage given at registration is filled in; the training number is asked only of
those who have one, so it disappears for a foundation doctor and comes back for a core
trainee. axe runs on every page this test visits (see conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, TRAINING_STAGES
from careers_app.accounts.models import User
from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from tests.e2e.journeys import sign_in

Fixture = Callable[..., Any]


def test_an_f2_doctor_applies_without_a_training_number(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
        assert_accessible: Fixture) -> None:
    doctor = create_account(full_name="Priya F2")
    with live_app.app_context():
        db.session.execute(update(User).where(User.email == doctor.email)
                           .values(training_stage="foundation"))
        db.session.commit()
    sign_in(page, navigates, doctor)
    with navigates(page):
        page.goto("/coaching/apply")
    main = page.get_by_role("main")
    expect(page.get_by_role("group", name="Your professional group").get_by_role(
        "radio", name=PROFESSIONAL_GROUPS["doctor_dentist"])).to_be_checked()
    stage = page.get_by_label("Your stage")
    expect(stage).to_have_value("foundation")
    number = page.get_by_label("Training number", exact=True)
    expect(number).to_be_hidden()
    expect(page.get_by_label("Workforce scheme", exact=True)).to_be_hidden()
    # A core trainee has a Dean's reference number: the question comes back.
    stage.select_option(label=TRAINING_STAGES["core"])
    expect(number).to_be_visible()
    assert_accessible(page)
    stage.select_option(label=TRAINING_STAGES["foundation"])
    expect(number).to_be_hidden()

    page.get_by_label("Your current post").fill("F2 in emergency medicine, Croydon")
    page.get_by_label("What would you like from coaching?").fill(
        "Choose between general practice and emergency medicine")
    page.get_by_role("group", name="How would you like to meet?").get_by_role(
        "radio", name="Video call").check()
    page.get_by_label("When are you usually free?").fill("Wednesday mornings")
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the coaching")).check()
    with navigates(page):
        main.get_by_role("button", name="Send application").click()
    expect(main.get_by_role("heading", name="Application sent")).to_be_visible()
    with live_app.app_context():
        sent = db.session.execute(select(CoachingApplication).join(
            User, User.id == CoachingApplication.user_id).where(
            User.email == doctor.email)).scalar_one()
        assert (sent.status, sent.stage, sent.training_number) == (
            "submitted", "foundation", "")
