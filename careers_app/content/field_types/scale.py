"""Statements, each rated from 1 to 5 (a skills audit, say)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldFragment, FieldKind, Writer
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    as_mapping,
    as_point,
    name,
)
from careers_app.fragments import slot

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec


POINTS = range(1, 6)
# Passed as the answer when drawing the markup kept for every answer.
_SLOTS = object()


class Scale(FieldKind):
    name = "scale"
    wide = True
    settings = frozenset({"statements"})
    required_message = "Rate every statement"

    def check_settings(self, spec: FieldSpec) -> None:
        if not spec.statements or spec.scale_labels is None:
            raise ValueError("a scale field needs statements and scale_labels (low, high)")

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> dict[str, int]:
        ratings = as_mapping(value, "The ratings")
        cleaned: dict[str, int] = {}
        for statement in spec.statements:  # keys that are not statements are ignored
            point = as_point(ratings.get(statement.value),
                             f"The rating for '{statement.label}'")
            if point is not None:
                cleaned[statement.value] = point
        missing = len(spec.statements) - len(cleaned)
        if strict and spec.required and missing:
            raise FieldError(f"Rate every statement ({missing} still to rate)")
        return cleaned

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> dict[str, str]:
        return {s.value: form.get(name(spec.id, s.value), "") for s in spec.statements}

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        ratings = value if isinstance(value, Mapping) else {}
        return [(name(spec.id, s.value), str(ratings[s.value]))
                for s in spec.statements if ratings.get(s.value) not in (None, "")]

    def first_input_id(self, spec: FieldSpec) -> str:
        return name(spec.id, spec.statements[0].value)

    def marks(self, spec: FieldSpec, value: Any) -> list[list[str]]:
        """For each statement, what follows each of its five radios: " checked" on the
        point the answer gives, or, when drawing the kept markup, a slot."""
        if value is _SLOTS:
            return [[slot(f"r{row}-{point}") for point in POINTS]
                    for row in range(len(spec.statements))]
        ratings = value if isinstance(value, Mapping) else {}
        return [[" checked" if str(ratings.get(s.value)) == str(point) else "" for point in POINTS]
                for s in spec.statements]

    def fragment(self, spec: FieldSpec, value: Any) -> FieldFragment:
        fillings = {f"r{row}-{point}": mark
                    for row, marks in enumerate(self.marks(spec, value))
                    for point, mark in zip(POINTS, marks, strict=True)}
        return FieldFragment(skeleton=_SLOTS, fillings=fillings)

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        low, high = spec.scale_labels or ("low", "high")
        rows = [{"label": s.label, "value": value.get(s.value)} for s in spec.statements]
        return {"kind": "ratings", "low": low, "high": high, "rows": rows}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        return {statement.value: number % 5 + 1 for number, statement in enumerate(spec.statements)}
