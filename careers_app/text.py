"""Checking and normalising text people type, before it reaches the database.

PostgreSQL refuses NUL characters and no database can store a lone surrogate, so
both are refused here with a message instead of failing later as a server error.
"""

from __future__ import annotations

import functools
import unicodedata

from markdown_it import MarkdownIt
from markupsafe import Markup
from wtforms import Field, Form
from wtforms.validators import StopValidation

NUL_MESSAGE = "Remove the invisible control character (NUL) from this answer"
SURROGATE_MESSAGE = "Remove the character that could not be read (a broken emoji or symbol)"


def text_problem(value: str) -> str | None:
    """Return why ``value`` cannot be stored, or None when it can."""
    if "\x00" in value:
        return NUL_MESSAGE
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return SURROGATE_MESSAGE
    return None


def normalise_text(value: str) -> str:
    """NFC-normalise, so the same words typed on different devices compare equal."""
    return unicodedata.normalize("NFC", value)


def strip_and_normalise(value: object) -> object:
    """WTForms filter: trim surrounding spaces and NFC-normalise storable text."""
    if isinstance(value, str) and text_problem(value) is None:
        return normalise_text(value.strip())
    return value


def replace_surrogates(value: str) -> str:
    """Swap lone surrogates for U+FFFD so the text can at least be shown back."""
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)


class StorableText:
    """WTForms validator refusing text that no database could store."""

    def __call__(self, form: Form, field: Field) -> None:
        if not isinstance(field.data, str):
            return
        problem = text_problem(field.data)
        if problem:
            # The form is shown again with this value; a lone surrogate cannot even
            # be encoded into the page, so show a replacement character in its place.
            field.data = replace_surrogates(field.data)
            field.raw_data = [replace_surrogates(v) if isinstance(v, str) else v
                              for v in field.raw_data or []]
            raise StopValidation(problem)


@functools.lru_cache(maxsize=1024)
def render_markdown(source: str) -> Markup:
    """HTML for Markdown written by content authors (never for trainees' text).

    Raw HTML in the source is shown as text, not passed through, and markdown-it's own
    link check refuses javascript: and data: URLs.
    """
    return Markup(_MARKDOWN.render(source))  # noqa: S704 - html disabled above


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})
