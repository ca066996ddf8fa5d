"""Helpers that more than one field type uses: text, numbers, dates, rows and input names.

Nothing here imports the module schema, so the schema can ask the field types which
settings they accept without a circular import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from careers_app.fragments import slot
from careers_app.text import normalise_text, text_problem

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.field_types.base import FieldFragment
    from careers_app.content.schema import FieldSpec

SCALE_POINTS = (1, 2, 3, 4, 5)
DATE_PARTS = (("day", 2), ("month", 2), ("year", 4))
DATE_PART_NAMES = tuple(part for part, _ in DATE_PARTS)

FormEntries = list[tuple[str, str]]


class FieldError(ValueError):
    """An answer that cannot be accepted; the message is shown beside the field."""


class UnreadableAnswer(FieldError):
    """A posted value that cannot be put in its answer shape; the page shows ``as_typed``
    again beside the message."""

    def __init__(self, message: str, as_typed: object) -> None:
        super().__init__(message)
        self.as_typed = as_typed


# -- values ------------------------------------------------------------------------

def clean_text(value: object, limit: int, what: str = "This answer") -> str:
    """A storable, NFC-normalised string of at most ``limit`` characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(f"{what} must be text")
    problem = text_problem(value)
    if problem:
        raise FieldError(problem)
    value = normalise_text(value)
    if len(value) > limit:
        raise FieldError(f"{what} must be {limit:,} characters or fewer (it has {len(value):,})")
    return value


def word_count(text: str) -> int:
    return len(text.split())


def as_list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"{what} must be a list")
    return value


