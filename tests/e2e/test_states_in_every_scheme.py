"""Every state a page can be in, in every colour scheme at the largest text size.

Other browser tests check the pages they pass through in the standard scheme. Here each
colour scheme the reading preferences offer is chosen on /account/reading before
signing in (the form writes the signed-out copy; signing in moves it to the account),
with the largest text, and axe (with the reflow and text-spacing checks, conftest.py)
runs on:

- a trainee's empty dashboard and plan, "Preparing your PDF…" and the same page once
  the PDF could not be made, a worksheet step posted with an error, the profile form
  posted with an error, the autosave's "Offline" and conflict states, the
  session-timeout warning, the "signed out" dialog after it and the autosave's "Not
  saved – you have been signed out";
- a coach with no clients, a facilitator with no workshops and the workshop form
  posted empty, the coordinator's empty queue, the queue with an application waiting
  too long, its review with the allocation posted with no coach chosen, and the
  admin's list of people.

Each state also gets the 320 px, 200 % and text-spacing checks at the largest size,
which is how a select wider than a phone screen (the coordinator's list of coaches, in
error) and the queue's grey secondary text on the dark page were found.

The module runs on a database of its own (``module_live_app``), so the coordinator's
queue, which every coaching test writes to, is empty. In a ``--stack`` run there is one
database, and the queue is checked as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select, update

from careers_app.accounts.models import User
from careers_app.coaching import service as coaching
from careers_app.coaching.models import ApplicationStatus, CoachingApplication
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.plans import rendering, service
from careers_app.plans.models import PdfRender, RenderStatus
from careers_app.reading.preferences import COLOUR_SCHEMES, TEXT_SIZES
from careers_app.security import Role
from tests.e2e.journeys import sign_in

Fixture = Callable[..., Any]

SCHEMES = [value for value, _label in COLOUR_SCHEMES]
SCHEME_LABELS = dict(COLOUR_SCHEMES)
LARGEST_VALUE, LARGEST_LABEL = TEXT_SIZES[-1]
SAVE_WAIT_MS = 10_000  # a save on leaving the field, with room for a slow machine
SCAN3 = "/modules/scan-3-arriving-at-a-decision/steps"


@pytest.fixture(scope="module")
def live_app(module_live_app):  # type: ignore[no-untyped-def]
    return module_live_app


@pytest.fixture(scope="module")
def live_url(module_live_url: str) -> str:
    return module_live_url


# --------------------------------------------------------------------------- helpers


def read_in(page: Page, navigates: Fixture, scheme: str) -> None:
    """Choose the scheme and the largest text on the form, before signing in."""
    page.goto("/account/reading")
    main = page.get_by_role("main")
    main.get_by_role("group", name="Text size").get_by_label(LARGEST_LABEL, exact=True).check()
    main.get_by_role("group", name="Colours").get_by_label(
        SCHEME_LABELS[scheme], exact=True).check()
    with navigates(page):
        main.get_by_role("button", name="Save reading preferences").click()
    expect(page.get_by_text("Your reading preferences have been saved.")).to_be_visible()
    shows_in(page, scheme)


def shows_in(page: Page, scheme: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("data-reading-colours", scheme)
    expect(html).to_have_attribute("data-reading-text-size", LARGEST_VALUE)


def queue_a_render_of_the_plan(live_app: Any, email: str) -> None:
    """A render of the plan as it is now, queued and not yet taken by any worker: what
    a trainee who asks for the PDF waits on. (No job is enqueued, so it stays queued.)"""
    with live_app.app_context():
        owner = db.session.execute(select(User).where(User.email == email)).scalar_one()
        digest = service.assemble(owner, live_app.extensions["modules"]).hash
        db.session.add(PdfRender(key=rendering.plan_key(owner.id, digest), user_id=owner.id,
                                 content_hash=digest))
        db.session.commit()


def fail_the_render(live_app: Any, email: str) -> None:
    """The trainee's render ran out of time on every attempt."""
    with live_app.app_context():
        owner_id = db.session.execute(select(User.id).where(User.email == email)).scalar_one()
        db.session.execute(update(PdfRender).where(PdfRender.user_id == owner_id).values(
            status=RenderStatus.FAILED, failure="timeout", attempts=2, finished_at=utcnow()))
        db.session.commit()


