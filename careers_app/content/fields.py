"""What each field type accepts, how it is checked, and what it adds up to.

Answers are stored as JSON keyed by field id, in one canonical shape per type (listed
in the project README). The same checks run for a form post and for the JSON autosave,
so a value refused on one path is refused on the other. Two strengths of check:

- a *draft* (autosave, "Save and come back later") may be incomplete, but every value
  it holds must be storable and allowed: no NUL, no lone surrogate, within its limit,
  one of the options;
- a *strict* check ("Save and continue") also wants required answers and complete dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from careers_app.content.schema import FieldSpec, Step
from careers_app.text import normalise_text, text_problem

SHORT_TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 20_000
CELL_LIMIT = 500
MATRIX_LABEL_LIMIT = 150
SCALE_POINTS = (1, 2, 3, 4, 5)
ACTION_COLUMNS = ("action", "measure", "support")
DATE_PARTS = (("day", 2), ("month", 2), ("year", 4))


class FieldError(ValueError):
    """An answer that cannot be accepted; the message is shown beside the field."""


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


def _as_list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"{what} must be a list")
    return value


def _as_mapping(value: object, what: str) -> Mapping[str, Any]:
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


def _as_point(value: object, what: str) -> int | None:
    """A rating from 1 to 5; blank is None. Form posts send digits as text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = small_number(value, 3)
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE_POINTS:
        raise FieldError(f"{what} must be a number from 1 to 5")
    return value


# -- dates -------------------------------------------------------------------------

def clean_date_parts(value: object, *, strict: bool, what: str = "The date") -> dict[str, str]:
    """Day, month and year as typed (digits only); a strict check wants a real date."""
    parts = _as_mapping(value, what)
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
        raise FieldError(f"{what} must be a real date, for example 27 3 2027")
    return cleaned


def parse_date(parts: object) -> dt.date | None:
    """The date that stored parts describe, or None when incomplete or impossible."""
    if not isinstance(parts, Mapping):
        return None
    try:
        year, month, day = (int(parts.get(name) or 0) for name in ("year", "month", "day"))
        if not 1900 <= year <= 2100:
            return None
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


# -- one cleaner per field type ----------------------------------------------------

def _short_text(spec: FieldSpec, value: object, strict: bool) -> str:
    return clean_text(value, spec.max_length or SHORT_TEXT_LIMIT)


def _long_text(spec: FieldSpec, value: object, strict: bool) -> str:
    text = clean_text(value, LONG_TEXT_LIMIT)
    if spec.max_words is not None and (count := word_count(text)) > spec.max_words:
        raise FieldError(f"This answer must be {spec.max_words} words or fewer (it has {count})")
    return text


def _choice(spec: FieldSpec, value: object, strict: bool) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in {option.value for option in spec.options}:
        raise FieldError("Choose one of the options shown")
    return value


def _multi_choice(spec: FieldSpec, value: object, strict: bool) -> dict[str, Any]:
    if isinstance(value, list):
        value = {"selected": value}
    answer = _as_mapping(value, "This answer")
    allowed = [option.value for option in spec.options] + (["other"] if spec.allow_other else [])
    chosen = _as_list(answer.get("selected"), "The choices")
    if len(chosen) > len(allowed):  # each box once at most, checked before any work
        raise FieldError("Choose from the options shown")
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        raise FieldError("Choose from the options shown")
    other = clean_text(answer.get("other"), 200, "Your other answer") if spec.allow_other else ""
    selected = [item for item in allowed if item in chosen]
    if other.strip() and "other" not in selected:
        selected.append("other")
    if strict and "other" in selected and not other.strip():
        raise FieldError("Say what your other answer is, or untick Other")
    return {"selected": selected, "other": other}


def _scale(spec: FieldSpec, value: object, strict: bool) -> dict[str, int]:
    ratings = _as_mapping(value, "The ratings")
    cleaned: dict[str, int] = {}
    for statement in spec.statements:  # keys that are not statements are ignored
        point = _as_point(ratings.get(statement.value), f"The rating for '{statement.label}'")
        if point is not None:
            cleaned[statement.value] = point
    missing = len(spec.statements) - len(cleaned)
    if strict and spec.required and missing:
        raise FieldError(f"Rate every statement ({missing} still to rate)")
    return cleaned


def _ranking(spec: FieldSpec, value: object, strict: bool) -> list[str]:
    order = _as_list(value, "The order")
    allowed = [option.value for option in spec.options]
    if not order:
        return []
    if any(item not in allowed for item in order):
        raise FieldError("Put only the values shown in order")
    if len(set(order)) != len(order) or len(order) != len(allowed):
        raise FieldError(f"Give each value a different number from 1 to {len(allowed)}")
    return list(order)