def as_mapping(value: object, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise FieldError(f"{what} must be a set of named values")
    return value


def small_number(text: str, max_digits: int) -> int | None:
    """The whole number that ``text`` spells in at most ``max_digits`` ASCII digits, else None.

    Checked before int(): int() raises ValueError past 4,300 digits, and str.isdigit()
    also accepts characters, such as superscript digits, that int() refuses.
    """
    text = text.strip()
    if not text or len(text) > max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def as_point(value: object, what: str) -> int | None:
    """A rating from 1 to 5; blank is None. Form posts send digits as text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = small_number(value, 3)
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE_POINTS:
        raise FieldError(f"{what} must be a number from 1 to 5")
    return value


def option_label(spec: FieldSpec, value: str) -> str:
    return next((option.label for option in spec.options if option.value == value), value)


# -- dates -------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a date in the service can fall in

def clean_date_parts(value: object, *, strict: bool, what: str = "The date") -> dict[str, str]:
    """Day, month and year as typed (digits only); a strict check wants a real date."""
    parts = as_mapping(value, what)
    cleaned: dict[str, str] = {}
    for name, width in DATE_PARTS:
        part = parts.get(name)
        part = "" if part is None else part
        if isinstance(part, int) and not isinstance(part, bool):
            part = str(part)
        if not isinstance(part, str):
            raise FieldError(f"{what} must be numbers, for example 27 3 2027")
        part = part.strip()
        if part and (not part.isascii() or not part.isdigit() or len(part) > width):
            raise FieldError(f"{what} must be numbers, for example 27 3 2027")
        cleaned[name] = part
    if strict and any(cleaned.values()) and parse_date(cleaned) is None:
        missing = [name for name, _ in DATE_PARTS if not cleaned[name]]
        if missing:
            raise FieldError(f"{what} must include a {' and '.join(missing)}")
        # "10 1 9999" is a real date, and "10 1 27" a year the person meant as 2027: say
        # what is wrong with the year rather than call either date unreal.
        if len(cleaned["year"]) < 4:
            raise FieldError(f"{what} must have a 4-digit year, for example 2027")
        if not FIRST_YEAR <= int(cleaned["year"]) <= LAST_YEAR:
            raise FieldError(f"{what} must be in a year from {FIRST_YEAR} to {LAST_YEAR}")
        raise FieldError(f"{what} must be a real date, for example 27 3 2027")
    return cleaned


def parse_date(parts: object) -> dt.date | None:
    """The date that stored parts describe, or None when incomplete or impossible."""
    if not isinstance(parts, Mapping):
        return None
    try:
        year, month, day = (int(parts.get(name) or 0) for name in ("year", "month", "day"))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def date_parts(day: dt.date) -> dict[str, str]:
    """A date as the three boxes hold it."""
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def format_date(parts: object) -> str:
    """"27 March 2027", or the parts as typed when they do not make a date yet."""
    day = parse_date(parts)
    if day is not None:
        return f"{day.day} {day:%B %Y}"
    if isinstance(parts, Mapping) and any(parts.values()):
        return " / ".join(as_text(parts.get(name)) or "–" for name in DATE_PART_NAMES)
    return ""


def as_text(value: object) -> str:
    """A value to show in a text input: a string as it is, anything else as blank."""
    return value if isinstance(value, str) else ""


def as_point_text(value: object) -> str:
    """A rating to show in a select: its digits, or blank."""
    return str(value) if value not in (None, "") else ""


# -- rows (list, action_table) -----------------------------------------------------

def clean_rows(
    spec: FieldSpec, value: object, strict: bool,
    clean_row: Callable[[Mapping[str, Any]], dict[str, Any]],
    is_blank: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    """The rows that say something, each cleaned, within the field's row limits."""
    raw_rows = as_list(value, "The rows")
    # A page shows at most max_rows rows (one more while a row is being added); more is
    # refused before any row is read, so a long list of blank rows costs nothing.
    if len(raw_rows) > spec.max_rows + 1:
        raise FieldError(f"You can add up to {spec.max_rows} rows")
    rows = []
    for raw in raw_rows:
        row = clean_row(as_mapping(raw, "Each row"))
        if not is_blank(row):
            rows.append(row)
    if len(rows) > spec.max_rows:
        raise FieldError(f"You can add up to {spec.max_rows} rows")
    fewest = max(spec.min_rows, 1 if spec.required else 0)
    if strict and (rows or spec.required) and len(rows) < fewest:
        raise FieldError(f"Add at least {fewest} row{'s' if fewest > 1 else ''}")
    return rows


def check_row_limits(spec: FieldSpec) -> None:
    if spec.min_rows > spec.max_rows:
        raise ValueError("min_rows is larger than max_rows")


# -- input names -------------------------------------------------------------------
# Input names follow one rule: the field id, then ``--`` and the part (a statement, a row
# number and column, a date part). Ids never contain ``--``, so names cannot collide.

def name(*parts: object) -> str:
    """The input name (and id) for one part of a field."""
    return "--".join(str(part) for part in parts)


def row_count(form: MultiDict[str, str], spec: FieldSpec) -> int:
    """How many rows the page showed, from its hidden counter (bounded, never trusted).

    A form without a readable counter (lost, or mangled on the way) still holds the rows
    typed in it: they are counted instead of dropped."""
    raw = form.get(name(spec.id, "rows"), "")
    count = int(raw[:6]) if raw.isascii() and raw.isdigit() else _rows_posted(form, spec)
    return min(count, spec.max_rows + 1)


def _rows_posted(form: MultiDict[str, str], spec: FieldSpec) -> int:
    """One more than the highest row number among the form's inputs for this field."""
    prefix, highest = name(spec.id, ""), -1
    for key in form:
        row = key[len(prefix):].split("--", 1)[0] if key.startswith(prefix) else ""
        if row.isascii() and row.isdigit():
            highest = max(highest, int(row[:6]))
    return highest + 1


def read_date_parts(form: MultiDict[str, str], *prefix: object) -> dict[str, str]:
    return {part: form.get(name(*prefix, part), "") for part in DATE_PART_NAMES}


def date_entries(parts: object, *prefix: object) -> FormEntries:
    """The inputs that show stored date parts (the inverse of read_date_parts)."""
    parts = parts if isinstance(parts, Mapping) else {}
    return [(name(*prefix, part), as_text(parts.get(part))) for part in DATE_PART_NAMES]


def rows_entries(spec: FieldSpec, rows: object,
                 row_entries: Callable[[int, Mapping[str, Any]], FormEntries]) -> FormEntries:
    """The inputs that show stored rows, with the row counter the page would post."""
    rows = rows if isinstance(rows, list) else []
    entries = [(name(spec.id, "rows"), str(len(rows)))]
    for index, row in enumerate(rows):
        entries += row_entries(index, row if isinstance(row, Mapping) else {})
    return entries


def text_fragment(value: object) -> FieldFragment:
    """A text box drawn once with a slot where the typed text goes."""
    from careers_app.content.field_types.base import FieldFragment

    return FieldFragment(skeleton=slot("text"),
                         fillings={"text": str(escape(value if isinstance(value, str) else ""))})
