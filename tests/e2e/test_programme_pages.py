"""Every module's pages in a real browser, each checked with axe as it loads."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.test_worksheets_journeys import sign_in, step_url

# Modules written for the professions and turning points: a screenshot of one step each.
NEWEST_MODULES = ("nursing-midwifery-ahp-careers", "pharmacy-careers", "dental-careers",
                  "less-than-full-time-training", "returning-to-training",
                  "thinking-of-leaving", "portfolio-pathway-and-sas-careers",
                  "academic-careers", "applications-and-personal-statements")


def test_every_step_of_every_module_and_the_glossary_are_accessible(
    page: Page, navigates: Any, create_account: Any, live_app: Any, save_screenshot: Any,
) -> None:
    sign_in(page, navigates, create_account(full_name="Robin Reader"))
    page.goto("/modules/?audience=all")  # every module, whatever the person registered as
    registry = live_app.extensions["modules"]
    expect(page.get_by_role("heading", level=3)).to_have_count(len(registry))
    for module in registry:
        page.goto(f"/modules/{module.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        for number, step in enumerate(module.steps, start=1):
            page.goto(step_url(module.slug, step.id))
            expect(page.get_by_role("heading", level=1)).to_contain_text(
                f"Step {number} of {len(module.steps)}")
            for source in step.sources:
                link = page.get_by_role(
                    "link", name=f"{source.title} ({source.organisation}) (external site)")
                expect(link).to_have_attribute("href", source.url)
        if module.stage in "SCAN" and len(module.stage) == 1:
            save_screenshot(page, f"scan-{'SCAN'.index(module.stage) + 1}-step.png")
        elif module.slug in NEWEST_MODULES:
            page.goto(step_url(module.slug, module.steps[1].id))
            save_screenshot(page, f"module-{module.slug}.png")
        page.goto(f"/modules/{module.slug}/summary")
    with navigates(page):
        page.get_by_role("link", name="Words and abbreviations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Words and abbreviations")
    expect(page.locator("abbr", has_text="MSRA")).to_have_attribute(
        "title", "Multi-Specialty Recruitment Assessment")
