"""Reading preferences in a real browser: chosen on /account/reading, kept on the
account through signing out and in, and applied to a worksheet step and the plan.

axe runs on every page this test visits (see conftest.py), so each typeface, the
largest text and every colour scheme are checked for contrast and the rest of WCAG AA.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.journeys import download_pdf, save_pdf_page_image, sign_in, sign_out

Fixture = Callable[..., Any]

STEP = "/modules/scan-1-self-awareness/steps/skills-audit"
PLAN = "/plan/"
FAMILIES = {"default": "Frutiger W01", "atkinson": "Atkinson Hyperlegible",
            "opendyslexic": "OpenDyslexic"}
TYPEFACE_LABELS = {"default": "Frutiger (the NHS typeface)", "atkinson": "Atkinson Hyperlegible",
                   "opendyslexic": "OpenDyslexic"}
COLOUR_LABELS = {"default": "Standard: dark text on white", "cream": "cream background",
                 "blue": "pale blue background", "dark": "Light text on a dark background"}
MORE_PAGES = ("/", "/modules/", "/modules/scan-1-self-awareness/", "/plan/everything",
              "/plan/shares/new", "/coaching/apply", "/account/profile", "/account/activity",
              "/workshops/join", "/glossary", "/support", "/accessibility", "/privacy")
# The typeface as a PDF names its embedded font. The standard one prints in Liberation
# Sans (Frutiger is not the PDF renderer's to embed), as do the page footers in any typeface.
PDF_FONTS = {"atkinson": "AtkinsonHyperlegible", "opendyslexic": "OpenDyslexic"}
CREAM = "rgb(251, 243, 220)"
# The browser's standard 16 px, at the largest size (150 %).
LARGEST_ROOT = "24px"

LOOKS = """async (family) => {
  await document.fonts.ready;
  const html = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  return {family: body.fontFamily, size: html.fontSize, background: body.backgroundColor,
          loaded: family ? document.fonts.check(`16px "${family}"`) &&
            [...document.fonts].some((f) => f.family.replace(/"/g, "") === family
                                            && f.status === "loaded") : null};
}"""


def embedded_fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, as "AtkinsonHyperlegibleBold" ("ABCDEF+Atkinson-..." in it)."""
    return {str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", "")
            for page in PdfReader(io.BytesIO(pdf)).pages
            for font in page["/Resources"]["/Font"].values()}


def choose(page: Page, navigates: Fixture, *, typeface: str = "default",
           size: str = "Largest", colours: str = "cream") -> None:
    page.goto("/account/reading")
    form = page.get_by_role("main")
    form.get_by_role("group", name="Text size").get_by_label(size, exact=True).check()
    form.get_by_role("group", name="Typeface").get_by_label(TYPEFACE_LABELS[typeface]).check()
    form.get_by_role("group", name="Colours").get_by_label(COLOUR_LABELS[colours]).check()
    with navigates(page):
        form.get_by_role("button", name="Save reading preferences").click()
    expect(page.get_by_text("Your reading preferences have been saved.")).to_be_visible()


def looks(page: Page, typeface: str) -> dict[str, Any]:
    return page.evaluate(LOOKS, None if typeface == "default" else FAMILIES[typeface])


def test_each_typeface_largest_text_and_cream_stay_with_the_account(
        page: Page, navigates: Fixture, create_account: Fixture, save_screenshot: Fixture,
        assert_accessible: Fixture, tmp_path: Path):
    account = create_account(full_name="Robin Reader")
    sign_in(page, navigates, account)
    for typeface in ("atkinson", "opendyslexic", "default"):
        choose(page, navigates, typeface=typeface)
        sign_out(page, navigates)
        # Signed out, the next person on this computer gets the standard page.
        standard = looks(page, "default")
        assert standard["size"] == "16px" and standard["background"] != CREAM
        sign_in(page, navigates, account)
        for path in (STEP, PLAN):
            page.goto(path)
            seen = looks(page, typeface)
            assert seen["family"].replace('"', "").startswith(FAMILIES[typeface]), (path, seen)
            assert seen["size"] == LARGEST_ROOT and seen["background"] == CREAM, (path, seen)
            if typeface != "default":
                assert seen["loaded"], f"{FAMILIES[typeface]} did not load on {path}"
            save_screenshot(page, f"reading-{typeface}-{path.strip('/').split('/')[-1]}.png")
        # The PDF from the plan page (now open) is set in the typeface: the fonts it embeds.
        download = download_pdf(page, page.get_by_role("main").get_by_role(
            "link", name="Download your plan as a PDF"), assert_accessible)
        pdf = tmp_path / f"plan-{typeface}.pdf"
        download.save_as(pdf)
        fonts = embedded_fonts(pdf.read_bytes())
        chosen = {name for name in fonts if name.startswith(tuple(PDF_FONTS.values()))}
        if typeface == "default":
            assert not chosen and any(name.startswith("LiberationSans") for name in fonts), fonts
        else:
            assert chosen and all(name.startswith(PDF_FONTS[typeface]) for name in chosen), fonts
        save_pdf_page_image(pdf, f"reading-{typeface}-pdf")


def test_the_preview_follows_each_choice_before_saving(
        page: Page, navigates: Fixture, save_screenshot: Fixture):
    page.goto("/account/reading")
    preview = page.locator("#reading-preview")
    form = page.get_by_role("main")
    form.get_by_role("group", name="Typeface").get_by_label("OpenDyslexic").check()
    form.get_by_role("group", name="Colours").get_by_label(COLOUR_LABELS["blue"]).check()
    form.get_by_role("group", name="Space between lines").get_by_label("Widest").check()
    expect(preview).to_have_attribute("data-reading-typeface", "opendyslexic")
    styles = preview.evaluate("""(box) => {
      const text = getComputedStyle(box.querySelector("p"));
      return {family: text.fontFamily, background: getComputedStyle(box).backgroundColor,
              lineHeight: parseFloat(text.lineHeight) / parseFloat(text.fontSize)};
    }""")
    assert styles["family"].replace('"', "").startswith("OpenDyslexic")
    assert styles["background"] == "rgb(229, 240, 249)"
    assert styles["lineHeight"] == pytest.approx(2.2, abs=0.05)
    # Nothing is saved until the button is pressed: the page itself is still standard.
    assert page.evaluate("document.documentElement.dataset.readingTypeface") == "default"
    save_screenshot(page, "reading-preferences.png")


@pytest.mark.parametrize("colours", ["default", "cream", "blue", "dark"])
def test_a_step_page_in_each_colour_scheme_at_the_largest_size_passes_axe(
        page: Page, navigates: Fixture, create_account: Fixture, save_screenshot: Fixture,
        colours: str):
    account = create_account()
    sign_in(page, navigates, account)
    choose(page, navigates, colours=colours)
    # Each page visited is checked with axe (contrast included) as it loads.
    page.goto(STEP)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == LARGEST_ROOT
    page.goto(PLAN)
    page.goto("/dashboard")
    if colours == "dark":
        # The scheme that changes the most colours: a wider round of pages.
        for path in MORE_PAGES:
            page.goto(path)
        page.goto(STEP)
        save_screenshot(page, "reading-dark-step.png")


def test_with_javascript_off_the_choice_is_saved_and_applied(browser, live_url: str,
                                                            request: pytest.FixtureRequest):
    """The form needs no script: radios and a button. (No axe here: axe needs script; the
    same page is checked with script on above.)"""
    # The production-shaped stack's certificate is its own, as for the page fixture.
    context = browser.new_context(base_url=live_url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900},
                                  ignore_https_errors=request.config.getoption("--stack"))
    try:
        page = context.new_page()
        page.goto("/account/reading")
        page.get_by_label("Atkinson Hyperlegible").check()
        page.get_by_label(COLOUR_LABELS["blue"]).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save reading preferences").click()
        expect(page.get_by_text("Your reading preferences have been saved.")).to_be_visible()
        page.goto("/support")
        html = page.locator("html")
        expect(html).to_have_attribute("data-reading-typeface", "atkinson")
        expect(html).to_have_attribute("data-reading-colours", "blue")
        assert page.evaluate(
            "getComputedStyle(document.body).backgroundColor") == "rgb(229, 240, 249)"
    finally:
        context.close()


