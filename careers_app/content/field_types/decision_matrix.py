"""Options compared on weighted factors: importance x likelihood, summed per option."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    as_list,
    as_mapping,
    as_point,
    as_point_text,
    as_text,
    clean_text,
    name,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec

MATRIX_LABEL_LIMIT = 150


class DecisionMatrix(FieldKind):
    name = "decision_matrix"
    wide = True
    settings = frozenset({"suggested_criteria"})
    required_message = "Name at least 2 options and 1 factor to compare them on"

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> dict[str, Any]:
        matrix = as_mapping(value, "The comparison")
        raw_options = as_list(matrix.get("options"), "The options")
        raw_criteria = as_list(matrix.get("criteria"), "The factors")
        raw_scores = as_list(matrix.get("scores"), "The ratings")
        _check_size(spec, raw_options, raw_criteria, raw_scores)
        options = [clean_text(item, MATRIX_LABEL_LIMIT, "An option name") for item in raw_options]
        criteria = []
        for raw in raw_criteria:
            raw = as_mapping(raw, "Each factor")
            label = clean_text(raw.get("label"), MATRIX_LABEL_LIMIT, "A factor")
            criteria.append({"label": label,
                             "weight": as_point(raw.get("weight"), "An importance rating")})
        scores = []
        for row_number in range(len(options)):
            row = raw_scores[row_number] if row_number < len(raw_scores) else []
            row = as_list(row, "Each option's ratings")
            scores.append([as_point(row[i] if i < len(row) else None, "A likelihood rating")
                           for i in range(len(criteria))])
        # Blank names drop out with their ratings, so positions never drift apart.
        kept_options = [i for i, option in enumerate(options) if option.strip()]
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
                raise FieldError(self.required_message)
            unrated = any(item["weight"] is None for item in cleaned["criteria"]) or any(
                point is None for row in cleaned["scores"] for point in row)
            if unrated:
                raise FieldError(
                    "Rate the importance of every factor and every option against it")
        return cleaned

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> dict[str, Any]:
        return {
            "options": [form.get(name(spec.id, "option", i), "")
                        for i in range(spec.max_options)],
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

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        matrix = value if isinstance(value, Mapping) else {}
        entries = [(name(spec.id, "option", i), as_text(option))
                   for i, option in enumerate(_list(matrix.get("options")))]
        for j, criterion in enumerate(_list(matrix.get("criteria"))):
            criterion = criterion if isinstance(criterion, Mapping) else {}
            entries += [(name(spec.id, "criterion", j), as_text(criterion.get("label"))),
                        (name(spec.id, "weight", j), as_point_text(criterion.get("weight")))]
        for i, row in enumerate(_list(matrix.get("scores"))):
            entries += [(name(spec.id, "score", i, j), as_point_text(point))
                        for j, point in enumerate(_list(row))]
        return entries

    def first_input_id(self, spec: FieldSpec) -> str:
        return name(spec.id, "option", 0)

    def is_empty(self, spec: FieldSpec, value: object) -> bool:
        return not (isinstance(value, Mapping) and value.get("options"))

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "table", "columns": ["Option", "Weighted score", "Rank"],
                "rows": [[r.option, str(r.total), str(r.rank)] for r in matrix_results(value)]}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        options = spec.max_options if full else min(3, spec.max_options)
        factors = spec.max_criteria if full else min(3, spec.max_criteria)
        return {"options": [write(MATRIX_LABEL_LIMIT, n) for n in range(options)],
                "criteria": [{"label": write(MATRIX_LABEL_LIMIT, options + n), "weight": 5 - n % 5}
                             for n in range(factors)],
                "scores": [[(i + j) % 5 + 1 for j in range(factors)] for i in range(options)]}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _check_size(
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
    for option, row in zip(matrix.get("options") or [], matrix.get("scores") or [],
                           strict=False):
        totals.append((option, sum(w * (s or 0) for w, s in zip(weights, row, strict=False))))
    totals.sort(key=lambda item: -item[1])
    results: list[MatrixResult] = []
    for position, (option, total) in enumerate(totals, start=1):
        tied = results and results[-1].total == total
        results.append(MatrixResult(option, total, results[-1].rank if tied else position))
    return results