def _rows(
    spec: FieldSpec, value: object, clean_row: Callable[[Mapping[str, Any]], dict[str, Any]],
    is_blank: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    raw_rows = _as_list(value, "The rows")
    # A page shows at most max_rows rows (one more while a row is being added); more is
    # refused before any row is read, so a long list of blank rows costs nothing.
    if len(raw_rows) > spec.max_rows + 1:
        raise FieldError(f"You can add up to {spec.max_rows} rows")
    rows = []
    for raw in raw_rows:
        row = clean_row(_as_mapping(raw, "Each row"))
        if not is_blank(row):
            rows.append(row)
    if len(rows) > spec.max_rows:
        raise FieldError(f"You can add up to {spec.max_rows} rows")
    return rows


def _check_row_count(spec: FieldSpec, rows: list[dict[str, Any]], strict: bool) -> None:
    fewest = max(spec.min_rows, 1 if spec.required else 0)
    if strict and (rows or spec.required) and len(rows) < fewest:
        raise FieldError(f"Add at least {fewest} row{'s' if fewest > 1 else ''}")


def _list(spec: FieldSpec, value: object, strict: bool) -> list[dict[str, str]]:
    def clean_row(raw: Mapping[str, Any]) -> dict[str, Any]:
        return {column.id: clean_text(raw.get(column.id), column.max_length, column.label)
                for column in spec.columns}

    rows = _rows(spec, value, clean_row, lambda row: not any(v.strip() for v in row.values()))
    _check_row_count(spec, rows, strict)
    return rows


def _action_table(spec: FieldSpec, value: object, strict: bool) -> list[dict[str, Any]]:
    def clean_row(raw: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {name: clean_text(raw.get(name), CELL_LIMIT, ACTION_LABELS[name])
                               for name in ACTION_COLUMNS}
        row["target"] = clean_date_parts(raw.get("target"), strict=strict, what="The target date")
        return row

    def is_blank(row: dict[str, Any]) -> bool:
        return not any(row[name].strip() for name in ACTION_COLUMNS) and not any(
            row["target"].values())

    rows = _rows(spec, value, clean_row, is_blank)
    _check_row_count(spec, rows, strict)
    if strict:
        for number, row in enumerate(rows, start=1):
            if not row["action"].strip():
                raise FieldError(f"Say what action {number} is")
            if parse_date(row["target"]) is None:
                raise FieldError(f"Give action {number} a target date")
    return rows


ACTION_LABELS = {"action": "Action", "measure": "How I will know it is done",
                 "support": "Support or resources", "target": "Target date"}


def _date(spec: FieldSpec, value: object, strict: bool) -> dict[str, str]:
    parts = clean_date_parts(value, strict=strict)
    if strict and spec.required and not any(parts.values()):
        raise FieldError("Enter a date")
    return parts


def _decision_matrix(spec: FieldSpec, value: object, strict: bool) -> dict[str, Any]:
    matrix = _as_mapping(value, "The comparison")
    raw_options = _as_list(matrix.get("options"), "The options")
    raw_criteria = _as_list(matrix.get("criteria"), "The factors")
    raw_scores = _as_list(matrix.get("scores"), "The ratings")
    _check_matrix_size(spec, raw_options, raw_criteria, raw_scores)
    options = [clean_text(item, MATRIX_LABEL_LIMIT, "An option name") for item in raw_options]
    criteria = []
    for raw in raw_criteria:
        raw = _as_mapping(raw, "Each factor")
        label = clean_text(raw.get("label"), MATRIX_LABEL_LIMIT, "A factor")
        criteria.append({"label": label,
                         "weight": _as_point(raw.get("weight"), "An importance rating")})
    scores = []
    for row_number in range(len(options)):
        row = raw_scores[row_number] if row_number < len(raw_scores) else []
        row = _as_list(row, "Each option's ratings")
        scores.append([_as_point(row[i] if i < len(row) else None, "A likelihood rating")
                       for i in range(len(criteria))])
    # Blank names drop out with their ratings, so positions never drift apart.
    kept_options = [i for i, name in enumerate(options) if name.strip()]
    kept_criteria = [i for i, item in enumerate(criteria) if item["label"].strip()]
    if len(kept_options) > spec.max_options:
        raise FieldError(f"Compare up to {spec.max_options} options")
    if len(kept_criteria) > spec.max_criteria:
        raise FieldError(f"Use up to {spec.max_criteria} factors")
    cleaned = {
        "options": [options[i] for i in kept_options],
        "criteria": [criteria[i] for i in kept_criteria],
        "scores": [[scores[i][j] for j in kept_criteria] for i in kept_options],
    }
    if strict and (spec.required or cleaned["options"]):
        if len(cleaned["options"]) < 2 or not cleaned["criteria"]:
            raise FieldError("Name at least 2 options and 1 factor to compare them on")
        unrated = any(item["weight"] is None for item in cleaned["criteria"]) or any(
            point is None for row in cleaned["scores"] for point in row)
        if unrated:
            raise FieldError("Rate the importance of every factor and every option against it")
    return cleaned


def _check_matrix_size(
    spec: FieldSpec, options: list[Any], criteria: list[Any], scores: list[Any]
) -> None:
    """Refuse a grid larger than the page shows before reading a cell of it.

    The page has max_options x max_criteria boxes, blank ones included; without this a
    small body naming 6,000 blank options and factors made 36 million cells to check.
    """
    if len(options) > spec.max_options or len(scores) > spec.max_options:
        raise FieldError(f"Compare up to {spec.max_options} options")
    if len(criteria) > spec.max_criteria or any(
            isinstance(row, list) and len(row) > spec.max_criteria for row in scores):
        raise FieldError(f"Use up to {spec.max_criteria} factors")


CLEANERS: dict[str, Callable[[FieldSpec, object, bool], Any]] = {
    "short_text": _short_text, "long_text": _long_text, "choice": _choice,
    "multi_choice": _multi_choice, "scale": _scale, "ranking": _ranking, "list": _list,
    "decision_matrix": _decision_matrix, "action_table": _action_table, "date": _date,
}


def is_empty(spec: FieldSpec, value: object) -> bool:
    """Whether a cleaned answer says nothing at all."""
    if spec.type == "multi_choice":
        return not (isinstance(value, Mapping) and value.get("selected"))
    if spec.type == "decision_matrix":
        return not (isinstance(value, Mapping) and value.get("options"))
    if spec.type == "date":
        return not (isinstance(value, Mapping) and any(value.values()))
    if isinstance(value, str):
        return not value.strip()
    return not value


def clean_answer(spec: FieldSpec, value: object, *, strict: bool) -> Any:
    """The canonical answer for ``spec``, or FieldError saying what to change."""
    cleaned = CLEANERS[spec.type](spec, value, strict)
    if strict and spec.required and is_empty(spec, cleaned):
        raise FieldError(REQUIRED_MESSAGES.get(spec.type, "Answer this question"))
    return cleaned


REQUIRED_MESSAGES = {
    "choice": "Choose an option", "multi_choice": "Choose at least one option",
    "ranking": "Put the values in order", "list": "Add at least one row",
    "action_table": "Add at least one action", "decision_matrix":
    "Name at least 2 options and 1 factor to compare them on", "date": "Enter a date",
    "scale": "Rate every statement",
}


@dataclass(frozen=True)
class CleanedStep:
    answers: dict[str, Any]
    errors: dict[str, str]


def clean_step(
    step: Step, answers: Mapping[str, Any], *, strict: bool, only: list[str] | None = None
) -> CleanedStep:
    """Check the fields of ``step`` (or just those in ``only``); ids that are not fields
    of the step are ignored."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in step.fields:
        if only is not None and spec.id not in only:
            continue
        try:
            cleaned[spec.id] = clean_answer(spec, answers.get(spec.id), strict=strict)
        except FieldError as error:
            errors[spec.id] = str(error)
    return CleanedStep(cleaned, errors)


# -- what answers add up to --------------------------------------------------------

@dataclass(frozen=True)
class MatrixResult:
    option: str
    total: int
    rank: int


def matrix_results(matrix: object) -> list[MatrixResult]:
    """Weighted totals (importance x likelihood, summed), best first; ties share a rank."""
    if not isinstance(matrix, Mapping):
        return []
    weights = [item.get("weight") or 0 for item in matrix.get("criteria") or []]
    totals = []
    for name, row in zip(matrix.get("options") or [], matrix.get("scores") or [], strict=False):
        totals.append((name, sum(w * (s or 0) for w, s in zip(weights, row, strict=False))))
    totals.sort(key=lambda item: -item[1])
    results: list[MatrixResult] = []
    for position, (name, total) in enumerate(totals, start=1):
        tied = results and results[-1].total == total
        results.append(MatrixResult(name, total, results[-1].rank if tied else position))
    return results
