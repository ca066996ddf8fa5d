"""Pages draw NHS.UK components through the nhsuk-frontend-jinja macros, not hand-written
markup, so that moving to a new design-system release (see test_design_system_versions.py)
changes every page's markup with it. Hand-written copies drift: the back links written for
frontend 9 kept a class the 10.x stylesheet no longer styles.

This test fails when one of these components is written out by hand in a template again,
outside the few places listed below with the reason each is kept."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The component's root class, as a template would write it by hand. The macros are called
# as nhsukSummaryList({...}) and so on; "classes" given to a macro are not matched. Tables
# are drawn with kept_table({...}) (careers_app/kept_macros.py): the table macro's markup, kept
# per shape, since the macro itself costs about 1,000 Python calls a cell.
COMPONENTS = {
    "summary-list": "nhsuk/components/summary-list/macro.jinja",
    "back-link": "nhsuk/components/back-link/macro.jinja",
    "inset-text": "nhsuk/components/inset-text/macro.jinja",
    "warning-callout": "nhsuk/components/warning-callout/macro.jinja",
    "tag": "nhsuk/components/tag/macro.jinja",
    "card": "nhsuk/components/card/macro.jinja",
    "table": "nhsuk/components/tables/macro.jinja",
}
# Not NHS.UK pages, so not scanned: the plan PDF (templates/pdf/, laid out by WeasyPrint
# with its own stylesheet, templates/pdf/plan.css) and the pages of the "Download my data" archive
# (templates/personal_data/archive/, read offline from the ZIP with the small stylesheet in
# its own page). Neither loads the NHS.UK stylesheet the components are drawn for.
NOT_NHSUK_PAGES = ("pdf/", "personal_data/archive/")
HAND_WRITTEN = re.compile(
    r'class="(?:[^"]*\s)?nhsuk-(' + "|".join(COMPONENTS) + r')(?=[\s"])')

# Hand-written on purpose. Both render on worksheet steps, where rendering time is kept
# down: a macro call costs about 0.15 ms, some ten times the same markup written out.
ALLOWED = {
    ("worksheets/_brought_forward.html", "card"):
        "the step page's recalled answers: a <section> named by its heading, which the "
        "card macro (a <div>) cannot give",
    ("worksheets/_matrix_totals.html", "card"):
        "the step page's live totals, with the data attributes its script reads",
}


def _hand_written(templates: Path = TEMPLATES) -> set[tuple[str, str]]:
    found = set()
    for path in templates.rglob("*.html"):
        name = path.relative_to(templates).as_posix()
        if name.startswith(NOT_NHSUK_PAGES):
            continue
        for match in HAND_WRITTEN.finditer(path.read_text()):
            found.add((name, match.group(1)))
    return found


def test_components_are_drawn_with_the_design_system_macros():
    unexpected = sorted(_hand_written() - ALLOWED.keys())
    assert not unexpected, "Hand-written NHS.UK components; use the macros:\n" + "\n".join(
        f"  templates/{path}: nhsuk-{kind}, see {COMPONENTS[kind]}" for path, kind in unexpected)


def test_every_listed_exception_is_still_needed():
    stale = sorted(ALLOWED.keys() - _hand_written())
    assert not stale, "No longer hand-written, remove from ALLOWED: " + ", ".join(
        f"{path} ({kind})" for path, kind in stale)


def test_the_check_sees_a_hand_written_component():
    # The pattern itself: a root class is caught, an element of the component or a class
    # handed to a macro is not.
    assert HAND_WRITTEN.search('<dl class="nhsuk-summary-list">')
    assert HAND_WRITTEN.search('<strong class="app-x nhsuk-tag nhsuk-tag--red">')
    assert not HAND_WRITTEN.search('<div class="nhsuk-summary-list__row">')
    assert not HAND_WRITTEN.search('<ul class="nhsuk-card-group">')
    assert not HAND_WRITTEN.search('{{ nhsukTag({"text": "Done", "classes": "nhsuk-tag--red"}) }}')


def test_the_check_sees_a_hand_written_table_by_its_root_class_only():
    assert HAND_WRITTEN.search('<table class="nhsuk-table">').group(1) == "table"
    assert HAND_WRITTEN.search('<table class="nhsuk-table nhsuk-table--responsive" role="table">')
    assert HAND_WRITTEN.search('<table class="nhsuk-table--responsive app-x nhsuk-table">')
    # The table's parts and modifiers on their own are not the component.
    for part in ('<tr class="nhsuk-table__row">', '<td class="nhsuk-table__cell app-break">',
                 '<div class="nhsuk-table-container">', '<table class="nhsuk-table--responsive">',
                 '<span class="nhsuk-table__heading" aria-hidden="true">'):
        assert not HAND_WRITTEN.search(part), part


def test_pages_that_are_not_nhsuk_pages_are_left_out_of_the_scan(tmp_path):
    table = '<table class="nhsuk-table">'
    for name in ("pdf/plan.html", "personal_data/archive/index.html", "admin/users.html",
                 "personal_data/export.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(table)
    assert _hand_written(tmp_path) == {("admin/users.html", "table"),
                                       ("personal_data/export.html", "table")}
