"""Account journeys in a real browser: register, sign out, sign in (also by keyboard),
the error states, the public pages and the NHS.UK styling.

axe runs on every page these tests visit (see conftest.py): ``page.goto`` checks
the page it lands on, and every action that loads a new page is written inside
``with navigates(page):``, which checks the new page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, REGIONS, TRAINING_STAGES

PASSWORD = "correct horse battery staple"
NHS_BLUE = "rgb(0, 94, 184)"
PUBLIC_PAGES = ["/", "/eligibility", "/support", "/accessibility", "/privacy"]


Fixture = Callable[..., Any]


def unique_email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.org"


def focused(page: Page) -> str:
    """A short description of the focused element, for assertion messages."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "body";
          const name = el.getAttribute("aria-label") || el.innerText || el.value || "";
          return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${name.trim()}`;
        }"""
    )


def sign_in_with_form(page: Page, navigates: Fixture, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Sign in").click()


def test_register_sign_out_and_sign_in_again(
    page: Page, navigates: Fixture, save_screenshot: Fixture, emails_to: Fixture
) -> None:
    name = "Priya Shah"
    email = unique_email("priya")

    page.goto("/")
    with navigates(page):
        # A link styled as a button (role="button"), as the NHS.UK start button is.
        page.get_by_role("button", name="Create an account to start").first.click()
    expect(page).to_have_url("/account/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")

    page.get_by_label("Full name").fill(name)
    page.get_by_role("group", name="Which group are you in?").get_by_label(
        PROFESSIONAL_GROUPS["doctor_dentist"]
    ).check()
    page.get_by_role("group", name="Where do you train?").get_by_label(
        REGIONS["london"], exact=True
    ).check()
    page.get_by_label("Training stage").select_option(label=TRAINING_STAGES["core"])
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    with navigates(page):
        page.get_by_role("button", name="Create account").click()

    # The same page whether or not the address had an account; the email differs.
    expect(page).to_have_url("/account/register/check-your-email")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(f"We have sent an email to {email}")
    (message,) = emails_to(email)
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", message.get_content())
    assert link, message.get_content()
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish creating your account")
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    with navigates(page):
        page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url("/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")
    expect(page.get_by_text("Your account has been created.")).to_be_visible()

    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=name)).to_be_visible()
    with navigates(page):
        header.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_have_count(0)

    # Signed out means signed out: the dashboard now asks to sign in.
    page.goto("/dashboard")
    expect(page).to_have_url("/account/sign-in?next=%2Fdashboard")

    page.goto("/")
    with navigates(page):
        header.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in_with_form(page, navigates, email, PASSWORD)

    expect(page).to_have_url("/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")


def test_sign_in_with_the_keyboard_only(
    page: Page, navigates: Fixture, create_account: Fixture
) -> None:
    account = create_account(full_name="Kemi Adeyemi")
    keyboard = page.keyboard
    page.goto("/")

    # From the top of the page: skip link, then the service logo, then "Sign in".
    skip_link = page.get_by_role("link", name="Skip to main content")
    home_link = page.get_by_role("banner").get_by_role("link", name="homepage")
    sign_in_link = page.get_by_role("banner").get_by_role("link", name="Sign in")
    keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    keyboard.press("Tab")
    expect(home_link).to_be_focused()
    keyboard.press("Tab")
    expect(sign_in_link).to_be_focused()
    keyboard.press("Shift+Tab")
    expect(home_link).to_be_focused()
    keyboard.press("Tab")
    expect(sign_in_link).to_be_focused()

    with navigates(page):
        keyboard.press("Enter")
    expect(page).to_have_url("/account/sign-in")

    # The skip link jumps past the header to the main content, then into the form.
    keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    keyboard.press("Enter")
    expect(page.locator("#maincontent")).to_be_focused()
    keyboard.press("Tab")
    email = page.get_by_label("Email address")
    expect(email).to_be_focused()
    keyboard.type(account.email)
    keyboard.press("Tab")
    password = page.get_by_label("Password", exact=True)
    expect(password).to_be_focused()
    keyboard.type(account.password)

    # Past the password's Show button to the Sign in button; Shift+Tab steps back.
    show = page.get_by_role("button", name="Show password")
    submit = page.get_by_role("main").get_by_role("button", name="Sign in")
    keyboard.press("Tab")
    expect(show).to_be_focused()
    keyboard.press("Tab")
    expect(submit).to_be_focused()
    keyboard.press("Shift+Tab")
    expect(show).to_be_focused()
    keyboard.press("Tab")
    expect(submit, f"focus is on {focused(page)}").to_be_focused()
    expect(password).to_have_attribute("type", "password")  # typed, never revealed

    with navigates(page):
        keyboard.press("Enter")
    expect(page).to_have_url("/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {account.full_name}")


def test_failed_sign_in_shows_a_focused_error_summary(
    page: Page, navigates: Fixture, create_account: Fixture
) -> None:
    account = create_account()
    page.goto("/account/sign-in")
    # The axe check inside navigates() covers the error state.
    sign_in_with_form(page, navigates, account.email, "not the right password")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    error_link = summary.get_by_role("link", name="Enter a correct email address and password")
    expect(error_link).to_have_attribute("href", "#email")
    expect(page.get_by_label("Email address")).to_have_value(account.email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page).to_have_title("Sign in – Plan your NHS career – NHS")

    # The error link takes focus to the field in error.
    error_link.click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_register_errors_keep_what_was_typed(
    page: Page, navigates: Fixture, save_screenshot: Fixture
) -> None:
    page.goto("/account/register")
    page.get_by_label("Full name").fill("Tom Okafor")
    with navigates(page):  # axe runs on the page with its errors
        page.get_by_role("button", name="Create account").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Select your professional group",
            "Select where you train",
            "Select your training stage",
            "Enter your email address",
            "Enter a password",
        ]
    )
    expect(page.get_by_label("Full name")).to_have_value("Tom Okafor")
    expect(page.locator(".nhsuk-error-message")).to_have_count(5)
    save_screenshot(page, "register-errors.png")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(page: Page, path: str, save_screenshot: Fixture) -> None:
    response = page.goto(path)  # axe runs here
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if path == "/":
        save_screenshot(page, "home.png")


def test_nhsuk_stylesheet_is_served_and_applied(page: Page) -> None:
    with page.expect_response(lambda r: r.url.endswith("/nhsuk-frontend.min.css")) as css:
        page.goto("/")
    response = css.value
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0].strip() == "text/css"
    header = page.locator(".nhsuk-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == NHS_BLUE
    # The design system's JavaScript started too (it marks the body when it runs).
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))
