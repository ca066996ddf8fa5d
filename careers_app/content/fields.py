"""Checking answers: each field type's own check (careers_app/content/field_types/), with
what every type shares: drafts and strict checks, required answers, whole steps.

Answers are stored as JSON keyed by field id, in one canonical shape per type (listed
in the project README). The same checks run for a form post and for the autosave, so a
value refused on one path is refused on the other. Two strengths of check:

- a *draft* (autosave, "Save and come back later") may be incomplete, but every value
  it holds must be storable and allowed: no NUL, no lone surrogate, within its limit,
  one of the options;
- a *strict* check ("Save and continue") also wants required answers and complete dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from careers_app.content.field_types.action_table import CELL_LIMIT
from careers_app.content.field_types.decision_matrix import (
    MATRIX_LABEL_LIMIT,
    MatrixResult,
    matrix_results,
)
from careers_app.content.field_types.long_text import LONG_TEXT_LIMIT
from careers_app.content.field_types.shared import (
    FieldError,
    clean_date_parts,
    parse_date,
    small_number,
)
from careers_app.content.field_types.short_text import SHORT_TEXT_LIMIT
from careers_app.content.schema import FieldSpec, Step

# Also imported from here by the rest of the app (and its tests).
__all__ = [
    "CELL_LIMIT", "LONG_TEXT_LIMIT", "MATRIX_LABEL_LIMIT", "SHORT_TEXT_LIMIT", "CleanedStep",
    "FieldError", "MatrixResult", "clean_answer", "clean_date_parts", "clean_step",
    "is_empty", "matrix_results", "parse_date", "small_number",
]


def is_empty(spec: FieldSpec, value: object) -> bool:
    """Whether a cleaned answer says nothing at all."""
    return spec.kind.is_empty(spec, value)


def clean_answer(spec: FieldSpec, value: object, *, strict: bool) -> Any:
    """The canonical answer for ``spec``, or FieldError saying what to change."""
    kind = spec.kind
    cleaned = kind.clean(spec, value, strict)
    if strict and spec.required and kind.is_empty(spec, cleaned):
        raise FieldError(kind.required_message)
    return cleaned


@dataclass(frozen=True)
class CleanedStep:
    answers: dict[str, Any]
    errors: dict[str, str]


def clean_step(
    step: Step, answers: Mapping[str, Any], *, strict: bool, only: list[str] | None = None
) -> CleanedStep:
    """Check the fields of ``step`` (or just those in ``only``); ids that are not fields
    of the step are ignored."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in step.fields:
        if only is not None and spec.id not in only:
            continue
        try:
            cleaned[spec.id] = clean_answer(spec, answers.get(spec.id), strict=strict)
        except FieldError as error:
            errors[spec.id] = str(error)
    return CleanedStep(cleaned, errors)
