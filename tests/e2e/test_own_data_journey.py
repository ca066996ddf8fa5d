"""The trainee's own data in a real browser: download everything, read the ZIP's pages,
see who has looked, delete the account, and find the sign-in refused afterwards.

axe runs on every page, the ZIP's own pages (opened from disk) included.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.security import Role
from tests.planning import typical_plan

Fixture = Callable[..., Any]
UNPACKED = "http://unpacked.zip.invalid"


def sign_in(page: Page, navigates: Fixture, email: str, password: str) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Sign in").click()


def wait_until_ready(page: Page, assert_accessible: Fixture) -> None:
    """In the production-shaped stack a worker builds the ZIP while the progress page's
    script asks how far it has got, and comes back to the page once it is ready."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your download is ready",
                                                              timeout=90_000)
    assert_accessible(page)


def test_download_my_data_then_delete_my_account(
    page: Page, navigates: Fixture, assert_accessible: Fixture, create_account: Fixture,
    live_app: Any, tmp_path: Path, save_screenshot: Fixture,
) -> None:
    account = create_account(full_name="Morgan Adeyemi")
    with live_app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.email == account.email)).scalar_one()
    typical_plan(live_app, user_id)
    sign_in(page, navigates, account.email, account.password)

    page.goto("/account/profile")
    with navigates(page):
        page.get_by_role("link", name="Download a copy of everything this service holds "
                                       "about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    with navigates(page):
        page.get_by_role("button", name="Prepare my download").click()
    wait_until_ready(page, assert_accessible)
    save_screenshot(page, "data-export-ready.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ZIP file").click()
    saved = tmp_path / "my-data.zip"
    download.value.save_as(saved)

    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(saved) as archive:
        assert {"data.json", "index.html", "plan.pdf"} <= set(archive.namelist())
        archive.extractall(unpacked)
    # The ZIP's pages as a browser reads them from disk; every other address stays
    # blocked, so they must stand alone (no styles or scripts from elsewhere).
    page.route(f"{UNPACKED}/**", lambda route: route.fulfill(
        path=unpacked / route.request.url.removeprefix(UNPACKED + "/")))
    page.goto(f"{UNPACKED}/index.html")
    main = page.locator("body")
    expect(main).to_contain_text("Morgan Adeyemi")
    with navigates(page):
        page.get_by_role("link", name="SCAN 1: Self awareness").click()
    expect(page.locator("body")).to_contain_text("Communicating with patients")
    assert_accessible(page)

    # Who has seen my information: the download itself is listed.
    page.goto("/account/activity")
    expect(page.get_by_role("main")).to_contain_text("Downloaded a copy of all your information")

    page.goto("/account/profile")
    with navigates(page):
        page.get_by_role("link", name="Delete your account and everything in it").click()
    page.get_by_label("Your password").fill(account.password)
    save_screenshot(page, "delete-account.png")
    with navigates(page):
        page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("main")).to_contain_text("Your account has been deleted")

    sign_in(page, navigates, account.email, account.password)
    expect(page.get_by_role("main")).to_contain_text("Enter a correct email address and password")
    with live_app.app_context():
        assert db.session.get(User, user_id) is None


def test_a_coordinator_confirms_their_password_and_deletes_an_account_on_request(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    asker = create_account(full_name="Ash Asker")
    coordinator = create_account(full_name="Cory Ordinator", roles=(Role.COORDINATOR,))
    with live_app.app_context():
        asker_id = db.session.execute(
            select(User.id).where(User.email == asker.email)).scalar_one()
    sign_in(page, navigates, coordinator.email, coordinator.password)
    # Giving the password again, as after ten minutes, brings the coordinator back.
    page.goto(f"/account/confirm-password?next=/admin/users/{asker_id}/delete")
    page.get_by_label("Password", exact=True).fill(coordinator.password)
    with navigates(page):
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete the account of Ash Asker")
    page.get_by_label("They asked by email").check()
    with navigates(page):
        page.get_by_role("button", name="Delete this account").click()
    expect(page.get_by_role("main")).to_contain_text("The account of Ash Asker has been deleted.")
    with live_app.app_context():
        assert db.session.get(User, asker_id) is None
