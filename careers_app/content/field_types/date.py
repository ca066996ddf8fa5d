"""A date: day, month and year boxes, stored as typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    clean_date_parts,
    date_entries,
    date_parts,
    format_date,
    name,
    read_date_parts,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec


class Date(FieldKind):
    name = "date"
    required_message = "Enter a date"

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> dict[str, str]:
        parts = clean_date_parts(value, strict=strict)
        if strict and spec.required and not any(parts.values()):
            raise FieldError("Enter a date")
        return parts

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> dict[str, str]:
        return read_date_parts(form, spec.id)

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        return date_entries(value, spec.id)

    def first_input_id(self, spec: FieldSpec) -> str:
        return name(spec.id, "day")

    def is_empty(self, spec: FieldSpec, value: object) -> bool:
        return not (isinstance(value, Mapping) and any(value.values()))

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": format_date(value)}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        return date_parts(today + dt.timedelta(days=90))
