"""Options put in order, most important first: numbered selects without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.choice import check_options
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    UnreadableAnswer,
    as_list,
    name,
    option_label,
    small_number,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec


class Ranking(FieldKind):
    name = "ranking"
    has_entries = True
    settings = frozenset({"options"})
    required_message = "Put the values in order"

    def check_settings(self, spec: FieldSpec) -> None:
        check_options(spec)

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> list[str]:
        order = as_list(value, "The order")
        allowed = [option.value for option in spec.options]
        if not order:
            return []
        if any(item not in allowed for item in order):
            raise FieldError("Put only the values shown in order")
        if len(set(order)) != len(order) or len(order) != len(allowed):
            raise FieldError(f"Give each value a different number from 1 to {len(allowed)}")
        return list(order)

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> list[str]:
        """Numbered selects into an ordered list of values; numbers that cannot be read
        are kept as posted, to be shown again beside the error."""
        positions = {option.value: form.get(name(spec.id, option.value), "")
                     for option in spec.options}
        if not any(positions.values()):
            return []
        count = len(spec.options)
        numbers = {value: number for value, raw in positions.items()
                   if (number := small_number(raw, 3)) is not None and 1 <= number <= count}
        if len(numbers) != count or len(set(numbers.values())) != count:
            raise UnreadableAnswer(
                f"Give each value a different number from 1 to {count}", positions)
        return sorted(numbers, key=numbers.__getitem__)

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        order = value if isinstance(value, list) else []
        return [(name(spec.id, item), str(number))
                for number, item in enumerate(order, start=1) if isinstance(item, str)]

    def first_input_id(self, spec: FieldSpec) -> str:
        return name(spec.id, spec.options[0].value)

    def entries(self, spec: FieldSpec, value: Any) -> list[str]:
        return [option_label(spec, item) for item in value]

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "ranking", "items": [option_label(spec, item) for item in value]}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        return [option.value for option in spec.options]
