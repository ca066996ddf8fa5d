"""Turning stored or posted answers into what step and summary templates show.

Values reaching a template may be a clean stored answer or exactly what was posted
with an error, so every helper here accepts odd shapes and never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, url_for

from careers_app.clock import in_uk
from careers_app.content.field_types.shared import (
    as_point_text,
    as_text,
    format_date,
    option_label,
)
from careers_app.content.fields import is_empty, matrix_results
from careers_app.content.schema import FieldSpec, Module, Option, Step
from careers_app.worksheets.matrix_totals import matrix_totals


def option_item(option: Option, current: object) -> dict[str, object]:
    """An NHS.UK radios or checkboxes item, checked when ``current`` holds its value."""
    if isinstance(current, list | tuple):
        checked = option.value in current
    else:
        checked = option.value == current
    return {"value": option.value, "text": option.label, "checked": checked}


def ranking_rows(spec: FieldSpec, value: object) -> list[tuple[Option, str]]:
    """Options in the saved order with their numbers; as posted, after an error."""
    if isinstance(value, Mapping):  # numbers as posted, which could not be read
        return [(option, as_text(value.get(option.value))) for option in spec.options]
    by_value = {option.value: option for option in spec.options}
    order = [item for item in value if item in by_value] if isinstance(value, list) else []
    if not order:
        return [(option, "") for option in spec.options]
    rest = [option for option in spec.options if option.value not in order]
    ranked = [(by_value[item], str(number)) for number, item in enumerate(order, start=1)]
    return ranked + [(option, "") for option in rest]


@dataclass(frozen=True)
class Criterion:
    label: str
    weight: str


@dataclass(frozen=True)
class MatrixView:
    options: list[str]
    criteria: list[Criterion]
    scores: list[list[str]]


def matrix_view(spec: FieldSpec, value: object) -> MatrixView:
    """Every slot of the comparison grid filled, starting from the suggested factors."""
    matrix = value if isinstance(value, Mapping) else {}
    raw_options = matrix.get("options") if isinstance(matrix.get("options"), list) else []
    raw_criteria = matrix.get("criteria") if isinstance(matrix.get("criteria"), list) else []
    raw_scores = matrix.get("scores") if isinstance(matrix.get("scores"), list) else []
    if not matrix:
        raw_criteria = [{"label": label} for label in spec.suggested_criteria]
    options = [as_text(raw_options[i]) if i < len(raw_options) else ""
               for i in range(spec.max_options)]
    criteria = []
    for j in range(spec.max_criteria):
        item = raw_criteria[j] if j < len(raw_criteria) else {}
        item = item if isinstance(item, Mapping) else {}
        criteria.append(Criterion(as_text(item.get("label")), as_point_text(item.get("weight"))))
    scores = []
    for i in range(spec.max_options):
        row = raw_scores[i] if i < len(raw_scores) and isinstance(raw_scores[i], list) else []
        scores.append([as_point_text(row[j]) if j < len(row) else ""
                       for j in range(spec.max_criteria)])
    return MatrixView(options, criteria, scores)


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class ScaleChart:
    bars: list[ChartBar]
    height: int
    unit: int


CHART_WIDTH = 600
ROW_HEIGHT = 56


def scale_chart(spec: FieldSpec, value: object) -> ScaleChart:
    """Geometry for a horizontal bar chart of self-ratings (drawn as SVG in a template)."""
    ratings = value if isinstance(value, Mapping) else {}
    unit = CHART_WIDTH // 5
    bars = []
    for index, statement in enumerate(spec.statements):
        rating = ratings.get(statement.value)
        rating = rating if isinstance(rating, int) and 1 <= rating <= 5 else 0
        bars.append(ChartBar(statement.label, rating, index * ROW_HEIGHT, rating * unit))
    return ScaleChart(bars, len(bars) * ROW_HEIGHT + 24, unit)


def uk_time(moment: datetime) -> str:
    """A stored UTC time as people in London and the South East read it."""
    local = in_uk(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def unfinished_link(step: Step, module: Module) -> dict[str, str]:
    """An error-summary entry leading to a step that is not finished yet."""
    return {"text": f"Finish the step '{step.title}' before completing this module",
            "href": url_for("worksheets.step", slug=module.slug, step_id=step.id)}


def init_presenters(app: Flask) -> None:
    app.jinja_env.filters.update(option_item=option_item, format_date=format_date,
                                 unfinished_link=unfinished_link, uk_time=uk_time)
    app.jinja_env.globals.update(
        ranking_rows=ranking_rows, matrix_view=matrix_view, option_label=option_label,
        matrix_results=matrix_results, scale_chart=scale_chart, is_empty=is_empty,
        matrix_totals=matrix_totals,
    )

