"""A large text box, with a live word or character count."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldFragment, FieldKind, Writer
from careers_app.content.field_types.shared import (
    FieldError,
    clean_text,
    text_fragment,
    word_count,
)

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

    def fragment(self, spec: FieldSpec, value: Any) -> FieldFragment:
        return text_fragment(value)

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": value}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        # About five characters a word keeps a writer's prose within the word limit;
        # the largest answer is one unbroken string, which counts as a single word.
        if full or spec.max_words is None:
            return write(LONG_TEXT_LIMIT, 0)
        return write(min(LONG_TEXT_LIMIT, spec.max_words * 5), 0)
