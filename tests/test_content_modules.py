"""Module files: validated at start-up and by `flask modules check`, with precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from careers_app.content.loader import ModuleError, load_registry
from tests.conftest import build_app

FIXTURES = Path(__file__).parent / "fixtures" / "modules"
PROJECT_MODULES = Path(__file__).parent.parent / "modules"

BROKEN = {
    "unknown_type": ["broken.yaml: step 'first', field 'thing', type:", "(got 'essay')"],
    "duplicate_step": ["broken.yaml: duplicate step id: first"],
    "duplicate_field": ["broken.yaml: step 'first': duplicate field id: thing"],
    "missing_label": ["broken.yaml: step 'first', field 'thing', label: Field required"],
    "unknown_plan": ["broken.yaml: step 'first', field 'thing', plan:", "(got 'wishes')"],
    "bad_yaml": ["broken.yaml: not valid YAML (line 3, column 6)"],
}


def test_modules_check_passes_on_the_project_modules(runner):
    result = runner.invoke(args=["modules", "check", "--dir", str(PROJECT_MODULES)])
    assert result.exit_code == 0, result.output
    assert "are valid" in result.output


@pytest.mark.parametrize(("fixture", "expected"), sorted(BROKEN.items()))
def test_modules_check_names_file_step_and_field(runner, fixture, expected):
    result = runner.invoke(args=["modules", "check", "--dir", str(FIXTURES / fixture)])
    assert result.exit_code != 0
    for fragment in expected:
        assert fragment in result.output
    assert "at least 1 item" not in result.output


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_app_refuses_to_start_with_a_broken_module(database_url, fixture):
    with pytest.raises(ModuleError, match="broken.yaml"):
        build_app(database_url, MODULES_DIR=FIXTURES / fixture)


def test_valid_fixture_loads_into_the_registry():
    registry = load_registry(FIXTURES / "valid")
    module = registry.get("tiny")
    assert module is not None and len(registry) == 1
    assert module.step("first").fields[0].plan == "notes"
    assert module.step("missing") is None


def test_two_files_with_one_slug_are_refused(tmp_path):
    text = (FIXTURES / "valid" / "tiny.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    with pytest.raises(ModuleError, match="slug 'tiny' is used by another module"):
        load_registry(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("type: short_text", "type: choice"), "a choice field needs at least two options"),
        (("type: short_text", "type: scale"), "a scale field needs statements"),
        (("type: short_text", "type: list"), "a list field needs columns"),
        (("required: true", "required: true\n        max_words: 10"),
         "max_words is only for long_text"),
        (("required: true", "required: true\n        colour: red"), "colour: unknown key"),
        (("slug: tiny", "slug: Tiny Module"), "slug: String should match pattern"),
    ],
)
def test_field_settings_must_fit_the_type(tmp_path, change, message):
    text = (FIXTURES / "valid" / "tiny.yaml").read_text().replace(*change)
    (tmp_path / "m.yaml").write_text(text)
    with pytest.raises(ModuleError, match=message):
        load_registry(tmp_path)


def test_first_scan_modules_use_every_field_type_between_them():
    registry = load_registry(PROJECT_MODULES)
    assert {"scan-1-self-awareness", "scan-3-arriving-at-a-decision"} <= set(registry.modules)
    used = {field.type for module in registry for step in module.steps for field in step.fields}
    assert used >= {"short_text", "long_text", "choice", "multi_choice", "scale", "ranking",
                    "list", "decision_matrix", "action_table", "date"}
