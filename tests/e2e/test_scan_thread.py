"""One thread through SCAN, in a real browser, as a new trainee.

The trainee works through SCAN 1 to 4 in order, typing every answer. Each stage starts
from the last: SCAN 2 and 3 show SCAN 1's answers, SCAN 3's shortlist, first choice and
back-up arrive from SCAN 2, the comparison's factors from SCAN 1's values and skills, and
SCAN 4's from SCAN 3. Every key pressed is counted per field: the first choice and the
back-up are typed once, in one field each. Changing the first choice in SCAN 4 changes
the plan's decision. The plan's PDF is at most 2 pages; with "everything I wrote" every
answer is in it once. axe runs on every page visited (see conftest.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.journeys import download_pdf, sign_in
from tests.e2e.test_plans_journey import SCAN1, SCAN4, save_pdf_page_image

Fixture = Callable[..., Any]
SCAN2 = "scan-2-career-exploration"
SCAN3 = "scan-3-arriving-at-a-decision"

FIRST_CHOICE = "Paediatric specialty training in London"
NEW_FIRST_CHOICE = "Child and adolescent psychiatry training"
BACK_UP = "A paediatric clinical fellow post for a year"
SELF_SUMMARY = ("I do my best work explaining things to worried families and teaching "
                "students. I need a rota that leaves room for my own young children.")
TOP_STRENGTHS = "Explaining risks to families in plain words, and teaching students."
GOAL = "Starting paediatric training in London in August 2027."

# Every keydown that reaches a named field, counted per page and field, kept across pages.
COUNT_KEYS = """
document.addEventListener("keydown", (event) => {
  const name = event.target && event.target.name;
  if (!name || event.key === "Tab") return;
  const key = location.pathname + " " + name;
  const counts = JSON.parse(localStorage.getItem("keystrokes") || "{}");
  counts[key] = (counts[key] || 0) + 1;
  localStorage.setItem("keystrokes", JSON.stringify(counts));
}, true);
"""


class Trainee:
    """The trainee's hands: typing into fields, choosing, saving and going on."""

    def __init__(self, page: Page, navigates: Fixture):
        self.page = page
        self.navigates = navigates
        self.main = page.get_by_role("main")

    def type(self, field: Locator, text: str) -> None:
        field.click()
        field.press_sequentially(text)
        expect(field).to_have_value(re.compile(re.escape(text) + "$"))

    def replace(self, field: Locator, text: str) -> None:
        field.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Backspace")
        self.type(field, text)

    def choose(self, name: str) -> None:
        self.main.get_by_label(name, exact=True).check()

    def rate(self, field_id: str, ratings: dict[str, int]) -> None:
        for statement, point in ratings.items():
            radio = self.main.locator(f'input[name="{field_id}--{statement}"][value="{point}"]')
            radio.check()

    def continue_to(self, heading: str) -> None:
        with self.navigates(self.page):
            self.main.get_by_role("button", name="Save and continue", exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(heading)

    def finish(self, slug: str) -> None:
        """Save the last step and land on the module's "Check your answers"."""
        with self.navigates(self.page):
            self.main.get_by_role("button", name="Save and continue", exact=True).click()
        expect(self.page).to_have_url(f"/modules/{slug}/summary")

    def open_step(self, slug: str, step_id: str) -> None:
        self.page.goto(f"/modules/{slug}/steps/{step_id}")

    def row(self, name: str) -> Locator:
        return self.page.get_by_role("group", name=name, exact=True)

    def add_row(self) -> None:
        with self.navigates(self.page):
            self.main.get_by_role("button", name="Add another row").click()

    def date(self, group: Locator, day: str, month: str, year: str) -> None:
        self.type(group.get_by_label("Day"), day)
        self.type(group.get_by_label("Month"), month)
        self.type(group.get_by_label("Year"), year)


def scan_1(you: Trainee) -> None:
    you.open_step(SCAN1, "why-now")
    you.type(you.main.get_by_label("Your current role or stage of training"),
             "Second-year foundation doctor")
    you.choose("I need to choose a specialty, training programme or next post")
    you.continue_to("Audit your skills")
    you.rate("skills", {"communication": 5, "team-working": 4, "clinical-reasoning": 4,
                        "practical-skills": 3, "under-pressure": 3, "uncertainty": 3,
                        "organisation": 4, "leadership": 2, "teaching": 5, "research": 2,
                        "improvement": 3, "digital": 2})
    you.type(you.main.get_by_label("Which 3 to 5 skills are you good at and enjoy using?"),
             TOP_STRENGTHS)
    for heading in ("What you enjoy and what drains you", "how you like to work",
                    "What matters most to you at work"):
        you.continue_to(heading)
    order = ["service", "lifestyle", "expertise", "challenge", "security", "creating",
             "independence", "leadership"]
    for position, value in enumerate(order, start=1):
        you.main.locator(f'select[name="values-ranking--{value}"]').select_option(str(position))
    for heading in ("Your circumstances", "What others see in you",
                    "What you have learned about yourself"):
        you.continue_to(heading)
    you.type(you.main.get_by_label("What have you learned about yourself?"), SELF_SUMMARY)
    you.finish(SCAN1)


def scan_2(you: Trainee) -> None:
    you.open_step(SCAN2, "where-to-start")
    # SCAN 1's answers are shown, read-only, with a way back to change them.
    recalled = you.main.get_by_role("region", name="What you wrote in SCAN 1: Self awareness")
    expect(recalled).to_contain_text(SELF_SUMMARY)
    expect(recalled).to_contain_text("Service")
    expect(recalled.get_by_role("link", name=re.compile("Change this in step 8"))).to_be_visible()
    you.choose("I have a few ideas but no favourite")
    you.type(you.main.get_by_label("What did Self awareness tell you to look for in a role?"),
             "Work with families and time to teach, on a rota I can manage.")
    you.continue_to("Make a long list of options")
    you.type(you.row("Row 1").get_by_label("Option"), "Paediatrics")
    you.type(you.row("Row 1").get_by_label("Why it might suit you"), "Families and teaching")
    you.add_row()
    you.type(you.row("Row 2").get_by_label("Option"), "Child psychiatry")
    for _ in range(6):
        if "shortlist" in you.page.get_by_role("heading", level=1).inner_text().lower():
            break
        with you.navigates(you.page):
            you.main.get_by_role("button", name="Save and continue", exact=True).click()
    shortlist = [("Paediatric training", "Families and teaching", "Rota at my local unit"),
                 ("Child psychiatry training", "Longer conversations", "On-call in CAMHS")]
    for number, (option, why, find_out) in enumerate(shortlist, start=1):
        if number > 1:
            you.add_row()
        row = you.row(f"Row {number}")
        you.type(row.get_by_label("Option"), option)
        you.type(row.get_by_label("Why it stays on your list"), why)
        you.type(row.get_by_label("What you still need to find out"), find_out)
    you.type(you.main.get_by_label("Your first choice for now"), FIRST_CHOICE)
    you.type(you.main.get_by_label("Your back-up option"), BACK_UP)
    you.finish(SCAN2)


def scan_3(you: Trainee) -> None:
    you.open_step(SCAN3, "shortlist")
    expect(you.main.get_by_role("region", name="What you wrote in SCAN 1: Self awareness")
           ).to_contain_text(TOP_STRENGTHS)
    # The shortlist arrives from SCAN 2, and says so.
    expect(you.row("Row 1").get_by_label("Option")).to_have_value("Paediatric training")
    expect(you.row("Row 2").get_by_label("Option")).to_have_value("Child psychiatry training")
    expect(you.row("Row 2").get_by_label("What you still need to find out")
           ).to_have_value("On-call in CAMHS")
    expect(you.main.get_by_text("Filled in from what you wrote in").first).to_be_visible()
    you.type(you.row("Row 1").get_by_label("What appeals to you about it"), "Families")
    you.continue_to("How you make decisions")
    you.choose("Rational")
    you.continue_to("Pros and cons of your options")
    # The options to pick from are the trainee's own shortlist, from step 1.
    pick = you.main.get_by_role("group", name="Which option are you leaning towards now?")
    expect(pick.get_by_role("radio")).to_have_count(3)  # two options and "not chosen yet"
    pick.get_by_label("Paediatric training", exact=True).check()
    you.continue_to("Weigh up your options")
    # Options from the shortlist; factors from SCAN 1: top 3 values, then top skills.
    expect(you.main.get_by_label("Name of option 1")).to_have_value("Paediatric training")
    expect(you.main.get_by_label("Name of option 2")).to_have_value("Child psychiatry training")
    factors = [you.main.get_by_role("textbox", name=f"Factor {j}", exact=True)
               for j in range(1, 6)]
    expect(factors[0]).to_have_value(re.compile("^Service"))
    expect(factors[1]).to_have_value(re.compile("^Lifestyle"))
    expect(factors[2]).to_have_value(re.compile("^Expertise"))
    expect(factors[3]).to_have_value("Communicating with patients, families and carers")
    expect(factors[4]).to_have_value("Teaching, supervising and helping others to learn")
    weights = ["5", "5", "3", "4", "4", "3"]
    count = you.main.locator('input[name^="matrix--criterion--"]').evaluate_all(
        "inputs => inputs.filter(input => input.value.trim()).length")
    for j in range(count):
        you.main.get_by_label(f"Importance of factor {j + 1}").select_option(weights[j])
        for i, score in ((1, "5"), (2, "3")):
            you.main.locator(f'select[name="matrix--score--{i - 1}--{j}"]').select_option(score)
    you.continue_to("Gut check and reality check")
    you.type(you.main.get_by_label("What is your honest reaction to the result?"),
             "Relieved: paediatrics came top, as I hoped.")
    you.continue_to("Your decision and back-up plan")
    expect(you.main.get_by_label("Your first choice", exact=True)).to_have_value(FIRST_CHOICE)
    expect(you.main.get_by_label("Your back-up plan")).to_have_value(BACK_UP)
    you.type(you.main.get_by_label("Why is this the right choice for you now?"),
             "It uses my strengths with families and leaves room to teach.")
    you.continue_to("Your first actions")
    action = you.row("Action 1")
    you.type(action.get_by_label("Action", exact=True), "Book a paediatric taster week")
    you.type(action.get_by_label("How I will know it is done"), "The week is in my diary")
    you.date(action.get_by_role("group", name="Target date"), "15", "3", "2027")
    you.continue_to("Support and review")
    you.choose("My educational or clinical supervisor")
    you.finish(SCAN3)


def scan_4(you: Trainee) -> None:
    you.open_step(SCAN4, "start-from-your-decision")
    expect(you.main.get_by_label("Your first choice, from Arriving at a decision")
           ).to_have_value(FIRST_CHOICE)
    you.type(you.main.get_by_label("Where do you want to be, and by when?"), GOAL)
    you.continue_to("What the role asks for")
    you.continue_to("Know the timeline")
    you.continue_to("Plan your actions")
    action = you.row("Action 1")
    you.type(action.get_by_label("Action", exact=True),
             "Ask two paediatric trainees about the rota")
    you.type(action.get_by_label("How I will know it is done"), "Notes from both talks")
    you.date(action.get_by_role("group", name="Target date"), "30", "4", "2027")
    you.continue_to("Who and what can help")
    # SCAN 3's supporters are ticked already.
    expect(you.main.get_by_label("My educational or clinical supervisor")).to_be_checked()
    you.continue_to("Your contingency plan")
    expect(you.main.get_by_label("Your back-up plan")).to_have_value(BACK_UP)
    you.continue_to("When to book a careers appointment")
    you.continue_to("Review and keep going")
    you.date(you.main.get_by_role("group", name="When will you next review your plan?"),
             "1", "6", "2027")
    you.finish(SCAN4)


def keystrokes(page: Page) -> dict[str, int]:
    return page.evaluate("() => JSON.parse(localStorage.getItem('keystrokes') || '{}')")


def typed_in(counts: dict[str, int], field: str) -> dict[str, int]:
    return {key: number for key, number in counts.items() if key.endswith(" " + field)}


def pdf_of(page: Page, link: Locator, assert_accessible: Fixture, path: Path) -> PdfReader:
    download_pdf(page, link, assert_accessible).save_as(path)
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_scan_1_to_4_build_on_each_other_and_end_in_a_two_page_plan(
        page: Page, navigates: Fixture, assert_accessible: Fixture, create_account: Fixture,
        save_screenshot: Fixture, tmp_path: Path) -> None:
    page.add_init_script(COUNT_KEYS)
    account = create_account(full_name="Priya New")
    sign_in(page, navigates, account)
    you = Trainee(page, navigates)
    scan_1(you)
    scan_2(you)
    scan_3(you)
    scan_4(you)

    counts = keystrokes(page)
    # The first choice and the back-up were typed once, each in one field: SCAN 2's.
    assert typed_in(counts, "first-choice") == {
        f"/modules/{SCAN2}/steps/shortlist first-choice": len(FIRST_CHOICE)}
    assert typed_in(counts, "back-up") == {
        f"/modules/{SCAN2}/steps/shortlist back-up": len(BACK_UP)}
    assert typed_in(counts, "back-up-plan") == {}
    assert not any("--option--" in key or "--criterion--" in key for key in counts)

    page.goto("/plan/")
    decision = page.locator("#decision").locator("xpath=following-sibling::div[1]")
    expect(decision).to_contain_text(FIRST_CHOICE)
    expect(decision).to_contain_text("From SCAN 4: Next steps, step 1")
    save_screenshot(page, "plan-scan-thread.png")

    # A new first choice in SCAN 4 is the plan's decision from then on.
    you.open_step(SCAN4, "start-from-your-decision")
    you.replace(you.main.get_by_label("Your first choice, from Arriving at a decision"),
                NEW_FIRST_CHOICE)
    you.continue_to("What the role asks for")
    page.goto("/plan/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(NEW_FIRST_CHOICE)
    expect(main).not_to_contain_text(FIRST_CHOICE)

    plan = pdf_of(page, main.get_by_role("link", name="Download your plan as a PDF"),
                  assert_accessible, tmp_path / "plan.pdf")
    assert len(plan.pages) <= 2
    text = text_of(plan)
    for expected in (GOAL, NEW_FIRST_CHOICE, BACK_UP, "Book a paediatric taster week",
                     "Ask two paediatric trainees about the rota", "My top values, in order"):
        assert expected in text, expected
    assert text.index("Service: helping") < text.index("Lifestyle: balancing") < text.index(
        "Expertise: becoming")
    save_pdf_page_image(tmp_path / "plan.pdf", "scan-plan-pdf-page-1")

    # Any other answer can be added to the plan from "Everything I wrote", and taken off.
    looked_for = "Work with families and time to teach, on a rota I can manage."
    page.goto("/plan/everything")
    label = "What did Self awareness tell you to look for in a role?"
    with navigates(page):
        page.get_by_role("button", name=f"Add to my plan “{label}”").click()
    expect(page.get_by_role("main")).to_contain_text(f"“{label}” is now on your plan.")
    page.goto("/plan/")
    expect(page.get_by_role("main")).to_contain_text(looked_for)
    with navigates(page):
        page.get_by_role("button", name=f"Remove from my plan “{label}”").click()
    expect(page.get_by_role("main")).not_to_contain_text(looked_for)

    page.goto("/plan/")
    everything = pdf_of(page, page.get_by_role("main").get_by_role(
        "link", name="Download your plan with everything you wrote (PDF)"),
        assert_accessible, tmp_path / "everything.pdf")
    appendix = text_of(everything).split("Appendix: everything I wrote", 1)[1]
    for answer in (SELF_SUMMARY, TOP_STRENGTHS, GOAL, NEW_FIRST_CHOICE,
                   "Relieved: paediatrics came top, as I hoped.",
                   "It uses my strengths with families and leaves room to teach."):
        assert appendix.count(answer) == 1, answer
    # SCAN 2's and SCAN 3's first choice are earlier answers of their own steps.
    assert appendix.count(FIRST_CHOICE) == 2
    save_pdf_page_image(tmp_path / "everything.pdf", "scan-plan-with-appendix-pdf-page-1")
