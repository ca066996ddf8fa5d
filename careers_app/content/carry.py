"""Filling a field in from earlier answers, which may have another shape.

A module file says ``filled_from: <module>/<step>/<field>`` on a field; `modules check`
asks ``fit_problem`` whether the earlier field's answers can become this field's, and a
step page asks ``carry`` for the value to show while the trainee has not answered.
Each pair of shapes that fits is listed here, and nothing else is allowed, so an author
learns at once that, say, a date cannot become a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from careers_app.content.fields import (
    MATRIX_LABEL_LIMIT,
    SHORT_TEXT_LIMIT,
    is_empty,
)
from careers_app.content.schema import FieldSpec

TEXT_TYPES = {"short_text", "long_text"}
# A decision matrix takes its options from a list or a short answer, and its factors
# from the values a trainee ranked first and the skills they rated highest.
MATRIX_OPTION_SOURCES = {"list", "short_text"}
MATRIX_FACTOR_SOURCES = {"ranking", "scale"}
FACTORS_FROM_EACH_SOURCE = 3
TOP_RATINGS = (5, 4)

Carried = list[tuple[FieldSpec, Any]]


def fit_problem(target: FieldSpec, source: FieldSpec) -> str | None:
    """Why answers to ``source`` cannot fill ``target`` in, or None when they can."""
    kind, origin = target.type, source.type
    if kind in TEXT_TYPES and origin in TEXT_TYPES | {"choice"}:
        if kind == "short_text" and origin == "long_text":
            return "a short_text field cannot be filled from a long_text field (it may be too long)"
        return None
    if kind == "list" and origin == "list":
        if not _shared_columns(target, source):
            return "the two lists have no column id in common"
        return None
    if kind == "decision_matrix" and origin in MATRIX_OPTION_SOURCES | MATRIX_FACTOR_SOURCES:
        return None
    if kind == origin and kind in {"choice", "multi_choice", "ranking"}:
        if not _matching_options(target, source):
            return f"the two {kind} fields have no option in common (by value or label)"
        return None
    if kind == origin == "date":
        return None
    return f"a {kind} field cannot be filled from a {origin} field"


def carry(target: FieldSpec, sources: Carried) -> Any | None:
    """The answer ``target`` starts with, from earlier (spec, answer) pairs in the order the
    module file lists them; None when they give it nothing."""
    sources = [(spec, value) for spec, value in sources if not is_empty(spec, value)]
    if not sources:
        return None
    try:
        if target.type == "decision_matrix":
            value: Any = _matrix(target, sources)
        else:
            spec, answer = sources[0]  # the first earlier answer that says something
            value = _same_kind(target, spec, answer)
    except (AttributeError, KeyError, TypeError):
        # Saved under an older version of the module, when the field had another shape:
        # bring nothing forward rather than guess.
        return None
    return None if value is None or is_empty(target, value) else value


def _same_kind(target: FieldSpec, source: FieldSpec, answer: Any) -> Any | None:
    kind = target.type
    if kind in TEXT_TYPES:
        text = _option_label(source, answer) if source.type == "choice" else str(answer)
        return text[: target.max_length or SHORT_TEXT_LIMIT] if kind == "short_text" else text
    if kind == "list":
        shared = _shared_columns(target, source)
        rows = [{column.id: str(row.get(column.id, "") if column.id in shared else "")
                 [: column.max_length] for column in target.columns}
                for row in answer if isinstance(row, Mapping)]
        return rows[: target.max_rows]
    matching = _matching_options(target, source)
    if kind == "choice":
        return matching.get(answer)
    if kind == "multi_choice":
        other = answer.get("other", "") if target.allow_other and source.allow_other else ""
        selected = [matching[item] for item in answer.get("selected", []) if item in matching]
        return {"selected": selected + (["other"] if other else []), "other": other}
    if kind == "ranking":
        order = [matching[item] for item in answer if item in matching]
        return order if len(order) == len(target.options) else None
    return dict(answer)  # a date


def _matrix(target: FieldSpec, sources: Carried) -> dict[str, Any]:
    options: list[str] = []
    factors: list[str] = []
    for spec, answer in sources:
        if spec.type == "list":
            first_column = spec.columns[0].id
            options += [str(row.get(first_column, "")).strip() for row in answer
                        if isinstance(row, Mapping)]
        elif spec.type == "short_text":
            options.append(str(answer).strip())
        elif spec.type == "ranking":
            factors += [_option_label(spec, item) for item in answer[:FACTORS_FROM_EACH_SOURCE]]
        elif spec.type == "scale":
            factors += top_rated(spec, answer)[:FACTORS_FROM_EACH_SOURCE]
    options = _distinct(options)[: target.max_options]
    # The module's generic factors only when the trainee has rated and ranked nothing yet.
    factors = _distinct(factors or list(target.suggested_criteria))[: target.max_criteria]
    return {"options": [option[:MATRIX_LABEL_LIMIT] for option in options],
            "criteria": [{"label": label[:MATRIX_LABEL_LIMIT], "weight": None}
                         for label in factors],
            "scores": [[None] * len(factors) for _ in options]}


def top_rated(spec: FieldSpec, ratings: Mapping[str, Any]) -> list[str]:
    """The statements rated 5, then those rated 4, each group in the module's order."""
    return [statement.label for point in TOP_RATINGS for statement in spec.statements
            if ratings.get(statement.value) == point]


def _matching_options(target: FieldSpec, source: FieldSpec) -> dict[str, str]:
    """Source option values and the target's option each matches: the same value, or
    else the same label (modules may name one option differently)."""
    by_value = {option.value: option.value for option in target.options}
    by_label = {option.label.casefold(): option.value for option in target.options}
    matching = {}
    for option in source.options:
        found = by_value.get(option.value) or by_label.get(option.label.casefold())
        if found is not None:
            matching[option.value] = found
    return matching


def _shared_columns(target: FieldSpec, source: FieldSpec) -> set[str]:
    return {column.id for column in target.columns} & {column.id for column in source.columns}


def _option_label(spec: FieldSpec, value: object) -> str:
    return next((option.label for option in spec.options if option.value == value), str(value))


def _distinct(labels: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for label in labels:
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            kept.append(label)
    return kept
