"""The glossary of abbreviations used in the modules, kept beside them in modules/glossary/."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from careers_app.content.loader import ModuleError, parse_yaml
from careers_app.content.schema import Module, Strict, Text

GLOSSARY_FILE = Path("glossary") / "terms.yaml"
# Letters in capitals with digits (F2, ST3, SMART, PAs) and the careers unit's "1-2-1".
ABBREVIATION = re.compile(r"\b(?:[A-Z][A-Z0-9]+|[A-Z][0-9])(?=s?\b)|\b1-2-1\b")


class Term(Strict):
    term: Text
    stands_for: Text
    meaning: Text


def load_glossary(modules_dir: Path) -> tuple[Term, ...]:
    """The glossary beside the module files, sorted by term; empty if there is none."""
    path = modules_dir / GLOSSARY_FILE
    if not path.is_file():
        return ()
    try:
        terms = TypeAdapter(tuple[Term, ...]).validate_python(
            parse_yaml(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as error:
        raise ModuleError(f"{GLOSSARY_FILE}: {error}") from error
    return tuple(sorted(terms, key=lambda term: term.term.lower()))


def abbreviations_in(module: Module) -> set[str]:
    """Every abbreviation a trainee can read in a module: titles, labels, hints, guidance."""
    texts = [module.title, module.summary]
    for step in module.steps:
        texts += [step.title, step.guidance, step.example or ""]
        for field in step.fields:
            texts += [field.label, field.hint or ""]
            texts += [item.label for item in (*field.options, *field.statements, *field.columns)]
    return {match for text in texts for match in ABBREVIATION.findall(text)}
