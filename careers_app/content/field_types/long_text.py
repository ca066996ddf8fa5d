"""A large text box, with a live word or character count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind
from careers_app.content.field_types.shared import FieldError, clean_text, word_count

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec

LONG_TEXT_LIMIT = 20_000


class LongText(FieldKind):
    name = "long_text"
    settings = frozenset({"max_words"})

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> str:
        text = clean_text(value, LONG_TEXT_LIMIT)
        if spec.max_words is not None and (count := word_count(text)) > spec.max_words:
            raise FieldError(
                f"This answer must be {spec.max_words} words or fewer (it has {count})")
        return text

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": value}
