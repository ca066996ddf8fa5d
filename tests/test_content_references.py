"""Links between modules in module files: recall, filled_from and asks, refused with
the file, step and field when they name something that does not exist or does not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from careers_app.content.carry import carry
from careers_app.content.loader import ModuleError, load_registry

REFERENCES = Path(__file__).parent / "fixtures" / "modules" / "references"
PROJECT_MODULES = Path(__file__).parent.parent / "modules"


def modules_with(tmp_path: Path, old: str, new: str) -> Path:
    """The references fixture with one line of later.yaml changed."""
    shutil.copytree(REFERENCES, tmp_path, dirs_exist_ok=True)
    later = tmp_path / "later.yaml"
    text = later.read_text()
    assert old in text
    later.write_text(text.replace(old, new))
    return tmp_path


BROKEN = {
    "missing module": (
        "filled_from: earlier/options/first-choice", "filled_from: nowhere/options/first-choice",
        "later.yaml: step 'decide', field 'first-choice': filled_from "
        "'nowhere/options/first-choice': no module 'nowhere'"),
    "missing step": (
        "filled_from: earlier/options/first-choice", "filled_from: earlier/choices/first-choice",
        "later.yaml: step 'decide', field 'first-choice': filled_from "
        "'earlier/choices/first-choice': no step 'choices' in module 'earlier'"),
    "missing field": (
        "filled_from: earlier/options/first-choice", "filled_from: earlier/options/second-choice",
        "later.yaml: step 'decide', field 'first-choice': filled_from "
        "'earlier/options/second-choice': no field 'second-choice' in step 'options' of "
        "module 'earlier'"),
    "shape that does not fit": (
        "filled_from: earlier/options/first-choice", "filled_from: earlier/options/start-date",
        "later.yaml: step 'decide', field 'first-choice': filled_from "
        "'earlier/options/start-date': a short_text field cannot be filled from a date field"),
    "recall of a missing field": (
        "recall: [earlier/values/values-ranking]", "recall: [earlier/values/values-order]",
        "later.yaml: step 'decide': recall 'earlier/values/values-order': no field "
        "'values-order' in step 'values' of module 'earlier'"),
    "unknown question": (
        "asks: first-choice\n        filled_from", "asks: first-choise\n        filled_from",
        "later.yaml: step 'decide', field 'first-choice': asks 'first-choise': no such "
        "question in questions/questions.yaml"),
    "malformed reference": (
        "filled_from: earlier/options/first-choice", "filled_from: earlier/first-choice",
        "later.yaml: step 'decide', field 'first-choice', filled_from, 0: String should "
        "match pattern"),
    "itself": (
        "filled_from: earlier/options/first-choice", "filled_from: later/decide/first-choice",
        "filled_from 'later/decide/first-choice': a field cannot be filled from itself"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_modules_check_refuses_a_broken_link_with_a_precise_message(runner, tmp_path, case):
    old, new, message = BROKEN[case]
    folder = modules_with(tmp_path, old, new)
    result = runner.invoke(args=["modules", "check", "--dir", str(folder)])
    assert result.exit_code != 0
    assert message in result.output


def test_the_fixture_itself_is_valid(runner):
    result = runner.invoke(args=["modules", "check", "--dir", str(REFERENCES)])
    assert result.exit_code == 0, result.output


def test_a_loop_of_filled_from_links_is_refused(tmp_path):
    folder = modules_with(tmp_path, "        asks: first-choice\n        filled_from",
                          "        filled_from")
    earlier = folder / "earlier.yaml"
    earlier.write_text(earlier.read_text().replace(
        "        asks: first-choice\n",
        "        asks: first-choice\n        filled_from: later/decide/first-choice\n"))
    with pytest.raises(ModuleError, match="filled_from makes a loop: "):
        load_registry(folder)


def test_asks_and_plan_on_one_field_is_refused(tmp_path):
    folder = modules_with(tmp_path, "asks: first-choice\n        filled_from",
                          "asks: first-choice\n        plan: decision\n        filled_from")
    with pytest.raises(ModuleError, match="goes where that question goes on the plan"):
        load_registry(folder)


def test_a_matrix_takes_options_from_a_list_and_factors_from_a_ranking():
    registry = load_registry(REFERENCES)
    earlier, later = registry.get("earlier"), registry.get("later")
    shortlist = earlier.step("options").fields[0]
    ranking = earlier.step("values").fields[0]
    matrix = later.step("decide").fields[0]
    value = carry(matrix, [
        (shortlist, [{"option": "GP training"}, {"option": "Psychiatry"}, {"option": " "}]),
        (ranking, ["teamwork", "security", "variety"]),
    ])
    assert value == {"options": ["GP training", "Psychiatry"],
                     "criteria": [{"label": "Teamwork", "weight": None},
                                  {"label": "Security", "weight": None},
                                  {"label": "Variety", "weight": None}],
                     "scores": [[None, None, None], [None, None, None]]}
    assert carry(matrix, [(shortlist, []), (ranking, [])]) is None


def test_the_project_modules_link_without_problems():
    registry = load_registry(PROJECT_MODULES)
    assert registry.questions, "the project has shared questions"
