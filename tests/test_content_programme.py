"""The modules of the programme: complete, plain, and every abbreviation explained."""

from __future__ import annotations

import pytest

from careers_app.config import PROJECT_ROOT
from careers_app.content.field_types import FIELD_TYPES
from careers_app.content.glossary import abbreviations_in, load_glossary
from careers_app.content.loader import load_registry
from careers_app.content.readability import (
    MAX_GUIDANCE_WORDS,
    MIN_READING_EASE,
    module_texts,
    reading_ease,
    words,
)

MODULES = load_registry(PROJECT_ROOT / "modules")
PROGRAMME = {
    "scan-1-self-awareness", "scan-2-career-exploration", "scan-3-arriving-at-a-decision",
    "scan-4-next-steps", "foundation-choosing-a-specialty", "foundation-f3-and-other-routes",
    "specialty-interview-preparation", "consultant-interview", "networking-for-clinicians",
    "reflective-practice", "less-than-full-time-training", "returning-to-training",
    "thinking-of-leaving", "nursing-midwifery-ahp-careers", "pharmacy-careers",
    "dental-careers", "portfolio-pathway-and-sas-careers", "academic-careers",
    "applications-and-personal-statements",
}


def test_the_programme_modules_exist():
    assert set(MODULES.modules) == PROGRAMME


@pytest.mark.parametrize("audience", ["nursing-midwifery", "pharmacy", "dentistry"])
def test_each_profession_has_three_modules_written_for_it_beside_scan(audience):
    """A band 6 nurse, a foundation pharmacist and a dental foundation trainee each find
    at least three modules tagged for them, not only the ones for everybody."""
    written_for = [module.slug for module in MODULES if audience in module.audiences
                   and module.stage not in ("S", "C", "A", "N")]
    assert len(written_for) >= 3, written_for


def test_each_scan_stage_has_its_module():
    stages = {module.stage: module.slug for module in MODULES}
    assert {stages[stage] for stage in "SCAN"} == {
        "scan-1-self-awareness", "scan-2-career-exploration",
        "scan-3-arriving-at-a-decision", "scan-4-next-steps"}


@pytest.mark.parametrize("slug", sorted(PROGRAMME))
def test_module_shape(slug):
    module = MODULES.get(slug)
    assert 5 <= len(module.steps) <= 9
    assert 20 <= module.minutes <= 60
    assert module.sources, "sources list the public pages behind the facts"
    assert all(step.guidance.strip() for step in module.steps)
    assert any(field.plan for step in module.steps for field in step.fields)


def test_every_field_type_is_used_somewhere():
    used = {field.type for module in MODULES for step in module.steps for field in step.fields}
    assert used == set(FIELD_TYPES)


@pytest.mark.parametrize("slug", sorted(PROGRAMME))
def test_plain_language(slug):
    module = MODULES.get(slug)
    assert reading_ease(module_texts(module)) >= MIN_READING_EASE
    for step in module.steps:
        assert len(words(step.guidance)) <= MAX_GUIDANCE_WORDS, step.id


def test_reading_ease_tells_plain_from_dense_text():
    plain = "You can change your plan. Talk to a coach. Write down one step."
    dense = ("Notwithstanding organisational considerations, multidisciplinary "
             "collaboration necessitates comprehensive interprofessional communication.")
    assert reading_ease([plain]) > 80 > MIN_READING_EASE > reading_ease([dense])


def test_every_abbreviation_is_in_the_glossary():
    glossary = {term.term for term in load_glossary(PROJECT_ROOT / "modules")}
    used = set().union(*(abbreviations_in(module) for module in MODULES))
    assert {"SCAN", "F2", "SMART"} <= used  # the search finds what it should
    assert sorted(used - glossary) == []


def test_glossary_page_lists_terms_and_step_pages_link_to_it(client, make_user, sign_in):
    page = client.get("/glossary").get_data(as_text=True)
    assert "Advisory Appointments Committee" in page and ">MSRA</abbr>" in page
    make_user("trainee@example.org")
    sign_in("trainee@example.org")
    step = client.get("/modules/scan-4-next-steps/").get_data(as_text=True)
    assert 'href="/glossary"' in step
    first_step = MODULES.get("scan-2-career-exploration").steps[0].id
    step = client.get(f"/modules/scan-2-career-exploration/steps/{first_step}")
    assert 'href="/glossary"' in step.get_data(as_text=True)
