"""Field types: one class per type, found by name; each writes a stored answer back as
the form inputs it reads, which is what autosave posts and restores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from careers_app.config import PROJECT_ROOT
from careers_app.content.field_types import FIELD_TYPES
from careers_app.content.fields import clean_answer
from careers_app.content.loader import load_registry
from careers_app.content.schema import FieldSpec
from careers_app.worksheets.formdata import read_field, read_step, to_form

MODULES = load_registry(PROJECT_ROOT / "modules")
SPECS = {f"{module.slug}/{step.id}/{spec.id}": spec
         for module in MODULES for step in module.steps for spec in step.fields}
SCAN3 = "scan-3-arriving-at-a-decision"
URL = f"/modules/{SCAN3}/steps/your-decision/autosave"


def an_answer(spec: FieldSpec) -> Any:
    """A full answer of the field's type, in its stored shape once cleaned."""
    raw = spec.kind.sample(spec, lambda limit, n: f"Café rota {n}"[:limit], dt.date(2026, 11, 1))
    return clean_answer(spec, raw, strict=False)


@pytest.mark.parametrize("where", sorted(SPECS))
def test_every_field_reads_back_what_it_writes_as_form_inputs(where):
    spec = SPECS[where]
    answer = an_answer(spec)
    form = MultiDict(spec.kind.to_form(spec, answer))
    assert clean_answer(spec, read_field(form, spec), strict=False) == answer
    empty = MultiDict(spec.kind.to_form(spec, None))
    assert spec.kind.is_empty(spec, clean_answer(spec, read_field(empty, spec), strict=False))


@pytest.mark.parametrize("name", sorted(FIELD_TYPES))
def test_each_type_has_its_class_module_and_input_template(name):
    kind = FIELD_TYPES[name]
    assert kind.name == name
    assert (PROJECT_ROOT / "templates" / kind.field_template).is_file()
    own_answer, as_on_plan = kind.answer_template
    assert own_answer == f"worksheets/answers/{name}.html"
    assert (PROJECT_ROOT / "templates" / as_on_plan).is_file()


def test_an_unknown_type_is_named_with_the_types_there_are():
    with pytest.raises(ValueError, match=r"Input should be 'action_table', .* or 'short_text' "
                                         r"\(got 'essay'\)"):
        FieldSpec.model_validate({"id": "x", "type": "essay", "label": "X"})


def test_a_setting_of_another_type_names_the_types_it_is_for():
    with pytest.raises(ValueError, match="options are only for choice, multi_choice, ranking"):
        FieldSpec.model_validate({"id": "x", "type": "date", "label": "X", "options": [
            {"value": "a", "label": "A"}, {"value": "b", "label": "B"}]})


def test_an_unreadable_ranking_is_kept_as_typed_with_a_message():
    spec = next(spec for spec in SPECS.values() if spec.type == "ranking")
    step = next(step for module in MODULES for step in module.steps if spec in step.fields)
    typed = {f"{spec.id}--{option.value}": "1" for option in spec.options}
    answers, errors = read_step(MultiDict(typed), step)
    assert answers[spec.id] == {option.value: "1" for option in spec.options}
    assert errors[spec.id].startswith("Give each value a different number")


def test_autosave_reads_the_step_form_as_the_page_posts_it(app, client, trainee):
    first = client.post(URL, data={"version": "0", "first-choice": "GP",
                                   "reasons": "Variety", "back-up-plan": ""})
    assert first.status_code == 200, first.json
    assert first.json["version"] == 1
    stale = client.post(URL, data={"version": "0", "first-choice": "Surgery",
                                   "reasons": "Variety", "back-up-plan": ""})
    assert stale.status_code == 409
    step = MODULES.get(SCAN3).step("your-decision")
    assert stale.json["answers"] == {"first-choice": "GP", "reasons": "Variety",
                                     "back-up-plan": ""}
    assert stale.json["form"] == {key: [value] for key, value in
                                  to_form(step, stale.json["answers"])}
    assert stale.json["same"] is False


def test_a_stale_autosave_that_changes_nothing_stored_is_not_a_choice(app, client, trainee):
    # A ranking still being numbered is left out of a save, so the save is not of the
    # whole step and a stale one is a conflict; the page need not ask which copy to keep.
    url = "/modules/scan-1-self-awareness/steps/work-values/autosave"
    spec = MODULES.get("scan-1-self-awareness").step("work-values").fields[1]
    assert spec.type == "ranking"
    typed = {"values-reflection": "Teaching matters"}
    assert client.post(url, data={"version": "0", **typed}).json["version"] == 1
    half_numbered = {f"{spec.id}--{spec.options[0].value}": "1"}
    stale = client.post(url, data={"version": "0", **typed, **half_numbered})
    assert stale.status_code == 409
    assert stale.json["same"] is True
    changed = client.post(url, data={"version": "0", "values-reflection": "Pay",
                                     **half_numbered})
    assert changed.json["same"] is False
    current = client.post(url, data={"version": "1", **typed, **half_numbered})
    assert current.status_code == 200  # the stored order is kept as it was
    assert current.json["errors"] == {}


def test_a_form_without_a_version_is_malformed(client, trainee):
    response = client.post(URL, data={"first-choice": "GP"})
    assert response.status_code == 400
    assert "errors" in response.json
