"""Everything a step page needs to render, and the row buttons of list fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for

from careers_app.content.fields import small_number
from careers_app.content.schema import Module, Step
from careers_app.forms import BaseForm
from careers_app.worksheets.bring_forward import BroughtForward
from careers_app.worksheets.formdata import first_input_id, name
from careers_app.worksheets.matrix_totals import MatrixRecap

ADD_ROW = "add-row"
REMOVE_ROW = "remove-row"


def parse_version(raw: str | None) -> int | None:
    """The version a form was rendered with; None when missing or not a small number."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


@dataclass(frozen=True)
class RowAnchor:
    add: str | None
    anchor: str


def apply_row_action(
    step: Step, values: dict[str, Any], action: str
) -> tuple[dict[str, Any], RowAnchor | None]:
    """Handle "Add another row" and "Remove" buttons of list and action fields.

    Both save what was typed first; remove takes the row out of what is saved. The
    anchor says where the page should land afterwards.
    """
    kind, _, rest = action.partition("--")
    spec = next((field for field in step.fields if field.id == rest.split("--")[0]), None)
    if spec is None or not spec.kind.has_rows:
        return values, None
    rows = list(values.get(spec.id) or [])
    if kind == ADD_ROW:
        filled = sum(1 for row in rows if any(_has_text(cell) for cell in row.values()))
        return values, RowAnchor(spec.id, spec.kind.row_input_id(spec, filled))
    if kind == REMOVE_ROW:
        index = small_number(rest.split("--")[-1], 3)
        if index is not None and index < len(rows):
            del rows[index]
        return {**values, spec.id: rows}, RowAnchor(None, name(spec.id, "rows-heading"))
    return values, None


def _has_text(cell: object) -> bool:
    if isinstance(cell, dict):
        return any(_has_text(part) for part in cell.values())
    return isinstance(cell, str) and bool(cell.strip())


RETURN_TO_SUMMARY = "summary"  # the ?return= of a step opened from Check your answers


class StepPage:
    """One step of one module, rendered with given values, errors and messages."""

    def __init__(self, module: Module, step: Step, *, form: BaseForm, add_row: str | None,
                 recap: MatrixRecap | None = None, back_to_summary: bool = False):
        self.module = module
        # Opened by a "Change" link on Check your answers: saving goes back there.
        self.back_to_summary = back_to_summary
        self.step = step
        self.form = form
        self.add_row = add_row
        self.recap = recap
        self.brought = BroughtForward()
        self.index = module.steps.index(step)

    @property
    def previous_step(self) -> Step | None:
        return self.module.steps[self.index - 1] if self.index > 0 else None

    @property
    def next_step(self) -> Step | None:
        following = self.index + 1
        return self.module.steps[following] if following < len(self.module.steps) else None

    def url(self, add: str | None = None) -> str:
        return url_for("worksheets.step", slug=self.module.slug, step_id=self.step.id, add=add,
                       **({"return": RETURN_TO_SUMMARY} if self.back_to_summary else {}))

    def render(
        self, values: dict[str, Any], version: int, *, errors: dict[str, str] | None = None,
        message: str | None = None, status: int = 200, saved: bool = False,
    ) -> tuple[str, int]:
        errors = errors or {}
        summary = [("", message)] if message else []
        summary += [(first_input_id(spec), errors[spec.id])
                    for spec in self.step.fields if spec.id in errors]
        # A refused token, or text carried through signing in, explains itself first.
        summary = self.form.error_list() + summary
        html = render_template(
            "worksheets/step.html",
            module=self.module,
            step=self.step,
            number=self.index + 1,
            page=self,
            values=values,
            errors=errors,
            error_summary=summary,
            version=version,
            saved=saved,
            add_row=self.add_row,
        )
        return html, status
