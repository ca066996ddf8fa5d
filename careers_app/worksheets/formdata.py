"""Reading a posted step form into the answer shapes the field checks expect.

Input names follow one rule: the field id, then ``--`` and the part (a statement, a row
number and column, a date part). Ids never contain ``--``, so names cannot collide.
The JavaScript autosave builds the same shapes from the same names.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from careers_app.content.fields import FieldError, small_number
from careers_app.content.schema import FieldSpec, Step

ACTION_TEXT_COLUMNS = ("action", "measure", "support")
DATE_PART_NAMES = ("day", "month", "year")


def name(*parts: object) -> str:
    """The input name (and id) for one part of a field."""
    return "--".join(str(part) for part in parts)


def row_count(form: MultiDict[str, str], spec: FieldSpec) -> int:
    """How many rows the page showed, from its hidden counter (bounded, never trusted)."""
    raw = form.get(name(spec.id, "rows"), "")
    count = int(raw[:6]) if raw.isascii() and raw.isdigit() else 0
    return min(count, spec.max_rows + 1)


def _date_parts(form: MultiDict[str, str], *prefix: object) -> dict[str, str]:
    return {part: form.get(name(*prefix, part), "") for part in DATE_PART_NAMES}


def _ranking(form: MultiDict[str, str], spec: FieldSpec) -> list[str]:
    """Numbered selects (the no-JavaScript ranking) into an ordered list of values."""
    positions = {option.value: form.get(name(spec.id, option.value), "")
                 for option in spec.options}
    if not any(positions.values()):
        return []
    count = len(spec.options)
    numbers = {value: number for value, raw in positions.items()
               if (number := small_number(raw, 3)) is not None and 1 <= number <= count}
    if len(numbers) != count or len(set(numbers.values())) != count:
        raise FieldError(f"Give each value a different number from 1 to {count}")
    return sorted(numbers, key=numbers.__getitem__)


def _matrix(form: MultiDict[str, str], spec: FieldSpec) -> dict[str, Any]:
    return {
        "options": [form.get(name(spec.id, "option", i), "") for i in range(spec.max_options)],
        "criteria": [
            {"label": form.get(name(spec.id, "criterion", j), ""),
             "weight": form.get(name(spec.id, "weight", j), "")}
            for j in range(spec.max_criteria)
        ],
        "scores": [
            [form.get(name(spec.id, "score", i, j), "") for j in range(spec.max_criteria)]
            for i in range(spec.max_options)
        ],
    }


def read_field(form: MultiDict[str, str], spec: FieldSpec) -> Any:
    """The posted value of one field, in its answer shape (not yet checked)."""
    kind = spec.type
    if kind in {"short_text", "long_text", "choice"}:
        return form.get(spec.id, "")
    if kind == "multi_choice":
        return {"selected": form.getlist(spec.id), "other": form.get(name(spec.id, "other"), "")}
    if kind == "scale":
        return {s.value: form.get(name(spec.id, s.value), "") for s in spec.statements}
    if kind == "ranking":
        return _ranking(form, spec)
    if kind == "list":
        return [{column.id: form.get(name(spec.id, row, column.id), "")
                 for column in spec.columns} for row in range(row_count(form, spec))]
    if kind == "action_table":
        return [
            {**{column: form.get(name(spec.id, row, column), "")
                for column in ACTION_TEXT_COLUMNS},
             "target": _date_parts(form, spec.id, row, "target")}
            for row in range(row_count(form, spec))
        ]
    if kind == "date":
        return _date_parts(form, spec.id)
    return _matrix(form, spec)


def read_step(form: MultiDict[str, str], step: Step) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field of the step as posted, plus errors for values that cannot be read."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in step.fields:
        try:
            answers[spec.id] = read_field(form, spec)
        except FieldError as error:
            errors[spec.id] = str(error)
            # Only the numbered selects of a ranking can be unreadable: show them as typed.
            answers[spec.id] = {option.value: form.get(name(spec.id, option.value), "")
                                for option in spec.options}
    return answers, errors


def first_input_id(spec: FieldSpec) -> str:
    """Where an error-summary link for this field should move focus."""
    kind = spec.type
    if kind == "scale":
        return name(spec.id, spec.statements[0].value)
    if kind == "ranking":
        return name(spec.id, spec.options[0].value)
    if kind == "list":
        return name(spec.id, 0, spec.columns[0].id)
    if kind == "action_table":
        return name(spec.id, 0, "action")
    if kind == "date":
        return name(spec.id, "day")
    if kind == "decision_matrix":
        return name(spec.id, "option", 0)
    return spec.id
