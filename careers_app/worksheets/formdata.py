"""Reading a posted step form into the answer shapes the field checks expect, and
writing stored answers back as form entries.

Input names follow one rule: the field id, then ``--`` and the part (a statement, a row
number and column, a date part). Ids never contain ``--``, so names cannot collide.
Each field type reads and writes its own inputs (careers_app/content/field_types/).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from careers_app.content.field_types.shared import FormEntries, UnreadableAnswer, name
from careers_app.content.schema import FieldSpec, Step

__all__ = ["first_input_id", "name", "read_field", "read_step", "to_form"]


def read_field(form: MultiDict[str, str], spec: FieldSpec) -> Any:
    """The posted value of one field, in its answer shape (not yet checked)."""
    return spec.kind.read_form(form, spec)


def read_step(form: MultiDict[str, str], step: Step) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field of the step as posted, plus errors for values that cannot be read
    (kept as they were typed, to be shown again)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in step.fields:
        try:
            answers[spec.id] = read_field(form, spec)
        except UnreadableAnswer as error:
            errors[spec.id] = str(error)
            answers[spec.id] = error.as_typed
    return answers, errors


def to_form(step: Step, answers: Mapping[str, Any]) -> FormEntries:
    """The form entries that show ``answers`` on the step's page: what the page would
    post if nothing were changed (blank rows and empty slots left out)."""
    entries: FormEntries = []
    for spec in step.fields:
        entries += spec.kind.to_form(spec, answers.get(spec.id))
    return entries


def first_input_id(spec: FieldSpec) -> str:
    """Where an error-summary link for this field should move focus."""
    return spec.kind.first_input_id(spec)
