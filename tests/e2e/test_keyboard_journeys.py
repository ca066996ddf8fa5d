"""Every staff role's main journey with the keyboard only, in a real browser.

A coach, a facilitator and a coordinator each do their work pressing only Tab,
Shift+Tab, Enter, Space and the arrow keys, and typing into the field that has focus:
no clicks, no filling or checking by locator. At every stop the focus must be seen:
the focused element (for a radio or a checkbox, the circle or box the NHS.UK design
system draws in its label) has an outline or a box shadow.

The data each journey starts from (accounts, a shared plan, applications) is arranged
through the live app's own services. axe runs on every page visited (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import UK, uk_today
from careers_app.coaching import service as coaching
from careers_app.extensions import db
from careers_app.plans import sharing
from careers_app.plans.models import ShareMode
from careers_app.security import Role
from careers_app.workshops import service as workshops
from careers_app.workshops.models import Workshop
from tests.planning import typical_plan
from tests.workshop_steps import SCAN1, write_markers

Fixture = Callable[..., Any]

SCAN1_TITLE = "SCAN 1: Self awareness"
SCAN2_TITLE = "SCAN 2: Career exploration"
COMMENT = "A clear aim: book the taster week before your next rotation."
DECLINE_REASON = "Coaching here is for trainees in London; your deanery runs its own scheme."
VIDEO_LINK = "https://video.example.org/room-7"

# The element that has focus, in a few words, and whether its focus can be seen: it has
# an outline or a box shadow (a transparent outline does not count: NHS.UK adds one
# only for Windows high contrast). A radio or checkbox input is drawn by its label (the
# ::before circle or box), so the label, its ::before and the item wrapping them count.
# An indicator the element has anyway (an NHS.UK button's shadow) is not one: once
# focus has moved on, the element the last stop was on must look different from how
# it looked with focus, so ``unchanged`` names a stop whose focus showed nothing new.
_FOCUS_SCRIPT = r"""() => {
  const FOCUS_YELLOW = "rgb(255, 235, 59)";  // NHS.UK's focus colour, #ffeb3b
  const el = document.activeElement;
  const transparent = (colour) => colour === "transparent" || /,\s*0\)$/.test(colour);
  const outline = (style) =>
    style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !transparent(style.outlineColor)
      ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : "none";
  const looks = (target) => {
    const label = target.labels && target.labels.length ? target.labels[0] : null;
    const styles = [getComputedStyle(target)];
    if ((target.type === "radio" || target.type === "checkbox") && label) {
      styles.push(getComputedStyle(label, "::before"), getComputedStyle(label));
      if (target.parentElement) styles.push(getComputedStyle(target.parentElement));
    }
    return styles.map((style) => ({
      boxShadow: style.boxShadow, outline: outline(style),
      backgroundColor: style.backgroundColor, borderColor: style.borderColor,
    }));
  };
  const last = window.__keyboardLastStop;
  let unchanged = null;
  if (last && last.el !== el && last.el.isConnected
      && JSON.stringify(looks(last.el)) === JSON.stringify(last.looks)) {
    unchanged = last.stop;
  }
  window.__keyboardLastStop = null;
  if (!el || el === document.body || el === document.documentElement) {
    return {stop: "(outside the page)", inPage: false, visible: false, unchanged};
  }
  const words = (text) => (text || "").replace(/\s+/g, " ").trim().slice(0, 70);
  const label = el.labels && el.labels.length ? el.labels[0] : null;
  const name = words(el.getAttribute("aria-label") || (label && label.innerText)
                     || el.innerText || el.value);
  const stop = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
               + `${el.type ? "[" + el.type + "]" : ""} "${name}"`;
  const shows = (look) => look.boxShadow !== "none" || look.outline !== "none";
  const focusedLooks = looks(el);
  window.__keyboardLastStop = {el, stop, looks: focusedLooks};
  return {stop, inPage: true, visible: focusedLooks.some(shows), unchanged,
          yellow: JSON.stringify(focusedLooks).includes(FOCUS_YELLOW)};
}"""


# --------------------------------------------------------------------------- keyboard


def _stop(page: Page, seen: list[str]) -> None:
    """Look at the stop the last key press reached (a stop outside the page, when Tab
    leaves the document at either end, is only listed)."""
    focus = page.evaluate(_FOCUS_SCRIPT)
    seen.append(focus["stop"])
    if focus["inPage"] and not focus["visible"]:
        pytest.fail(f"focus cannot be seen on {focus['stop']} at {page.url}; "
                    "stops: " + " → ".join(seen), pytrace=False)
    if focus["inPage"] and not focus["yellow"]:
        pytest.fail(f"focus on {focus['stop']} at {page.url} is not the NHS.UK yellow; "
                    "stops: " + " → ".join(seen), pytrace=False)
    if focus["unchanged"]:
        pytest.fail(f"{focus['unchanged']} at {page.url} looks the same with and without "
                    "focus; stops: " + " → ".join(seen), pytrace=False)


def tab_to(page: Page, role: str, name: str | re.Pattern[str], *, within: Locator | None = None,
           backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab when ``backwards``) until the element with this role and
    accessible name has focus; fail if focus cannot be seen at any stop on the way, or if
    the element is not reached within ``limit`` presses (listing the stops seen).

    Once there, one press on and one back step off and return, so the element itself is
    seen to change when it has focus (a button's resting shadow is no focus indicator).
    """
    target = (within or page).get_by_role(role, name=name, exact=True)
    expect(target, f"no single {role} named {name!r} on {page.url}").to_have_count(1)
    onwards, back = ("Shift+Tab", "Tab") if backwards else ("Tab", "Shift+Tab")
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(onwards)
        _stop(page, seen)
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"{role} {name!r} not reached in {limit} presses of {onwards} on "
                    f"{page.url}; stops: " + " → ".join(seen), pytrace=False)
    page.keyboard.press(onwards)
    _stop(page, seen)
    page.keyboard.press(back)
    _stop(page, seen)
    expect(target, f"{back} did not come back; stops: " + " → ".join(seen)).to_be_focused()


