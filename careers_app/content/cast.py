"""The cast of fictional trainees used in worked examples, kept in modules/cast/.

Examples in different modules follow the same people, so a trainee who meets Priya
twice meets one Priya. The check here reads the sentence that introduces a person in
an example ("Priya is an F1 doctor.") and holds it to the cast file, so an author who
turns a doctor into a dentist in one module is told before the change goes live.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import TypeAdapter, ValidationError, model_validator

from careers_app.content.loader import ModuleError, parse_yaml
from careers_app.content.schema import Module, Strict, Text

CAST_FILE = Path("cast") / "cast.yaml"

# The service's professional groups and training stages (careers_app/accounts/eligibility.py).
Profession = Literal[
    "doctor_dentist", "healthcare_professional", "pharmacy", "workforce_scheme",
    "healthcare_science",
]
TrainingStage = Literal[
    "foundation", "core", "higher", "gp", "dental", "band_5_6", "band_7_8",
    "pharmacy_early", "pharmacy_foundation", "workforce_scheme", "healthcare_science", "other",
]

_DOCTORS = frozenset({"doctor_dentist", "workforce_scheme"})
# Words that say which professional group a person belongs to. A word can fit more than
# one group (a doctor on a workforce scheme is still a doctor). Longer phrases first, so
# "pharmacy technician" is read as one word rather than missed.
PROFESSION_WORDS: dict[str, frozenset[str]] = {
    "pharmacy technician": frozenset({"pharmacy"}),
    "pharmacist": frozenset({"pharmacy"}),
    "doctor": _DOCTORS,
    "dentist": frozenset({"doctor_dentist"}),
    "dental": frozenset({"doctor_dentist"}),
    "registrar": _DOCTORS,
    "consultant": _DOCTORS,
    "core trainee": frozenset({"doctor_dentist"}),
    "specialty trainee": frozenset({"doctor_dentist"}),
    "foundation year": frozenset({"doctor_dentist"}),
    "f1": frozenset({"doctor_dentist"}),
    "f2": frozenset({"doctor_dentist"}),
    "nurse": frozenset({"healthcare_professional"}),
    "midwife": frozenset({"healthcare_professional"}),
    "physiotherapist": frozenset({"healthcare_professional"}),
    "paramedic": frozenset({"healthcare_professional"}),
    "scientist": frozenset({"healthcare_science"}),
}
# Words that pin down a training stage exactly; others ("final year") are left alone.
STAGE_WORDS: dict[str, str] = {
    "f1": "foundation",
    "f2": "foundation",
    "foundation year": "foundation",
    "band 5": "band_5_6",
    "band 6": "band_5_6",
    "band 7": "band_7_8",
    "band 8": "band_7_8",
    "foundation pharmacist": "pharmacy_foundation",
    "dental": "dental",
    "dentist": "dental",
}
_PROFESSION_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in PROFESSION_WORDS) + r")s?\b", re.IGNORECASE)
_STAGE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in STAGE_WORDS) + r")\b", re.IGNORECASE)
# "Priya is an F1 doctor.", "Priya works as an F1 doctor." or "Priya, an F1 doctor, ...".
# What follows the name, to the end of the sentence (or the closing comma), is how the
# example describes her.
_INTRODUCTION = re.compile(
    r"(?<![\w*])([A-Z][a-z]+)(?: (?:is|works as) an? ([^.!?]*)|, an? ([^,.!?]*),)")
_NOT_NAMES = frozenset({"This", "That", "It", "There", "Here", "What", "Which", "Who"})


class CastMember(Strict):
    name: Text
    profession: Profession
    stage: TrainingStage
    role: Text  # how the examples describe them, for authors: "F1 doctor"
    story: Text  # their story so far, so a new example can carry it on

    @model_validator(mode="after")
    def _one_word_name(self) -> CastMember:
        # Examples name people by first name only; the check matches one word.
        if not re.fullmatch(r"[A-Z][a-z]+", self.name):
            raise ValueError(f"name {self.name!r} must be one first name, like Priya")
        return self


def load_cast(modules_dir: Path) -> dict[str, CastMember]:
    """The cast beside the module files, by name; empty if there is none."""
    path = modules_dir / CAST_FILE
    if not path.is_file():
        return {}
    try:
        members = TypeAdapter(tuple[CastMember, ...]).validate_python(
            parse_yaml(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as error:
        raise ModuleError(f"{CAST_FILE}: {error}") from error
    cast: dict[str, CastMember] = {}
    for member in members:
        if member.name in cast:
            raise ModuleError(f"{CAST_FILE}: {member.name} is listed twice")
        cast[member.name] = member
    return cast


def _introduction_problem(member: CastMember | None, name: str, description: str,
                          *, needs_profession: bool) -> str | None:
    words = [word.lower() for word in _PROFESSION_PATTERN.findall(description)]
    if member is None:
        # Only a description with a profession word is a person being introduced.
        return f"introduces {name}, who is not in {CAST_FILE}" if words else None
    if not words and needs_profession:
        return (f"introduces {name} as '{description.strip()}', with no profession word; "
                f"the cast has {name} as {member.role}")
    for word in words:
        if member.profession not in PROFESSION_WORDS[word]:
            return (f"calls {name} '{word}', but the cast has {name} as {member.role} "
                    f"({member.profession})")
    for word in (word.lower() for word in _STAGE_PATTERN.findall(description)):
        if STAGE_WORDS[word] != member.stage:
            return (f"calls {name} '{word}', but the cast has {name} at stage "
                    f"{member.stage} ({member.role})")
    return None


def example_problems(text: str, cast: dict[str, CastMember]) -> list[str]:
    """What an example says about its people that the cast file contradicts."""
    flat = " ".join(text.split())
    problems = []
    for match in _INTRODUCTION.finditer(flat):
        name, stated, aside = match.groups()
        if name in _NOT_NAMES:
            continue
        # "Priya is a ..." must say what she does; "Priya, a friend, ..." need not.
        problem = _introduction_problem(cast.get(name), name, stated or aside or "",
                                        needs_profession=stated is not None)
        if problem:
            problems.append(problem)
    return problems


def cast_problems(modules: Iterable[Module], cast: dict[str, CastMember]) -> list[str]:
    """Every example that disagrees with the cast, as "module, step 'id': problem"."""
    problems = []
    for module in modules:
        for step in module.steps:
            for problem in example_problems(step.example or "", cast):
                problems.append(f"{module.slug}, step '{step.id}': {problem}")
    return problems


def appearances(modules: Iterable[Module], cast: dict[str, CastMember]) -> dict[str, list[str]]:
    """The modules whose examples name each cast member, in module order."""
    found: dict[str, list[str]] = {name: [] for name in cast}
    for module in modules:
        text = " ".join(step.example or "" for step in module.steps)
        for name in cast:
            if re.search(rf"\b{name}\b", text):
                found[name].append(module.slug)
    return found
