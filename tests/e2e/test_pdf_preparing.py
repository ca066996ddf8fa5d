"""A plan's PDF made by a real worker while the trainee waits on "Preparing your PDF…".

The in-process server's queue is switched from immediate mode to a SQLite queue file
for these tests, and a real worker process (``flask jobs worker``) is started on the
server's own database once the waiting page is showing, so the page is seen before the
PDF exists. With JavaScript the page follows the render and the download starts by
itself; without it, the person checks again and the ready page starts the download.
"""

from __future__ import annotations

import contextlib
import io
import re
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.jobs import huey, init_jobs
from careers_app.plans.models import PdfRender
from tests.e2e import long_answers
from tests.e2e.journeys import sign_in
from tests.planning import answer
from tests.queue_worker import free_port, start_worker, stop, worker_environment

pytestmark = pytest.mark.in_process_server  # it swaps the server's queue for a real one

NAME = "Priya Longplan"


@pytest.fixture
def real_queue(live_app, tmp_path):  # type: ignore[no-untyped-def]
    """The live server enqueues into a SQLite queue file; ``start()`` starts a worker on
    the server's database (stopped, and immediate mode restored, after the test)."""
    before = {key: live_app.config[key] for key in ("QUEUE_IMMEDIATE", "QUEUE_URL")}
    queue_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    live_app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL=queue_url)
    init_jobs(live_app)
    started = []

    def start():  # type: ignore[no-untyped-def]
        env = {**worker_environment(live_app.config["SQLALCHEMY_DATABASE_URI"], queue_url,
                                    free_port()),
               "PDF_PRERENDER_DELAY": "3600"}
        started.append(start_worker(env, tmp_path / "worker.log"))

    try:
        yield start
    finally:
        for process in started:
            stop(process)
        live_app.config.update(before)
        init_jobs(live_app)
        assert huey.immediate


def trainee_who_answered(live_app, create_account, modules):  # type: ignore[no-untyped-def]
    """A new trainee who answered every step of ``modules`` at length."""
    account = create_account(full_name=NAME)
    with live_app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.email == account.email)).scalar_one()
    today = uk_today()
    for module in modules:
        for step_id, answers in long_answers.long_answers(module, today).items():
            answer(live_app, user_id, module.slug, step_id, answers)
    return account, user_id


@pytest.fixture
def trainee_with_a_long_plan(live_app, create_account):  # type: ignore[no-untyped-def]
    """A trainee who answered all of SCAN at length (a plan of a few pages)."""
    return trainee_who_answered(live_app, create_account, [
        module for module in live_app.extensions["modules"] if module.slug.startswith("scan-")])


@pytest.fixture
def trainee_who_wrote_everything(live_app, create_account):  # type: ignore[no-untyped-def]
    """A trainee who answered every module at length: with everything they wrote as an
    appendix, a PDF of about 80 pages that takes about 3 seconds to render."""
    return trainee_who_answered(live_app, create_account, live_app.extensions["modules"])


def render_status(live_app, user_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with live_app.app_context():
        found = db.session.execute(
            select(PdfRender.status).where(PdfRender.user_id == user_id)
            .order_by(PdfRender.id.desc())).scalars().first()
        db.session.rollback()
        return found


def assert_the_plan_pdf(path, appendix: bool = False) -> None:  # type: ignore[no-untyped-def]
    content = path.read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join((p.extract_text() or "") for p in pages).split())
    assert ("Appendix: everything I wrote" in text) is appendix
    if appendix:
        assert len(pages) >= 40, len(pages)
    assert NAME in text
    assert "I keep coming back to the conversations I have with families" in text


def test_the_download_arrives_by_itself_after_the_preparing_page(
        page, navigates, assert_accessible, real_queue, trainee_who_wrote_everything, tmp_path):
    account, _user_id = trainee_who_wrote_everything
    sign_in(page, navigates, account)
    page.goto("/plan/")
    main = page.get_by_role("main")
    # With everything written as an appendix, the render lasts several of the page's
    # one-second polls, so the page is seen while the PDF is being made; a short plan
    # can go from waiting to ready between two polls.
    with navigates(page):
        main.get_by_role("link", name="Download your plan with everything you wrote").click()
    expect(page).to_have_url("/plan/pdf/preparing?appendix=yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your PDF…")
    status = main.get_by_role("status")
    progress = main.get_by_role("progressbar", name="Progress")
    expect(status).to_have_text("Waiting to start")
    expect(progress).to_have_attribute("value", "1")

    with page.expect_download(timeout=90_000) as download_info:
        real_queue()  # a worker starts and takes the job
        expect(status).to_have_text("Being made", timeout=60_000)
    expect(status).to_have_text("Ready")
    expect(progress).to_have_attribute("value", "3")
    assert_accessible(page)  # the page as it ends, after the script changed it
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "plan.pdf"
    download.save_as(path)
    assert_the_plan_pdf(path, appendix=True)


def checked_without_javascript(page, checker, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    """axe on what a browser without JavaScript shows. axe itself needs JavaScript, so the
    document is put into a page that has it, at the same address so its stylesheets load.
    The immediate refresh to the download in <head> is left out: it would start the
    download there too (axe accepts a refresh without delay anyway)."""
    html = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", page.content())
    checker.goto(page.url.split("/plan/")[0] + "/")
    checker.set_content(html)
    assert_accessible(checker)


@contextlib.contextmanager
def loads(page):  # type: ignore[no-untyped-def]
    with page.expect_event("load"):
        yield


def test_without_javascript_the_person_checks_again_and_the_ready_page_downloads(
        browser, live_url, live_app, assert_accessible, real_queue, trainee_with_a_long_plan,
        tmp_path):
    account, user_id = trainee_with_a_long_plan
    options = {"base_url": live_url, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(java_script_enabled=False, **options)
    checking = browser.new_context(**options)
    for each in (context, checking):
        each.set_default_timeout(10_000)
    try:
        page, checker = context.new_page(), checking.new_page()
        page.goto("/account/sign-in")
        page.get_by_label("Email address").fill(account.email)
        page.get_by_label("Password", exact=True).fill(account.password)
        with loads(page):
            page.get_by_role("main").get_by_role("button", name="Sign in").click()
        page.goto("/plan/")
        main = page.get_by_role("main")
        with loads(page):
            main.get_by_role("link", name="Download your plan as a PDF").click()
        expect(page).to_have_url("/plan/pdf/preparing")
        expect(main.get_by_role("status")).to_have_text("Waiting to start")
        expect(main.get_by_text("when your browser is not running JavaScript")).to_be_visible()
        checked_without_javascript(page, checker, assert_accessible)

        real_queue()
        deadline = time.monotonic() + 60
        while render_status(live_app, user_id) != "ready":
            assert time.monotonic() < deadline, "the worker did not make the PDF"
            time.sleep(0.2)
        with page.expect_download(timeout=30_000) as download_info, loads(page):
            main.get_by_role("link", name="Check if your PDF is ready").click()
        expect(main.get_by_role("status")).to_have_text("Ready")
        expect(main.get_by_role("link", name="Download your PDF")).to_be_visible()
        checked_without_javascript(page, checker, assert_accessible)
        path = tmp_path / "plan.pdf"
        download_info.value.save_as(path)
        assert_the_plan_pdf(path)
    finally:
        context.close()
        checking.close()
