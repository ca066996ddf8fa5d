"""Reminder choices in a real browser: the profile's checkboxes and the unsubscribe page,
with CSRF protection on and axe checking every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.reminders.kinds import Kind
from careers_app.reminders.models import ReminderOptOut
from careers_app.reminders.tokens import make_token
from tests.e2e.journeys import sign_in

Fixture = Callable[..., Any]


def stopped_kinds(live_app: Any, email: str) -> set[str]:
    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        return set(db.session.execute(select(ReminderOptOut.kind).where(
            ReminderOptOut.user_id == user.id)).scalars())


def test_untick_a_reminder_on_the_profile_page(page: Page, navigates: Fixture,
                                               create_account: Fixture, live_app: Any) -> None:
    account = create_account(full_name="Priya Shah")
    sign_in(page, navigates, account)
    page.goto("/account/profile")
    monday = page.get_by_label("Email me on Monday mornings", exact=False)
    expect(monday).to_be_checked()
    monday.uncheck()
    with navigates(page):
        page.get_by_role("button", name="Save reminder choices").click()
    expect(page.get_by_text("Your reminder choices have been saved.")).to_be_visible()
    expect(page.get_by_label("Email me on Monday mornings", exact=False)).not_to_be_checked()
    expect(page.get_by_label("Email me the day before a careers coaching appointment")
           ).to_be_checked()
    assert stopped_kinds(live_app, account.email) == {"actions"}


def test_stop_emails_from_the_link_without_signing_in(page: Page, navigates: Fixture,
                                                      create_account: Fixture,
                                                      live_app: Any) -> None:
    account = create_account(full_name="Sam Reader")
    with live_app.app_context():
        user = db.session.execute(select(User).where(User.email == account.email)).scalar_one()
        token = make_token(user.id, Kind.APPOINTMENT)
    page.goto(f"/reminders/unsubscribe/{token}")
    expect(page.get_by_role("heading", name="Stop these emails?")).to_be_visible()
    assert stopped_kinds(live_app, account.email) == set()
    with navigates(page):
        page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", name="Emails stopped")).to_be_visible()
    assert stopped_kinds(live_app, account.email) == {"appointment"}
    page.goto(f"/reminders/unsubscribe/{token[:-3]}xyz")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