def focused_value(page: Page) -> str:
    return page.evaluate("() => document.activeElement.value")


def choose_option(page: Page, text: str, limit: int = 30) -> None:
    """In the focused (closed) select, press ArrowDown until the option shown is ``text``."""
    script = "() => { const s = document.activeElement; return s.options[s.selectedIndex].text }"
    for _ in range(limit):
        if page.evaluate(script).strip() == text:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"option {text!r} not reached with ArrowDown; it shows {page.evaluate(script)!r}",
                pytrace=False)


def choose_radio(page: Page, group: Locator, name: str, limit: int = 10) -> None:
    """Tab has put focus in the radio group: arrows move to and select ``name``."""
    radio = group.get_by_role("radio", name=name, exact=True)
    for _ in range(limit):
        if radio.evaluate("el => el === document.activeElement"):
            expect(radio).to_be_checked()
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"radio {name!r} not reached with ArrowDown", pytrace=False)


def type_date(page: Page, group: Locator, day: dt.date) -> None:
    """Tab into the date's Day field, then type the day, month and year."""
    tab_to(page, "textbox", "Day", within=group)
    page.keyboard.type(str(day.day))
    tab_to(page, "textbox", "Month", within=group)
    page.keyboard.type(str(day.month))
    tab_to(page, "textbox", "Year", within=group)
    page.keyboard.type(str(day.year))


def press_enter(page: Page, navigates: Fixture) -> None:
    with navigates(page):
        page.keyboard.press("Enter")


def go_to_header_link(page: Page, navigates: Fixture, name: str) -> None:
    """From the top of a freshly loaded page, Tab to a header link and follow it."""
    tab_to(page, "link", name, within=page.get_by_role("banner"))
    press_enter(page, navigates)


