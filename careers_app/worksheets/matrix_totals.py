"""The totals of a decision matrix as a step page shows them, with the leading option in words.

The arithmetic is ``matrix_results`` (the summary and the plan use it too). On the
matrix step, static/js/matrix-totals.js recomputes the same totals while the person
rates, before anything is saved, with the sentences of WORDING below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from careers_app.content.fields import FieldError, MatrixResult, clean_answer, matrix_results
from careers_app.content.schema import FieldSpec, Step

# Every sentence, by name. The matrix step hands them to its script as data attributes,
# so the live totals say exactly what the saved page says.
WORDING = {
    "no-options": "Name your options and rate them to see a total for each.",
    "one-option": "Name at least 2 options to compare their totals.",
    "not-rated": "Rate how important each factor is and how likely each option is to meet it.",
    "leader": "{option} has the highest total: {total}.",
    "level": "{options} are level at the top, with {total} each.",
    "unreadable": "Your totals will show here once the answers above can be saved.",
}


@dataclass(frozen=True)
class MatrixTotals:
    results: list[MatrixResult]  # named options only, highest total first
    summary: str  # which option leads, or what is needed before one can
    missing: bool  # a leader is named, but some ratings are blank

    @property
    def wording(self) -> dict[str, str]:
        return WORDING


@dataclass(frozen=True)
class MatrixRecap:
    """The totals of an earlier step's matrix, for a later step that talks about them."""

    step: Step
    number: int
    totals: MatrixTotals


def _names(options: list[str]) -> str:
    return options[0] if len(options) == 1 else ", ".join(options[:-1]) + " and " + options[-1]


def _summary(results: list[MatrixResult]) -> str:
    if not results:
        return WORDING["no-options"]
    if len(results) == 1:
        return WORDING["one-option"]
    best = results[0].total
    if best == 0:
        return WORDING["not-rated"]
    leaders = [result.option for result in results if result.total == best]
    if len(leaders) == 1:
        return WORDING["leader"].format(option=leaders[0], total=best)
    return WORDING["level"].format(options=_names(leaders), total=best)


def _has_blank_rating(matrix: dict[str, Any]) -> bool:
    """Whether a kept factor lacks its importance or a kept option one of its ratings."""
    return any(item["weight"] is None for item in matrix["criteria"]) or any(
        point is None for row in matrix["scores"] for point in row)


def matrix_totals(spec: FieldSpec, value: object) -> MatrixTotals:
    """Totals of a saved answer, or of what was posted when the page comes back with an
    error (cleaned leniently first: posted ratings are text). Unreadable input, which
    the field's own error message explains, shows no totals rather than wrong ones."""
    try:
        matrix = clean_answer(spec, value, strict=False)
    except FieldError:
        return MatrixTotals([], WORDING["unreadable"], False)
    results = matrix_results(matrix)
    summary = _summary(results)
    leader_named = len(results) > 1 and results[0].total > 0
    return MatrixTotals(results, summary, leader_named and _has_blank_rating(matrix))


def matrix_recap(steps: tuple[Step, ...], source_id: str,
                 answers: Mapping[str, object]) -> MatrixRecap | None:
    """The recap of step ``source_id`` from its saved ``answers`` (empty when unsaved)."""
    step = next((item for item in steps if item.id == source_id), None)
    spec = step.matrix_field() if step else None
    if step is None or spec is None:
        return None
    return MatrixRecap(step, steps.index(step) + 1, matrix_totals(spec, answers.get(spec.id)))
