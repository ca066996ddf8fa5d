"""Steps that several browser journeys take: signing in and out through the real pages."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Download, Page, expect

SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

Fixture = Callable[..., Any]


def sign_in(page: Page, navigates: Fixture, account: Any) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    with navigates(page):
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/dashboard")


def sign_out(page: Page, navigates: Fixture) -> None:
    with navigates(page):
        page.get_by_role("banner").get_by_role("button", name="Sign out").click()


def download_pdf(page: Page, link: Any, assert_accessible: Fixture) -> Download:
    """Click a link to a PDF and wait for the file. When the PDF is made already it
    downloads at once. When a worker has still to make it (the production-shaped stack),
    the "Preparing your PDF" page comes first and starts the download by itself; that
    page is then checked with axe, as it was when the file arrived, and the person goes
    back to the page they started from (as the waiting page's back link does)."""
    started_at = page.url
    with page.expect_download(timeout=60_000) as download_info:
        link.click()
    if "/preparing" in page.url:
        assert_accessible(page)
        page.goto(started_at)
    return download_info.value


def save_pdf_page_image(pdf_path: Path, name: str) -> None:
    """The PDF's first page as docs/screenshots/<name>.png, when screenshots are asked
    for (SCREENSHOTS=1, like the ``save_screenshot`` fixture) and pdftoppm is installed.
    Never fails the test: the picture is documentation, not a check."""
    pdftoppm = shutil.which("pdftoppm")
    if os.environ.get("SCREENSHOTS", "") != "1" or pdftoppm is None:
        return
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [pdftoppm, "-f", "1", "-l", "1", "-r", "80", "-png", "-singlefile",
         str(pdf_path), str(SCREENSHOTS_DIR / name)],
        check=False, timeout=60, capture_output=True,
    )
