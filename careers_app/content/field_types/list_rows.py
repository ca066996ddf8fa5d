"""A table the trainee adds rows to, with the columns the module names (type ``list``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import (
    FormEntries,
    check_row_limits,
    clean_rows,
    clean_text,
    name,
    row_count,
    rows_entries,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec


class ListRows(FieldKind):
    name = "list"
    has_entries = True
    wide = True
    has_rows = True
    settings = frozenset({"columns"})
    required_message = "Add at least one row"

    def check_settings(self, spec: FieldSpec) -> None:
        if not spec.columns:
            raise ValueError("a list field needs columns")
        check_row_limits(spec)

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> list[dict[str, Any]]:
        def clean_row(raw: Mapping[str, Any]) -> dict[str, Any]:
            return {column.id: clean_text(raw.get(column.id), column.max_length, column.label)
                    for column in spec.columns}

        return clean_rows(spec, value, strict, clean_row,
                          lambda row: not any(v.strip() for v in row.values()))

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> list[dict[str, str]]:
        return [{column.id: form.get(name(spec.id, row, column.id), "")
                 for column in spec.columns} for row in range(row_count(form, spec))]

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        return rows_entries(spec, value, lambda index, row: [
            (name(spec.id, index, column.id), str(row.get(column.id) or ""))
            for column in spec.columns])

    def first_input_id(self, spec: FieldSpec) -> str:
        return self.row_input_id(spec, 0)

    def row_input_id(self, spec: FieldSpec, index: int) -> str:
        return name(spec.id, index, spec.columns[0].id)

    def entries(self, spec: FieldSpec, value: Any) -> list[str]:
        """Each row's first column: what the row is about."""
        first = spec.columns[0].id
        return [text for row in value if isinstance(row, Mapping)
                if (text := str(row.get(first, "")).strip())]

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "table", "columns": [c.label for c in spec.columns],
                "rows": [[row.get(c.id, "") for c in spec.columns] for row in value]}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        rows = spec.max_rows if full else min(max(3, spec.min_rows), spec.max_rows)
        return [{column.id: write(column.max_length, row + number)
                 for number, column in enumerate(spec.columns)} for row in range(rows)]
