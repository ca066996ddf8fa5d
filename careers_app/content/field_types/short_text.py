"""A one-line text box."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldFragment, FieldKind, Writer
from careers_app.content.field_types.shared import clean_text, text_fragment

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec

SHORT_TEXT_LIMIT = 500


class ShortText(FieldKind):
    name = "short_text"
    settings = frozenset({"max_length"})

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> str:
        return clean_text(value, spec.max_length or SHORT_TEXT_LIMIT)

    def fragment(self, spec: FieldSpec, value: Any) -> FieldFragment:
        return text_fragment(value)

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": value}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        return write(spec.max_length or SHORT_TEXT_LIMIT, 0)
