"""Factual corrections to the module text stay corrected.

Each phrase below is wording a module once used for a claim that was wrong or
misattributed. The test reads the raw module and glossary files, so it catches the old
wording wherever it comes back: guidance, examples, labels, hints or sources. The
second half checks that the corrected passages still say what they now must.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careers_app.coaching import rules
from careers_app.config import PROJECT_ROOT
from careers_app.content.loader import load_registry

MODULES_DIR = PROJECT_ROOT / "modules"

# (the old wording, lower case; why it was wrong)
RETIRED_WORDING = [
    ("sas stands for staff grade",
     "SAS means specialty and specialist; staff grade closed to new entrants in 2008"),
    ("staff grade, associate specialist and specialty doctor",
     "lists a closed grade as current and leaves out the specialist grade"),
    ("explained to the patient what had happened.",
     "a model answer to 'a mistake' with no apology, incident report or shared learning"),
    ("often entered at st3",
     "group 1 medical specialties and anaesthetics now start at ST4"),
    ("for higher training at st3",
     "higher training starts at ST3 or ST4 depending on the specialty"),
    ("st3 cardiology",
     "cardiology is a group 1 specialty, entered at ST4 after 3 years of IMT"),
    ("royal college of anaesthetists advises",
     "the advice is from an Anaesthesia News article, not the college"),
    ("royal college of anaesthetists, consultant pre-interview visits",
     "anaesthetists.org is the Association of Anaesthetists, not the college"),
    ("candidates are expected to visit",
     "a visit is customary, not a duty; canvassing the panel disqualifies"),
    ("or at least call, the chief executive",
     "turns one magazine article into a duty"),
    ("can have up to 3 online",
     "every eligible client can have up to 3 appointments, by video, phone or in person"),
    ("with a london training number can have",
     "the allowance is for every eligible client, not only London foundation doctors"),
    ("if you hold a london training number, you can book",
     "foundation doctors have no training number; every eligible client can apply"),
    ("while you hold a london training number",
     "foundation doctors have no training number; every eligible client can apply"),
    ("private unless you choose to share it",
     "answers with a plan section go into the action plan, which trainees share"),
]


def module_files() -> list[Path]:
    return sorted(p for p in MODULES_DIR.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_the_files_are_found():
    names = {path.name for path in module_files()}
    assert {"terms.yaml", "consultant-interview.yaml", "reflective-practice.yaml"} <= names


@pytest.mark.parametrize(("phrase", "why"), RETIRED_WORDING, ids=[p for p, _ in RETIRED_WORDING])
def test_retired_wording_is_gone(phrase, why):
    found = [path.relative_to(PROJECT_ROOT).as_posix() for path in module_files()
             if phrase in " ".join(path.read_text(encoding="utf-8").lower().split())]
    assert found == [], f"{phrase!r} ({why}) is still in {found}"


MODULES = load_registry(MODULES_DIR)


def step_text(slug: str, step_id: str) -> str:
    step = MODULES.get(slug).step(step_id)
    return " ".join(f"{step.guidance}\n{step.example or ''}".split())


def test_the_mistake_answer_reports_apologises_and_shares_learning():
    text = step_text("specialty-interview-preparation", "starr-answers").lower()
    for needed in ("incident report", "apologised", "duty of candour", "shared"):
        assert needed in text, needed


def test_sas_names_todays_grades():
    text = step_text("foundation-f3-and-other-routes", "the-routes").lower()
    assert "specialty doctor" in text and "specialist" in text
    assert "closed to new" in text


def test_consultant_visits_are_told_apart_from_canvassing():
    text = step_text("consultant-interview", "trust-visits").lower()
    assert "canvass" in text and "advert" in text


def test_appointment_promises_match_the_coaching_rules():
    text = step_text("scan-4-next-steps", "careers-appointment")
    assert f"up to {rules.ALLOWANCE}" in text
    assert f"{rules.NOTICE_HOURS} hours" in text
    assert f"{rules.REPLY_WITHIN_DAYS} days" in text


def test_reflection_says_which_answers_go_into_the_plan():
    text = step_text("reflective-practice", "feelings").lower()
    assert "action plan" in text and "share" in text


def test_the_hopes_question_has_a_hint_for_everyone_who_answers_it():
    """It asked what you would like from the module, but its hint spoke only to those who
    had chosen "Something else" in the question before."""
    module = load_registry(MODULES_DIR).get("scan-1-self-awareness")
    hopes = next(field for step in module.steps for field in step.fields
                 if field.id == "hopes")
    assert not hopes.hint.startswith("If you chose")
    assert "for example" in hopes.hint.lower() and "Something else" in hopes.hint
