"""The cast of fictional trainees: one Priya in every module, held to modules/cast/cast.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, TRAINING_STAGES
from careers_app.config import PROJECT_ROOT
from careers_app.content.cast import (
    appearances,
    cast_problems,
    example_problems,
    load_cast,
)
from careers_app.content.loader import ModuleError, load_registry

MODULES_DIR = PROJECT_ROOT / "modules"
FIXTURES = Path(__file__).parent / "fixtures" / "modules"


def test_the_cast_file_loads_with_the_services_groups_and_stages():
    cast = load_cast(MODULES_DIR)
    assert cast["Priya"].role == "F1 doctor"
    assert cast["Sana"].stage == "dental"
    for member in cast.values():
        assert member.profession in PROFESSIONAL_GROUPS
        assert member.stage in TRAINING_STAGES
        assert 1 <= member.story.count(".") <= 3, member.name


def test_every_module_example_agrees_with_the_cast():
    cast = load_cast(MODULES_DIR)
    assert cast_problems(load_registry(MODULES_DIR), cast) == []


def test_everyone_in_the_cast_appears_in_a_module():
    cast = load_cast(MODULES_DIR)
    found = appearances(load_registry(MODULES_DIR), cast)
    assert [name for name, slugs in found.items() if not slugs] == []
    # Sana's story runs from Self awareness to the interview.
    assert found["Sana"] == [
        "scan-1-self-awareness", "scan-3-arriving-at-a-decision", "scan-4-next-steps",
        "specialty-interview-preparation",
    ]


def test_modules_check_refuses_an_example_that_contradicts_the_cast(runner):
    result = runner.invoke(args=["modules", "check", "--dir", str(FIXTURES / "cast_mismatch")])
    assert result.exit_code != 0
    assert ("tiny, step 'first': calls Priya 'nurse', but the cast has Priya as F1 doctor "
            "(doctor_dentist)") in result.output


def test_modules_check_passes_the_fixture_once_the_example_agrees(runner, tmp_path):
    folder = tmp_path / "modules"
    (folder / "cast").mkdir(parents=True)
    source = FIXTURES / "cast_mismatch"
    (folder / "cast" / "cast.yaml").write_text((source / "cast" / "cast.yaml").read_text())
    (folder / "tiny.yaml").write_text(
        (source / "tiny.yaml").read_text().replace("a band 5 staff nurse", "an F1 doctor"))
    result = runner.invoke(args=["modules", "check", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "The examples agree with the cast (1 in cast/cast.yaml)." in result.output


@pytest.mark.parametrize(
    ("example", "problem"),
    [
        ("Priya is a dental core trainee.",
         "calls Priya 'dental', but the cast has Priya at stage foundation (F1 doctor)"),
        ("Priya is an F2 doctor.",
         None),  # F1 and F2 are both the foundation stage
        ("Priya is a foundation pharmacist.",
         "calls Priya 'pharmacist', but the cast has Priya as F1 doctor (doctor_dentist)"),
        ("Priya is a final-year trainee.",
         "introduces Priya as 'final-year trainee', with no profession word; "
         "the cast has Priya as F1 doctor"),
        ("Zara is a band 6 midwife.", "introduces Zara, who is not in cast/cast.yaml"),
        ("Priya asked a midwife for advice. This is a doctor's story.", None),
        ("Priya is an\n  F1 doctor.", None),
        ("Priya works as a band 5 nurse.",
         "calls Priya 'nurse', but the cast has Priya as F1 doctor (doctor_dentist)"),
        ("Then Priya, a dental core trainee, booked a taster.",
         "calls Priya 'dental', but the cast has Priya at stage foundation (F1 doctor)"),
        ("Priya, a friend, said it is a nurse's job.", None),
    ],
)
def test_introductions_are_held_to_the_cast(example, problem):
    cast = load_cast(MODULES_DIR)
    assert example_problems(example, cast) == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: Priya\n  profession: surgeon\n  stage: foundation\n  role: x\n  story: y\n",
         "profession"),
        ("- name: Priya Shah\n  profession: pharmacy\n  stage: other\n  role: x\n  story: y\n",
         "must be one first name"),
        ("- name: Priya\n  profession: pharmacy\n  stage: other\n  role: x\n  story: y\n"
         "- name: Priya\n  profession: pharmacy\n  stage: other\n  role: x\n  story: y\n",
         "Priya is listed twice"),
    ],
)
def test_a_broken_cast_file_is_refused(tmp_path, text, message):
    (tmp_path / "cast").mkdir()
    (tmp_path / "cast" / "cast.yaml").write_text(text)
    with pytest.raises(ModuleError, match=message):
        load_cast(tmp_path)
