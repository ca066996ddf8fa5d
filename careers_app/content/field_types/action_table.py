"""SMART actions in fixed columns: action, measure, support and a target date.

On a plan these rows become the worksheet's actions (careers_app/plans/document.py),
not an item of a section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    check_row_limits,
    clean_date_parts,
    clean_rows,
    clean_text,
    date_entries,
    date_parts,
    format_date,
    name,
    parse_date,
    read_date_parts,
    row_count,
    rows_entries,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec

CELL_LIMIT = 500
ACTION_COLUMNS = ("action", "measure", "support")
ACTION_LABELS = {"action": "Action", "measure": "How I will know it is done",
                 "support": "Support or resources", "target": "Target date"}


class ActionTable(FieldKind):
    name = "action_table"
    wide = True
    has_rows = True
    required_message = "Add at least one action"

    def check_settings(self, spec: FieldSpec) -> None:
        check_row_limits(spec)

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> list[dict[str, Any]]:
        def clean_row(raw: Mapping[str, Any]) -> dict[str, Any]:
            row: dict[str, Any] = {
                column: clean_text(raw.get(column), CELL_LIMIT, ACTION_LABELS[column])
                for column in ACTION_COLUMNS}
            row["target"] = clean_date_parts(raw.get("target"), strict=strict,
                                             what="The target date")
            return row

        def is_blank(row: dict[str, Any]) -> bool:
            return not any(row[column].strip() for column in ACTION_COLUMNS) and not any(
                row["target"].values())

        rows = clean_rows(spec, value, strict, clean_row, is_blank)
        if strict:
            for number, row in enumerate(rows, start=1):
                if not row["action"].strip():
                    raise FieldError(f"Say what action {number} is")
                if parse_date(row["target"]) is None:
                    raise FieldError(f"Give action {number} a target date")
        return rows

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> list[dict[str, Any]]:
        return [
            {**{column: form.get(name(spec.id, row, column), "") for column in ACTION_COLUMNS},
             "target": read_date_parts(form, spec.id, row, "target")}
            for row in range(row_count(form, spec))
        ]

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        return rows_entries(spec, value, lambda index, row: [
            *((name(spec.id, index, column), str(row.get(column) or ""))
              for column in ACTION_COLUMNS),
            *date_entries(row.get("target"), spec.id, index, "target")])

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "table", "columns": list(ACTION_LABELS.values()),
                "rows": [[row.get("action", ""), row.get("measure", ""), row.get("support", ""),
                          format_date(row.get("target"))] for row in value]}

    def first_input_id(self, spec: FieldSpec) -> str:
        return self.row_input_id(spec, 0)

    def row_input_id(self, spec: FieldSpec, index: int) -> str:
        return name(spec.id, index, "action")

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        rows = spec.max_rows if full else min(3, spec.max_rows)
        return [{**{column: write(CELL_LIMIT, row + number)
                    for number, column in enumerate(ACTION_COLUMNS)},
                 "target": date_parts(today + dt.timedelta(days=60 * (row + 1)))}
                for row in range(rows)]
