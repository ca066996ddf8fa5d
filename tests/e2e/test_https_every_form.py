"""The forms the other journeys leave out, each sent through its real page over HTTPS.

Five journeys, by role: a trainee changes their details and password; a trainee keeps
their action plan up to date and stops sharing it; a trainee goes back to an earlier
version of a worksheet step; a coordinator makes someone a coach, who moves an
appointment and closes a case while another trainee withdraws; a facilitator changes,
trims and archives a workshop while a member shows their answers, then leaves.

Every form is filled in and sent with clicks and the keyboard, as a person would, and
is followed by what the person then sees (the message, the changed list, the new
status). What the other journeys already do through the browser (answers, applications,
a share, a workshop and its members) is arranged through the services instead.

In a ``--stack`` run these posts go through nginx to the production instances, and
test_post_routes_over_https.py finds each route in nginx's log. axe runs on every page
these tests visit (see conftest.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from careers_app.accounts.eligibility import REGIONS, TRAINING_STAGES
from careers_app.accounts.models import User
from careers_app.clock import UK, uk_to_utc
from careers_app.coaching import service as coaching
from careers_app.coaching.models import CoachingApplication
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.plans import sharing
from careers_app.plans.models import ShareMode
from careers_app.reading.preferences import ReadingPreferences
from careers_app.reading.service import save_preferences
from careers_app.security import Role
from careers_app.worksheets import service as worksheets
from careers_app.workshops import service as workshops
from tests.e2e.journeys import sign_in, sign_out

Fixture = Callable[..., Any]

SCAN1 = "scan-1-self-awareness"
SCAN4 = "scan-4-next-steps"
SCAN1_TITLE = "SCAN 1: Self awareness"
SCAN2_TITLE = "SCAN 2: Career exploration"


# --------------------------------------------------------------------------- helpers


def the_user(email: str) -> User:
    """The account with this email (inside an app context)."""
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def user_id(live_app: Any, email: str) -> int:
    with live_app.app_context():
        return the_user(email).id


def save_answers(live_app: Any, email: str, slug: str, step_id: str,
                 answers: dict[str, Any]) -> None:
    """Save one step through the worksheet service, as "Save and continue" would."""
    with live_app.app_context():
        user = the_user(email)
        module = live_app.extensions["modules"].get(slug)
        current = worksheets.find_answer(user.id, slug, step_id)
        outcome = worksheets.save_step(user.id, module, module.step(step_id), answers,
                                       current.version if current else 0, confirm=True)
        assert outcome.status == "saved", (step_id, outcome.errors)


def date_parts(day: dt.date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def uk_day(days_ahead: int) -> dt.date:
    return (dt.datetime.now(UK) + dt.timedelta(days=days_ahead)).date()


def fill_date(group: Locator, day: dt.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def hidden_suffix(visible: str, hidden: str) -> re.Pattern[str]:
    """The accessible name of a link or button whose text ends in a visually hidden part
    (Chromium may put a space between the two)."""
    return re.compile(rf"^{re.escape(visible)}\s*{re.escape(hidden)}$")


def open_from_header(page: Page, navigates: Fixture, name: str) -> None:
    with navigates(page):
        page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()


# ------------------------------------------------------------- a trainee's own account


def test_trainee_changes_their_details_and_then_their_password(
    page: Page, navigates: Fixture, create_account: Fixture,
) -> None:
    trainee = create_account(full_name="Robin Ellis")
    new_password = "a lantern on the towpath at dusk"
    main = page.get_by_role("main")
    sign_in(page, navigates, trainee)

    # Robin opens their profile from their name in the header.
    open_from_header(page, navigates, "Robin Ellis")
    expect(page).to_have_url("/account/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    # They use a new surname now, and have moved to higher training in Kent, Surrey and Sussex.
    page.get_by_label("Full name").fill("Robin Okafor")
    where = page.get_by_role("group", name="Where do you train?")
    where.get_by_role("radio", name=REGIONS["kss"]).check()
    page.get_by_label("Training stage").select_option(label=TRAINING_STAGES["higher"])
    with navigates(page):
        main.get_by_role("button", name="Save details").click()
    expect(page).to_have_url("/account/profile")
    expect(main).to_contain_text("Your details have been saved.")
    expect(page.get_by_label("Full name")).to_have_value("Robin Okafor")
    expect(where.get_by_role("radio", name=REGIONS["kss"])).to_be_checked()
    expect(page.get_by_label("Training stage")).to_have_value("higher")
    expect(page.get_by_role("banner").get_by_role("link", name="Robin Okafor")).to_be_visible()

    # Then a new password, sent with Enter from the last box.
    page.get_by_label("Current password").fill(trainee.password)
    new_box = page.get_by_label("New password", exact=True)
    new_box.fill(new_password)
    with navigates(page):
        new_box.press("Enter")
    expect(page).to_have_url("/account/profile")
    expect(main).to_contain_text(
        "Your password has been changed. Other devices have been signed out.")
    sign_out(page, navigates)

    # The old password no longer works; the new one does.
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(trainee.email)
    page.get_by_label("Password", exact=True).fill(trainee.password)
    with navigates(page):
        main.get_by_role("button", name="Sign in").click()
    expect(main).to_contain_text("Enter a correct email address and password")
    sign_in(page, navigates, dataclasses.replace(trainee, password=new_password))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Robin Okafor")


# ------------------------------------------------------------------- the action plan


FIRST = "Ask two registrars about the cardiology rota"
SECOND = "Book a taster week in cardiology"
OWN = "Find a mentor in the cardiology department"
AIM = "A cardiologist in a London teaching hospital who teaches juniors."


def test_trainee_keeps_their_plan_up_to_date_and_stops_sharing_it(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    trainee = create_account(full_name="Alex Trainee")
    coach = create_account(full_name="Sam Coach", roles=(Role.COACH,))
    # Two actions written in SCAN 4, and the plan shared with Sam (as the plans journey does).
    save_answers(live_app, trainee.email, SCAN4, "action-plan", {"actions": [
        {"action": FIRST, "measure": "Two conversations noted", "support": "",
         "target": date_parts(uk_day(30))},
        {"action": SECOND, "measure": "The week is in my diary", "support": "My supervisor",
         "target": date_parts(uk_day(60))},
    ]})
    with live_app.app_context():
        sharing.create_share(the_user(trainee.email), the_user(coach.email), ShareMode.LIVE,
                             uk_day(30), live_app.extensions["modules"])
    main = page.get_by_role("main")
    actions = main.get_by_role("list", name="Actions")
    sign_in(page, navigates, trainee)
    open_from_header(page, navigates, "My action plan")

    # Alex writes their career aim in a paragraph.
    expect(main).to_contain_text("You have not written this yet.")
    with navigates(page):
        main.get_by_role("link", name="Write your career aim in a paragraph").click()
    expect(page).to_have_url("/plan/summary")
    page.get_by_label("Your career aim in a paragraph").fill(AIM)
    with navigates(page):
        main.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url("/plan/#summary")
    expect(main).to_contain_text("Your summary has been saved.")
    expect(main.get_by_text(AIM)).to_be_visible()

    # The two SCAN 4 actions are not tracked yet: Alex tracks them to give them a status.
    expect(main).to_contain_text("2 actions from your worksheets are not tracked yet.")
    expect(actions.get_by_text("Not tracked on your plan yet")).to_have_count(2)
    with navigates(page):
        main.get_by_role("button", name="Track these actions on my plan").click()
    expect(main).to_contain_text(
        "2 actions from your worksheets are now on your plan, ready for a status.")
    expect(actions.get_by_text("Not started", exact=True)).to_have_count(2)
    expect(main.get_by_role("button", name="Track these actions on my plan")).to_have_count(0)

    # Alex adds an action of their own, due in six weeks.
    with navigates(page):
        main.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    page.get_by_label("Action", exact=True).fill(OWN)
    page.get_by_label("How you will know it is done").fill("We have met twice")
    page.get_by_label("Support or resources you need").fill("An introduction from my supervisor")
    fill_date(page.get_by_role("group", name="Target date"), uk_day(42))
    with navigates(page):
        main.get_by_role("button", name="Save action").click()
    expect(page).to_have_url("/plan/#actions")
    expect(main).to_contain_text("The action has been added to your plan.")
    expect(actions.get_by_role("heading")).to_have_text([FIRST, SECOND, OWN])
    expect(actions.locator(".app-action").last).to_contain_text(long_date(uk_day(42)))

    # It matters more than the taster week: Alex moves it up, with the keyboard.
    with navigates(page):
        main.get_by_role("button", name=f"Move up the action “{OWN}”").press("Enter")
    expect(page).to_have_url(re.compile(r"/plan/#action-\d+$"))
    expect(actions.get_by_role("heading")).to_have_text([FIRST, OWN, SECOND])

    # The first action is under way.
    with navigates(page):
        main.get_by_role("link", name=f"Change the action “{FIRST}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change an action")
    expect(page.get_by_label("Action", exact=True)).to_have_value(FIRST)
    page.get_by_role("group", name="Status").get_by_role("radio", name="In progress").check()
    with navigates(page):
        main.get_by_role("button", name="Save action").click()
    expect(main).to_contain_text("The action has been updated.")
    first_card = actions.locator(".app-action").filter(
        has=page.get_by_role("heading", name=FIRST, exact=True))
    expect(first_card.locator(".nhsuk-tag")).to_have_text("In progress")

    # A mentor is found another way after all: Alex deletes that action.
    with navigates(page):
        main.get_by_role("link", name=f"Delete the action “{OWN}”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this action?")
    expect(main).to_contain_text(OWN)
    with navigates(page):
        main.get_by_role("button", name="Delete action").click()
    expect(main).to_contain_text("The action has been deleted from your plan.")
    expect(actions.get_by_role("heading")).to_have_text([FIRST, SECOND])

    # Sam no longer needs to see the plan: Alex stops sharing it.
    with navigates(page):
        main.get_by_role("link", name="Share your plan with a coach").click()
    expect(page).to_have_url("/plan/shares/")
    row = main.get_by_role("table", name="Who you have shared your plan with").get_by_role(
        "row").filter(has_text="Sam Coach")
    expect(row.locator(".nhsuk-tag")).to_have_text("Shared")
    with navigates(page):
        row.get_by_role("button", name="Stop sharing with Sam Coach").click()
    expect(page).to_have_url("/plan/shares/")
    expect(main).to_contain_text("Sam Coach can no longer see your plan.")
    expect(row.locator(".nhsuk-tag")).to_have_text("Stopped")
    expect(row.get_by_role("button")).to_have_count(0)


# ------------------------------------------------------------- an earlier step version


def test_trainee_goes_back_to_an_earlier_version_of_a_step(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    trainee = create_account(full_name="Kim Trainee")
    before = "A GP who knows every family on the list."
    after = "A hospital doctor, probably."
    learned = "I like long relationships with patients and teaching students."
    # Kim answered the step, then rewrote the headline less well.
    save_answers(live_app, trainee.email, SCAN1, "summary",
                 {"headline": before, "self-summary": learned})
    save_answers(live_app, trainee.email, SCAN1, "summary", {"headline": after})
    step_url = f"/modules/{SCAN1}/steps/summary"
    headline = "In one sentence, what kind of clinician do you want to be?"
    main = page.get_by_role("main")
    sign_in(page, navigates, trainee)
    page.goto(step_url)
    expect(page.get_by_label(headline)).to_have_value(after)

    # Kim looks at the earlier versions and uses the first one again.
    with navigates(page):
        main.get_by_role("link", name="See earlier versions of this step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        'Earlier versions of "What you have learned about yourself"')
    expect(main.get_by_role("heading", name="Version 2 (your current answers)")).to_be_visible()
    first = main.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name="Version 1", exact=True))
    expect(first).to_contain_text(before)
    with navigates(page):
        first.get_by_role("button", name="Use this version (version 1)").click()
    expect(page).to_have_url(step_url)
    expect(main).to_contain_text("That version is now your current answer.")
    expect(page.get_by_label(headline)).to_have_value(before)
    expect(page.get_by_label("What have you learned about yourself?")).to_have_value(learned)

    # The list of versions now has the restored answers as the current, third version.
    with navigates(page):
        main.get_by_role("link", name="See earlier versions of this step").click()
    current = main.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name="Version 3 (your current answers)"))
    expect(current).to_contain_text(before)


# --------------------------------------------------------------------------- coaching


def submitted_application(live_app: Any, email: str, hopes: str) -> int:
    """A complete application sent through the coaching service; its id."""
    with live_app.app_context():
        trainee = the_user(email)
        draft = coaching.start_or_resume(trainee)
        coaching.save_answers(draft, coaching.ApplicationAnswers(
            professional_group="doctor_dentist", region="london",
            training_number="LDN/R1A/012/ST3/001", workforce_scheme="",
            current_post="ST3 in paediatrics", stage="core", hopes=hopes,
            preferred_format="video", availability="Tuesday afternoons", consent=True))
        coaching.submit(draft, trainee)
        return draft.id


def test_coordinator_makes_a_coach_who_moves_and_closes_while_a_trainee_withdraws(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    emails_to: Fixture,
) -> None:
    coordinator = create_account(full_name="Chris Coordinator", roles=(Role.COORDINATOR,))
    coach = create_account(full_name="Sam Coach")  # not a coach yet
    alex = create_account(full_name="Alex Trainee")
    jamie = create_account(full_name="Jamie Trainee")
    alex_application = submitted_application(live_app, alex.email, "Choose a specialty.")
    jamie_application = submitted_application(live_app, jamie.email, "Prepare to apply.")
    main = page.get_by_role("main")

    # -- The coordinator gives Sam the coach role, then allocates Alex to Sam. -----------
    sign_in(page, navigates, coordinator)
    open_from_header(page, navigates, "Users and roles")
    search = page.get_by_label("Search by name or email")
    search.fill(coach.email)
    with navigates(page):
        search.press("Enter")
    row = main.get_by_role("table", name="Accounts and their roles").get_by_role(
        "row").filter(has_text=coach.email)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Trainee", use_inner_text=True)
    with navigates(page):
        row.get_by_role("link", name="Change roles for Sam Coach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles for Sam Coach")
    page.get_by_role("group", name="Roles").get_by_role("checkbox", name="Coach").check()
    with navigates(page):
        main.get_by_role("button", name="Save roles").click()
    expect(page).to_have_url("/admin/users")
    expect(main).to_contain_text("Roles for Sam Coach have been saved.")
    search.fill(coach.email)
    with navigates(page):
        search.press("Enter")
    expect(row.get_by_role("cell").nth(2)).to_have_text("Coach, Trainee", use_inner_text=True)

    open_from_header(page, navigates, "Coaching queue")
    with navigates(page):
        main.locator(f'a[href="/coaching/queue/{alex_application}"]').click()
    coach_select = page.get_by_label("Coach", exact=True)
    # By the account's id: other tests of the run may have their own "Sam Coach".
    coach_select.select_option(value=str(user_id(live_app, coach.email)))
    expect(coach_select.locator("option:checked")).to_have_text(
        f"Sam Coach, {coach.email} (0 open cases)")
    with navigates(page):
        main.get_by_role("button", name="Allocate").click()
    expect(main).to_contain_text("Allocated to Sam Coach.")
    sign_out(page, navigates)

    # Sam books Alex in five days at 10:00 (the coaching journey books through the page),
    # and Jamie is allocated to Sam too. (Inside a coaching request: the emails sent use
    # the coaching pages' template labels.)
    booked_day, moved_day = uk_day(5), uk_day(6)
    with live_app.test_request_context("/coaching/caseload"):
        sam = the_user(coach.email)
        alex_case = db.session.get(CoachingApplication, alex_application)
        coaching.book(alex_case, sam, uk_to_utc(booked_day, dt.time(10, 0)), 60, "video",
                      "https://video.example.org/room-7", utcnow())
        coaching.allocate(db.session.get(CoachingApplication, jamie_application), sam,
                          the_user(coordinator.email))
    booked = f"{long_date(booked_day)} at 10:00"
    moved = f"{long_date(moved_day)} at 11:30"
    # Alex reads with the dark scheme at the largest text: the emails Alex is sent carry
    # an HTML part in those colours beside the text (careers_app/email_html.py).
    with live_app.app_context():
        save_preferences(the_user(alex.email),
                         ReadingPreferences(text_size="largest", colours="dark"))

    # -- Sam moves Alex's appointment to the next day at 11:30. ------------------------
    sign_in(page, navigates, coach)
    open_from_header(page, navigates, "My caseload")
    clients = main.get_by_role("table", name="Your clients")
    with navigates(page):
        clients.get_by_role("link", name="Alex Trainee").click()
    expect(main.get_by_role("heading", name=booked, exact=True)).to_be_visible()
    with navigates(page):
        main.get_by_role("link", name=hidden_suffix("Move it", f": {booked}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the appointment")
    fill_date(page.get_by_role("group", name="New date"), moved_day)
    page.get_by_label("New start time").fill("11:30")
    with navigates(page):
        main.get_by_role("button", name="Move appointment").click()
    expect(page).to_have_url(f"/coaching/caseload/{alex_application}#appointments")
    expect(main).to_contain_text(
        "The appointment has moved. The trainee has been sent the new time.")
    expect(main.get_by_role("heading", name=moved, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name=booked, exact=True)).to_have_count(0)
    changed = [m for m in emails_to(alex.email)
               if m["Subject"] == "Careers coaching appointment changed"]
    assert len(changed) == 1, [m["Subject"] for m in emails_to(alex.email)]
    assert f"When: {moved} (UK time)" in changed[0].get_body(("plain",)).get_content()
    # As the SMTP sink kept it in a --stack run: text and HTML, and the calendar file.
    alternative, calendar = changed[0].iter_parts()
    assert [part.get_content_type() for part in alternative.iter_parts()] == [
        "text/plain", "text/html"]
    assert calendar.get_filename() == "appointment.ics"
    html = changed[0].get_body(("html",)).get_content()
    assert "background-color:#151b20" in html and "font-size:28.5px" in html
    assert f"When: {moved} (UK time)" in html

    # -- Jamie's coaching is finished: Sam closes the case. ----------------------------
    open_from_header(page, navigates, "My caseload")
    with navigates(page):
        clients.get_by_role("link", name="Jamie Trainee").click()
    with navigates(page):
        main.get_by_role("button", name="Close this case").click()
    expect(page).to_have_url("/coaching/caseload")
    expect(main).to_contain_text("Jamie Trainee's coaching is closed.")
    expect(clients.get_by_role("link")).to_have_text(["Alex Trainee"])
    sign_out(page, navigates)

    # -- Alex sees the new time, then withdraws from coaching. -------------------------
    sign_in(page, navigates, alex)
    open_from_header(page, navigates, "1-2-1 coaching")
    expect(page).to_have_url(f"/coaching/applications/{alex_application}")
    appointment = main.locator(".app-action")
    expect(appointment.get_by_role("heading")).to_have_text(moved)
    with navigates(page):
        main.get_by_role("button", name="Withdraw my application").click()
    expect(page).to_have_url(f"/coaching/applications/{alex_application}")
    expect(main).to_contain_text(
        "Your application is withdrawn. You can apply again at any time.")
    status = main.locator(".nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^\s*Status\s*$"))).locator("dd")
    expect(status).to_have_text("Withdrawn")
    expect(appointment).to_contain_text("Cancelled by coach")
    expect(main.get_by_role("button", name="Withdraw my application")).to_have_count(0)


# -------------------------------------------------------------------------- workshops


TITLE = "Career planning with SCAN for core trainees"
NEW_TITLE = "SCAN for core trainees: the autumn group"
HEADLINE = "A paediatrician who still does research."


def test_facilitator_changes_trims_and_archives_a_workshop_a_member_shows_then_leaves(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
) -> None:
    facilitator = create_account(full_name="Fran Facilitator", roles=(Role.FACILITATOR,))
    member = create_account(full_name="Mo Member")
    # A workshop in two weeks with SCAN 1 due a week before and SCAN 2 a week after; Mo
    # has joined and written a SCAN 1 headline (the workshops journey does this in pages).
    with live_app.app_context():
        workshop = workshops.create(the_user(facilitator.email), workshops.WorkshopDetails(
            TITLE, uk_to_utc(uk_day(14), dt.time(18, 30)), "online", ""))
        workshops.assign(workshop, SCAN1, None, -7)
        workshops.assign(workshop, "scan-2-career-exploration", None, 7)
        workshops.join(workshop, the_user(member.email))
        workshop_url = f"/workshops/{workshop.id}"
    save_answers(live_app, member.email, SCAN1, "summary", {"headline": HEADLINE})
    main = page.get_by_role("main")

    # -- Mo shows their SCAN 1 answers to the facilitator from the dashboard. ---------
    sign_in(page, navigates, member)
    expect(main.get_by_role("heading", name=TITLE)).to_be_visible()
    with navigates(page):
        main.get_by_role(
            "button", name=f"Show my answers to the facilitator for {SCAN1_TITLE}").click()
    expect(page).to_have_url("/dashboard#workshops")
    expect(main).to_contain_text("Your facilitator can now read your answers to this module.")
    expect(main.get_by_role(
        "button", name=f"Stop showing my answers for {SCAN1_TITLE}")).to_be_visible()
    sign_out(page, navigates)

    # -- Fran reads them, then changes the workshop's title, date and time. -----------
    sign_in(page, navigates, facilitator)
    open_from_header(page, navigates, "Workshops")
    with navigates(page):
        main.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(workshop_url)
    with navigates(page):
        main.get_by_role("link", name="Answers shown to you by Mo Member").click()
    expect(main).to_contain_text(HEADLINE)
    page.go_back()

    with navigates(page):
        main.get_by_role("link", name="Change the workshop’s details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the workshop")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_label("Title").fill(NEW_TITLE)
    fill_date(page.get_by_role("group", name="Date", exact=True), uk_day(21))
    page.get_by_label("Start time").fill("18:00")
    page.get_by_role("group", name="Format").get_by_role("radio", name="In person").check()
    with navigates(page):
        main.get_by_role("button", name="Save workshop").click()
    expect(page).to_have_url(workshop_url)
    expect(main).to_contain_text("The workshop is updated.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(main.locator(".nhsuk-caption-l")).to_have_text(
        f"In person, {long_date(uk_day(21))} at 18:00")

    # -- SCAN 2 is dropped from the workshop. ------------------------------------------
    assigned = main.get_by_role("heading", name="Assigned modules").locator(
        "xpath=following-sibling::ul[1]")
    expect(assigned.get_by_role("listitem")).to_have_count(2)
    with navigates(page):
        main.get_by_role("button", name=f"Remove {SCAN2_TITLE}").click()
    expect(page).to_have_url(workshop_url)
    expect(main).to_contain_text("The module is no longer assigned.")
    expect(assigned.get_by_role("listitem")).to_have_count(1)
    expect(assigned).to_contain_text(SCAN1_TITLE)
    expect(assigned).not_to_contain_text(SCAN2_TITLE)
    sign_out(page, navigates)

    # -- Mo sees the new title and only SCAN 1, then leaves the workshop. -------------
    sign_in(page, navigates, member)
    expect(main.get_by_role("heading", name=NEW_TITLE)).to_be_visible()
    expect(main.locator(".app-assigned").get_by_role("listitem")).to_have_count(1)
    with navigates(page):
        main.get_by_role("button", name=hidden_suffix("Leave this workshop",
                                                      f": {NEW_TITLE}")).click()
    expect(page).to_have_url("/dashboard#workshops")
    expect(main).to_contain_text(
        f"You have left “{NEW_TITLE}”. Its facilitator no longer sees your progress.")
    expect(main.get_by_role("heading", name="Modules set by your workshops")).to_have_count(0)
    sign_out(page, navigates)

    # -- The workshop is over: Fran archives it. ---------------------------------------
    sign_in(page, navigates, facilitator)
    open_from_header(page, navigates, "Workshops")
    with navigates(page):
        main.get_by_role("link", name=NEW_TITLE).click()
    expect(main).to_contain_text("Nobody has joined yet.")
    with navigates(page):
        main.get_by_role("button", name="Archive this workshop").click()
    expect(page).to_have_url("/workshops/")
    expect(main).to_contain_text("The workshop is archived: its code no longer works.")
    row = main.get_by_role("table", name="Your workshops").get_by_role("row").filter(
        has_text=NEW_TITLE)
    expect(row.locator(".nhsuk-tag")).to_have_text("Archived")
    expect(row.get_by_role("cell").last).to_have_text("–", use_inner_text=True)


pytestmark = pytest.mark.stack