# The rendered width of the page's first heading word, and the zoom the body prints at.
PRINTED_WORD = """() => {
  const heading = document.querySelector("main h1");
  const text = [...heading.childNodes].find((node) => node.nodeType === Node.TEXT_NODE
                                                     && node.textContent.trim());
  const start = text.textContent.search(/\\S/);
  const range = document.createRange();
  range.setStart(text, start);
  range.setEnd(text, text.textContent.indexOf(" ", start) > 0
                     ? text.textContent.indexOf(" ", start) : text.textContent.length);
  return range.getBoundingClientRect().width;
}"""


def test_printed_pages_keep_the_chosen_text_size(
        page: Page, navigates: Fixture, create_account: Fixture):
    """The NHS.UK print styles size text in points, which the root size does not reach:
    without the print rule a reader who chose the largest text printed standard text."""
    account = create_account()
    sign_in(page, navigates, account)
    choose(page, navigates, size="Largest", colours="default")
    for path in (PLAN, "/plan/everything", STEP):
        page.goto(path)
        page.emulate_media(media="print")
        try:
            largest = page.evaluate(PRINTED_WORD)
            page.evaluate(_SET_SIZE, "default")
            standard = page.evaluate(PRINTED_WORD)
        finally:
            page.emulate_media(media="screen")
            page.evaluate(_SET_SIZE, "largest")
        assert largest / standard == pytest.approx(1.5, abs=0.05), (path, largest, standard)


_SET_SIZE = "(size) => { document.documentElement.dataset.readingTextSize = size; }"
