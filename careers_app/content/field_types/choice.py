"""Radio buttons: pick one option."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import FieldError, option_label

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec


def check_options(spec: FieldSpec) -> None:
    """Choice, multi_choice and ranking fields need something to choose between."""
    if len(spec.options) < 2:
        raise ValueError(f"a {spec.type} field needs at least two options")


class Choice(FieldKind):
    name = "choice"
    settings = frozenset({"options"})
    required_message = "Choose an option"

    def check_settings(self, spec: FieldSpec) -> None:
        check_options(spec)

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> str:
        if value in (None, ""):
            return ""
        if not isinstance(value, str) or value not in {option.value for option in spec.options}:
            raise FieldError("Choose one of the options shown")
        return value

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": option_label(spec, value)}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        if full:  # the longest value a browser can post
            return max((option.value for option in spec.options), key=len)
        return spec.options[0].value
