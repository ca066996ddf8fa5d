"""Steps that state facts name primary sources, shown under "Find out more" on the page."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from careers_app.content.loader import ModuleError, load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "modules"
PROJECT_MODULES = Path(__file__).parent.parent / "modules"
# Copies of other people's documents or closed sites: never a source of facts.
WEAK_DOMAINS = ("docstoc", "docsbay", "paperzz", "vdocuments", "medicalcareers.nhs.uk")


def find_out_more_links(page: str) -> list[tuple[str, str]]:
    """The (href, link text) pairs in the page's "Find out more" list."""
    section = page.split('<h2 class="nhsuk-heading-m">Find out more</h2>', 1)
    if len(section) == 1:
        return []
    items = section[1].split("</ul>", 1)[0]
    return [(unescape(href), unescape(text))
            for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', items)]


def test_every_step_with_facts_shows_its_sources_on_its_page(app, client, trainee):
    registry = app.extensions["modules"]
    fact_steps = linked_steps = links = 0
    for module in registry:
        for step in module.steps:
            page = client.get(f"/modules/{module.slug}/steps/{step.id}")
            assert page.status_code == 200
            shown = find_out_more_links(page.get_data(as_text=True))
            expected = [(source.url, f"{source.title} ({source.organisation}) (external site)")
                        for source in step.sources]
            assert shown == expected, (module.slug, step.id)
            fact_steps += step.facts
            linked_steps += bool(shown)
            links += len(shown)
            if step.facts:
                assert shown, f"{module.slug} step {step.id} states facts but links to nothing"
    print(f"{fact_steps} steps state facts; {linked_steps} steps show {links} links")
    assert fact_steps >= 40 and linked_steps == fact_steps and links >= fact_steps


def test_a_step_without_facts_has_no_find_out_more_section(app, client, trainee):
    page = client.get("/modules/scan-3-arriving-at-a-decision/steps/weigh-options")
    assert page.status_code == 200
    assert "Find out more" not in page.get_data(as_text=True)


def test_step_page_names_title_organisation_and_marks_the_link_external(client, trainee):
    page = client.get("/modules/scan-2-career-exploration/steps/try-it-out").get_data(as_text=True)
    assert find_out_more_links(page) == [
        ("https://foundationprogramme.nhs.uk/resources/careers/tasters/",
         "Specialty tasters for foundation doctors (UK Foundation Programme) (external site)"),
        ("https://foundationprogramme.nhs.uk/resources/careers/tasters/"
         "foundation-doctors-planning-a-taster/",
         "Foundation doctors: planning a taster (UK Foundation Programme) (external site)"),
    ]
    # Same tab, as NHS.UK advises for links in content.
    section = page.split("Find out more", 1)[1].split("</ul>", 1)[0]
    assert "target=" not in section


def test_no_source_is_on_a_weak_or_closed_site():
    registry = load_registry(PROJECT_MODULES)
    urls = [source for module in registry for source in module.sources]
    urls += [source.url for module in registry for step in module.steps
             for source in step.sources]
    weak = [url for url in urls if any(domain in url for domain in WEAK_DOMAINS)]
    print(f"{len(urls)} source addresses checked")
    assert urls and weak == []


def test_step_sources_are_https_and_every_fact_step_has_one():
    registry = load_registry(PROJECT_MODULES)
    steps = [step for module in registry for step in module.steps]
    assert all(source.url.startswith("https://") for step in steps for source in step.sources)
    assert all(step.sources for step in steps if step.facts)


@pytest.mark.parametrize(("fixture", "expected"), [
    ("http_source", "broken.yaml: step 'first', source 1: the web address must start with "
                    "https:// (got 'http://foundationprogramme.nhs.uk/')"),
    ("facts_without_source", "broken.yaml: step 'first': states facts (facts: true) but has no "
                             "sources: add at least one source"),
])
def test_modules_check_refuses_bad_sources_precisely(runner, fixture, expected):
    result = runner.invoke(args=["modules", "check", "--dir", str(FIXTURES / fixture)])
    assert result.exit_code != 0
    assert expected in result.output
    with pytest.raises(ModuleError, match="broken.yaml: step 'first'"):
        load_registry(FIXTURES / fixture)


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.org/x", "must start with https://"),
    ("https://", "must start with https://"),
    ("javascript:alert(1)", "must start with https://"),
])
def test_only_https_addresses_are_accepted(tmp_path, url, message):
    text = (FIXTURES / "http_source" / "broken.yaml").read_text().replace(
        "http://foundationprogramme.nhs.uk/", url)
    (tmp_path / "m.yaml").write_text(text)
    where = "m.yaml: step 'first', source 1: the web address "
    with pytest.raises(ModuleError, match=where + message):
        load_registry(tmp_path)


def test_a_source_needs_organisation_title_and_url(tmp_path):
    text = (FIXTURES / "http_source" / "broken.yaml").read_text().replace(
        "        title: The Foundation Programme\n", "")
    (tmp_path / "m.yaml").write_text(text)
    with pytest.raises(ModuleError, match="step 'first', source 1, title: Field required"):
        load_registry(tmp_path)