def applications_waiting(live_app: Any) -> int:
    with live_app.app_context():
        return db.session.execute(
            select(func.count()).select_from(CoachingApplication)
            .where(CoachingApplication.status == ApplicationStatus.SUBMITTED)).scalar_one()


def application_waiting_since(live_app: Any, email: str, *, days: int) -> None:
    """The trainee's application for coaching, sent ``days`` days ago."""
    with live_app.app_context():
        applicant = db.session.execute(select(User).where(User.email == email)).scalar_one()
        application = coaching.start_or_resume(applicant)
        coaching.save_answers(application, coaching.ApplicationAnswers(
            professional_group="doctor_dentist", region="london",
            training_number="LDN/ABC/1234567/D", workforce_scheme="",
            current_post="ST3 in paediatrics", stage="core",
            hopes="Decide between paediatrics and general practice",
            preferred_format="video", availability="Tuesday afternoons", consent=True))
        assert coaching.submission_problems(application) == {}
        coaching.submit(application, applicant)
        application.submitted_at = utcnow() - dt.timedelta(days=days)
        db.session.commit()


def save_status(page: Page) -> Any:
    return page.locator("[data-save-status]")


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_new_trainees_states_in_each_scheme(
        page: Page, navigates: Fixture, assert_accessible: Fixture, create_account: Fixture,
        live_app: Any, scheme: str) -> None:
    account = create_account(full_name="Nia Newstart")
    read_in(page, navigates, scheme)
    sign_in(page, navigates, account)  # the account takes the choice made before
    shows_in(page, scheme)
    main = page.get_by_role("main")

    # Empty: the dashboard of someone who has written nothing, and their plan.
    expect(main).to_contain_text("Your next SCAN stage is")
    expect(main.get_by_role("heading", name="Carry on where you left off")).to_have_count(0)
    page.goto("/plan/")
    expect(main).to_contain_text("Your plan is empty for now.")

    # "Preparing your PDF…", as the page stands while a worker has yet to start.
    queue_a_render_of_the_plan(live_app, account.email)
    page.goto("/plan/pdf/preparing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your PDF…")
    expect(main.get_by_role("status")).to_have_text("Waiting to start")
    # And the same page once the render has failed (the plan was too long): the page
    # sees it on its next look at the status and reloads itself to say so.
    with navigates(page):
        fail_the_render(live_app, account.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF could not be made")
    expect(main.locator(".nhsuk-card--warning")).to_contain_text("too long to turn into a PDF")

    # Errors: an account form and a worksheet step, posted with something missing.
    page.goto("/account/profile")
    main.get_by_label("Full name").fill("")
    with navigates(page):
        main.get_by_role("button", name="Save details").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter your full name")).to_be_visible()
    page.goto(f"{SCAN3}/decision-style")
    with navigates(page):
        main.get_by_role("button", name="Save and continue", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link", name="Choose an option")).to_be_visible()

    # Offline: typing is kept in the tab, and the status says so.
    page.goto(f"{SCAN3}/your-decision")
    page.context.set_offline(True)
    page.get_by_label("Your back-up plan").fill("A clinical fellow post.")
    expect(save_status(page)).to_have_text("Offline – kept in this tab")
    assert_accessible(page)
    page.context.set_offline(False)
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at"), timeout=SAVE_WAIT_MS)

    # Conflict: a second tab, still on the version before, saves the same step.
    step = f"{SCAN3}/gut-and-reality-check"
    label = "What is your honest reaction to the result?"
    behind = page.context.new_page()
    behind.goto(step)
    page.goto(step)
    page.get_by_label(label).fill("A text")
    page.keyboard.press("Tab")  # leaving the field saves it
    expect(save_status(page)).to_have_text(re.compile(r"^Saved at"), timeout=SAVE_WAIT_MS)
    behind.get_by_label(label).fill("B text")
    behind.keyboard.press("Tab")
    panel = behind.locator("[data-conflict]")
    expect(panel).to_be_visible(timeout=SAVE_WAIT_MS)
    expect(save_status(behind)).to_have_text(re.compile(r"^Conflict – "))
    assert_accessible(behind)
    behind.close()

    # The warning two minutes before the idle limit, then the dialog once it has passed
    # (the session ended meanwhile: its cookie is gone), on a step with text not yet
    # saved; then the autosave's own message on that step. The page's clock moves on.
    page.clock.install()
    page.goto(f"{SCAN3}/your-decision")
    page.clock.fast_forward("28:15")
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    page.context.clear_cookies()
    page.clock.fast_forward("02:00")
    ended = page.get_by_role("dialog", name="You have been signed out")
    expect(ended).to_be_visible()
    expect(ended.get_by_role("link", name="Sign in again")).to_be_focused()
    expect(ended).to_contain_text("kept in this browser tab")
    assert_accessible(page)
    ended.get_by_role("button", name="Close and stay on this page").click()
    expect(ended).to_be_hidden()
    page.get_by_label("Your back-up plan").fill("Written after the session ended.")
    expect(save_status(page).get_by_role("alert")).to_contain_text(
        "Not saved – you have been signed out", timeout=SAVE_WAIT_MS)
    assert_accessible(page)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_coach_facilitator_coordinator_and_admin_pages_in_each_scheme(
        page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
        scheme: str) -> None:
    account = create_account(full_name="Sam Staffer",
                             roles=(Role.COACH, Role.FACILITATOR, Role.COORDINATOR))
    read_in(page, navigates, scheme)
    sign_in(page, navigates, account)
    shows_in(page, scheme)
    main = page.get_by_role("main")
    summary = page.locator(".nhsuk-error-summary")

    # Empty: a coach with no clients, a facilitator with no workshops, and the queue.
    page.goto("/coaching/caseload")
    expect(main).to_contain_text("You have no clients at the moment.")
    page.goto("/workshops/")
    expect(main).to_contain_text("You have no workshops yet.")
    waiting = applications_waiting(live_app)  # none, but in a --stack run's shared database
    page.goto("/coaching/queue")
    if waiting:
        expect(main.get_by_role("row")).to_have_count(waiting + 1)
    else:
        expect(main).to_contain_text("No application is waiting.")

    # A facilitator's form posted with nothing in it.
    page.goto("/workshops/new")
    with navigates(page):
        main.get_by_role("button", name="Save workshop").click()
    expect(summary.get_by_role("link", name="Enter a title")).to_be_visible()

    # The queue with an application waiting past the reply time (a red tag), the
    # coordinator's review of it posted with no coach chosen, then declined: the queue
    # is as it was.
    applicant = create_account(full_name=f"Ari Applicant {scheme}")
    application_waiting_since(live_app, applicant.email, days=20)
    page.goto("/coaching/queue")
    row = main.get_by_role("row").filter(has_text=applicant.full_name)
    expect(row).to_contain_text("Over 14 days")
    with navigates(page):
        row.get_by_role("link", name=applicant.full_name).click()
    with navigates(page):
        main.get_by_role("button", name="Allocate").click()
    expect(summary.get_by_role("link", name="Choose a coach")).to_be_visible()
    main.get_by_label("Reason the trainee will read").fill(
        "Our coaches are fully booked this term: your educational supervisor can help.")
    with navigates(page):
        main.get_by_role("button", name="Decline the application").click()
    expect(main.get_by_role("row").filter(has_text=applicant.full_name)).to_have_count(0)

    # An admin page: the list of people, searched.
    page.goto(f"/admin/users?q={account.email}")
    expect(main.get_by_role("link", name="Change roles for Sam Staffer")).to_be_visible()