def sign_in_by_keyboard(page: Page, navigates: Fixture, account: Any) -> None:
    page.goto("/")
    go_to_header_link(page, navigates, "Sign in")
    expect(page).to_have_url("/account/sign-in")
    main = page.get_by_role("main")
    tab_to(page, "textbox", "Email address", within=main)
    page.keyboard.type(account.email)
    tab_to(page, "textbox", "Password", within=main)
    page.keyboard.type(account.password)
    tab_to(page, "button", "Sign in", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url("/dashboard")


# ----------------------------------------------------------------------- arranging


def the_user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def sent_application(live_app: Any, email: str, hopes: str) -> int:
    """A coaching application sent by the trainee, waiting in the coordinators' queue."""
    with live_app.app_context():
        trainee = the_user(email)
        application = coaching.start_or_resume(trainee)
        coaching.save_answers(application, coaching.ApplicationAnswers(
            professional_group="doctor_dentist", region="london",
            training_number="LDN/ABC/1234567/D", workforce_scheme="",
            current_post="ST3 in paediatrics", stage="core", hopes=hopes,
            preferred_format="video", availability="Tuesday afternoons", consent=True))
        coaching.submit(application, trainee)
        return application.id


def hidden_suffix(visible: str, when: str) -> re.Pattern[str]:
    """The name of a link or button whose visually hidden part says which appointment
    (Chromium puts a space before the hidden span, which is positioned absolutely)."""
    return re.compile(rf"^{re.escape(visible)}\s*: {re.escape(when)}$")


def uk_when(day: dt.date, time: str) -> str:
    return f"{day.day} {day:%B %Y} at {time}"


# ------------------------------------------------------------------------- journeys


def test_a_coach_comments_on_a_plan_and_books_moves_and_cancels_by_keyboard(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    emails_to: Fixture,
) -> None:
    trainee = create_account(full_name="Alex Keyboard-Trainee")
    coach = create_account(full_name="Sam Keyboard-Coach", roles=(Role.COACH,))
    coordinator = create_account(full_name="Chris Coordinator", roles=(Role.COORDINATOR,))
    with live_app.app_context():
        trainee_id = the_user(trainee.email).id
    typical_plan(live_app, trainee_id)
    with live_app.app_context():
        sharing.create_share(the_user(trainee.email), the_user(coach.email), ShareMode.LIVE,
                             uk_today() + dt.timedelta(days=30), live_app.extensions["modules"])
    application_id = sent_application(live_app, trainee.email, "Choose a specialty")
    with live_app.app_context():
        coaching.allocate(coaching.find_any(application_id), the_user(coach.email),
                          the_user(coordinator.email))
    main = page.get_by_role("main")
    sign_in_by_keyboard(page, navigates, coach)

    # -- The plan shared with the coach, and a comment on its summary. ------------------
    go_to_header_link(page, navigates, "Shared with me")
    expect(page).to_have_url("/shared-with-me/")
    tab_to(page, "link", trainee.full_name, within=main)
    press_enter(page, navigates)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{trainee.full_name}’s action plan")
    tab_to(page, "combobox", "Which part of the plan is your comment about?")
    choose_option(page, "Career aim in a paragraph")
    tab_to(page, "textbox", "Comment")
    page.keyboard.type(COMMENT)
    tab_to(page, "button", "Add comment")
    comments_before = len(emails_to(trainee.email))
    press_enter(page, navigates)
    expect(main).to_contain_text("Your comment has been added.")
    comment = main.locator(".app-comment")
    expect(comment).to_contain_text(f"Comment from {coach.full_name}")
    expect(comment).to_contain_text(COMMENT)
    # Under the part of the plan chosen with the arrow keys.
    section = comment.evaluate("""el => {
      let h = el.previousElementSibling;
      while (h && h.tagName !== "H2") h = h.previousElementSibling;
      return h ? h.textContent.trim() : null;
    }""")
    assert section == "Career aim in a paragraph", section
    told = emails_to(trainee.email)[comments_before:]
    assert [m["Subject"] for m in told] == ["A coach commented on your action plan"]

    # -- An appointment booked for three days ahead, by telephone. -----------------------
    go_to_header_link(page, navigates, "My caseload")
    tab_to(page, "link", trainee.full_name, within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(f"/coaching/caseload/{application_id}")
    day = (dt.datetime.now(UK) + dt.timedelta(days=3)).date()
    type_date(page, main.get_by_role("group", name="Date", exact=True), day)
    tab_to(page, "textbox", "Start time", within=main)
    page.keyboard.type("14:30")
    tab_to(page, "textbox", "Length in minutes", within=main)
    page.keyboard.type("45")  # Tab selected the 60 already there: typing replaces it
    format_group = main.get_by_role("group", name="Format", exact=True)
    tab_to(page, "radio", "Video call", within=format_group)  # the one chosen already
    choose_radio(page, format_group, "Telephone")
    tab_to(page, "textbox", "Video link, phone number or place", within=main)
    page.keyboard.type(VIDEO_LINK)
    tab_to(page, "button", "Book appointment", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text("The appointment is booked.")
    booked = main.locator(".app-action")
    expect(booked.get_by_role("heading")).to_have_text(uk_when(day, "14:30"))
    expect(booked).to_contain_text(f"45 minutes, telephone: {VIDEO_LINK}")

    # -- Moved a day later at 09:15. -----------------------------------------------------
    tab_to(page, "link", hidden_suffix("Move it", uk_when(day, "14:30")), within=main)
    press_enter(page, navigates)
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the appointment")
    later = day + dt.timedelta(days=1)
    new_date = main.get_by_role("group", name="New date", exact=True)
    tab_to(page, "textbox", "Day", within=new_date)
    assert focused_value(page) == str(day.day)  # the current date is filled in
    type_date(page, new_date, later)
    tab_to(page, "textbox", "New start time", within=main)
    page.keyboard.type("09:15")
    tab_to(page, "button", "Move appointment", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(f"/coaching/caseload/{application_id}#appointments")
    expect(main).to_contain_text("The appointment has moved.")
    expect(booked.get_by_role("heading")).to_have_text(uk_when(later, "09:15"))

    # -- Cancelled: the page comes back at the appointments; Space presses the button. ---
    tab_to(page, "button", hidden_suffix("Cancel it", uk_when(later, "09:15")), within=main)
    with navigates(page):
        page.keyboard.press("Space")
    expect(booked).to_contain_text("Cancelled by you")
    expect(booked.get_by_role("button")).to_have_count(0)
    expect(booked.get_by_role("link", name=re.compile("^Move it"))).to_have_count(0)


def test_a_facilitator_runs_a_workshop_by_keyboard(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    emails_to: Fixture,
) -> None:
    facilitator = create_account(full_name="Jo Keyboard-Facilitator", roles=(Role.FACILITATOR,))
    trainee = create_account(full_name="Robin Member")
    title = "Keyboard-only SCAN evening"
    workshop_day = uk_today() + dt.timedelta(days=20)
    main = page.get_by_role("main")
    sign_in_by_keyboard(page, navigates, facilitator)

    # -- Create the workshop. ------------------------------------------------------------
    go_to_header_link(page, navigates, "Workshops")
    tab_to(page, "link", "Create a workshop", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url("/workshops/new")
    tab_to(page, "textbox", "Title", within=main)
    page.keyboard.type(title)
    type_date(page, main.get_by_role("group", name="Date", exact=True), workshop_day)
    tab_to(page, "textbox", "Start time", within=main)
    page.keyboard.type("18:30")
    format_group = main.get_by_role("group", name="Format", exact=True)
    tab_to(page, "radio", "Online workshop", within=format_group)
    choose_radio(page, format_group, "Webinar")
    tab_to(page, "textbox", "Description", within=main)
    page.keyboard.type("Bring your SCAN 1 answers.")
    tab_to(page, "button", "Save workshop", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(re.compile(r"/workshops/\d+$"))
    workshop_url = re.search(r"/workshops/\d+$", page.url).group(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(main).to_contain_text("Workshop created.")
    expect(main.locator(".nhsuk-caption-l")).to_contain_text("Webinar")

    # -- Assign SCAN 1 seven days before. --------------------------------------------------
    tab_to(page, "combobox", "Module", within=main)
    choose_option(page, SCAN1_TITLE)
    tab_to(page, "radio", "A number of days before or after the workshop", within=main)
    tab_to(page, "textbox", "Number of days", within=main)
    page.keyboard.type("7")
    tab_to(page, "radio", "Before", within=main)
    tab_to(page, "button", "Assign module", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text("The module is assigned.")

    # A member joins and completes SCAN 1 meanwhile (through the real services).
    with live_app.app_context():
        workshop = db.session.get(Workshop, int(workshop_url.rsplit("/", 1)[1]))
        member = the_user(trainee.email)
        workshops.join(workshop, member)
        db.session.commit()
        member_id = member.id
    write_markers(live_app, member_id, SCAN1, "KEYBOARDMARKER", complete=True)

    # -- Assign SCAN 2 three days after: the arrows move to "After". -------------------
    # The page came back at #modules: Tab goes on from there, into the form.
    tab_to(page, "combobox", "Module", within=main)
    choose_option(page, SCAN2_TITLE)
    tab_to(page, "textbox", "Number of days", within=main)
    page.keyboard.type("3")
    direction = main.get_by_role("group", name="Before or after the workshop", exact=True)
    tab_to(page, "radio", "Before", within=direction)
    choose_radio(page, direction, "After")
    tab_to(page, "button", "Assign module", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text("The module is assigned.")
    assigned = main.locator("#modules + ul > li")
    expect(assigned).to_have_count(2)
    expect(assigned.nth(1)).to_contain_text(f"{SCAN2_TITLE}: due")
    expect(assigned.nth(1)).to_contain_text("(3 days after the workshop)")

    # -- Read the progress matrix: its scroll area takes focus, the arrows scroll it. ----
    # Focus is in the "Assign a module" form, below the matrix: Shift+Tab goes back up.
    matrix_name = "Progress of each member on each assigned module"
    tab_to(page, "region", matrix_name, within=main, backwards=True)
    matrix = main.get_by_role("table", name=matrix_name)
    row = matrix.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=trainee.full_name, exact=True))
    expect(row.get_by_role("cell").nth(0)).to_contain_text("Completed on")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Not started")
    # On a phone the matrix is wider than the screen: the keyboard scrolls it sideways.
    page.set_viewport_size({"width": 390, "height": 800})
    region = main.get_by_role("region", name=matrix_name)
    expect(region).to_be_focused()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    page.set_viewport_size({"width": 1280, "height": 900})

    # -- Remind those who have not completed SCAN 2. -----------------------------------
    tab_to(page, "link", "Send a reminder", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(f"{workshop_url}/remind")
    tab_to(page, "combobox", "Remind members who have not completed", within=main)
    choose_option(page, SCAN2_TITLE)
    tab_to(page, "button", "Show the reminder", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text(f"1 member who has not completed “{SCAN2_TITLE}”:")
    tab_to(page, "button", "Send the reminder", within=main)
    sent_before = len(emails_to(trainee.email))
    press_enter(page, navigates)
    expect(page).to_have_url(workshop_url)
    expect(main).to_contain_text("Reminder sent to 1 member.")
    sent = emails_to(trainee.email)[sent_before:]
    assert [m["Subject"] for m in sent] == [f"Reminder: {SCAN2_TITLE}"]


def test_a_coordinator_allocates_declines_and_grants_a_role_by_keyboard(
    page: Page, navigates: Fixture, create_account: Fixture, live_app: Any,
    emails_to: Fixture,
) -> None:
    coordinator = create_account(full_name="Chris Keyboard-Coordinator",
                                 roles=(Role.COORDINATOR,))
    coach = create_account(full_name="Sam Allocated-Coach", roles=(Role.COACH,))
    first = create_account(full_name="Alex First-Applicant")
    second = create_account(full_name="Bea Second-Applicant")
    newcomer = create_account(full_name="Dana New-Facilitator")
    first_id = sent_application(live_app, first.email, "Choose between two specialties")
    second_id = sent_application(live_app, second.email, "Help with an interview")
    main = page.get_by_role("main")
    sign_in_by_keyboard(page, navigates, coordinator)

    # -- Allocate the first application to Sam. ----------------------------------------
    go_to_header_link(page, navigates, "Coaching queue")
    tab_to(page, "link", first.full_name, within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(f"/coaching/queue/{first_id}")
    tab_to(page, "combobox", "Coach", within=main)
    choose_option(page, f"{coach.full_name}, {coach.email} (0 open cases)", limit=200)
    tab_to(page, "button", "Allocate", within=main)
    press_enter(page, navigates)
    expect(page).to_have_url("/coaching/queue")
    expect(main).to_contain_text(f"Allocated to {coach.full_name}.")

    # -- Decline the second, with a reason. -------------------------------------------
    tab_to(page, "link", second.full_name, within=main)
    press_enter(page, navigates)
    expect(page).to_have_url(f"/coaching/queue/{second_id}")
    tab_to(page, "textbox", "Reason the trainee will read", within=main)
    page.keyboard.type(DECLINE_REASON)
    tab_to(page, "button", "Decline the application", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text("The application is declined.")
    expect(main.get_by_role("link", name=first.full_name)).to_have_count(0)
    expect(main.get_by_role("link", name=second.full_name)).to_have_count(0)
    declined = emails_to(second.email)[-1].get_content()
    assert DECLINE_REASON in " ".join(declined.split()), declined

    # -- Make Dana a workshop facilitator. ----------------------------------------------
    go_to_header_link(page, navigates, "Users and roles")
    tab_to(page, "searchbox", "Search by name or email", within=main)
    page.keyboard.type(newcomer.email)
    tab_to(page, "button", "Search", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text(f"1 person matching “{newcomer.email}”.")
    tab_to(page, "link", f"Change roles for {newcomer.full_name}", within=main)
    press_enter(page, navigates)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Roles for {newcomer.full_name}")
    facilitator_box = main.get_by_role("checkbox", name="Facilitator")
    tab_to(page, "checkbox", "Facilitator", within=main)
    page.keyboard.press("Space")
    expect(facilitator_box).to_be_checked()
    tab_to(page, "button", "Save roles", within=main)
    press_enter(page, navigates)
    expect(main).to_contain_text(f"Roles for {newcomer.full_name} have been saved.")
    with live_app.app_context():
        assert the_user(newcomer.email).has_any_role(frozenset({Role.FACILITATOR}))
