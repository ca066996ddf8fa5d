"""What every field type provides: one class per type, one module per class.

A type says which optional settings of a field it accepts and checks them; cleans an
answer into its stored shape; reads that shape from a posted form and writes it back as
form entries; names the input an error link focuses; says when an answer is empty; and
says how the answer reads on a plan. Its two templates (the input and the answer as
shown back) are found by its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from careers_app.content.field_types.shared import FormEntries

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec

# The optional settings of a field that belong to particular types: the setting (as a
# type lists it in ``settings``), the FieldSpec keys it covers, how the refusal names
# them, and a note for the content author.
OPTIONAL_SETTINGS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "options": (("options",), "options are", ""),
    "allow_other": (("allow_other",), "allow_other is", ""),
    "statements": (("statements", "scale_labels"), "statements and scale_labels are", ""),
    "columns": (("columns",), "columns are", " (an action_table has fixed columns)"),
    "max_words": (("max_words",), "max_words is", ""),
    "max_length": (("max_length",), "max_length is", " (list columns have their own)"),
    "suggested_criteria": (("suggested_criteria",), "suggested_criteria is", ""),
    "choose_from": (("choose_from",), "choose_from is", ""),
}

# Writes the n-th part of an answer that a person types, in at most ``limit`` characters.
Writer = Callable[[int, int], str]


@dataclass(frozen=True)
class FieldFragment:
    """How a field's input can be drawn once and reused (careers_app/fragments.py).

    ``skeleton`` is the value to draw the kept markup with: it puts slots where the
    answer goes. ``fillings`` are the escaped markup each slot takes for this answer.
    """

    skeleton: Any
    fillings: dict[str, str]


def is_set(value: object) -> bool:
    """Whether an optional setting was given (its default is None, False or empty)."""
    return value is not None and value is not False and value != ()


class FieldKind:
    """The base of every field type; subclasses set ``name`` and override what differs."""

    name: ClassVar[str]
    # The optional settings (keys of OPTIONAL_SETTINGS) this type accepts.
    settings: ClassVar[frozenset[str]] = frozenset()
    # Shown when a required field is left empty.
    required_message: ClassVar[str] = "Answer this question"
    # A table or chart: on the summary page it takes the full width, not a summary row.
    wide: ClassVar[bool] = False
    # Rows the trainee adds and removes with the "Add another" and "Remove" buttons.
    has_rows: ClassVar[bool] = False
    # Its answers are a list of things (see ``entries``) a later field can offer to choose.
    has_entries: ClassVar[bool] = False

    @property
    def field_template(self) -> str:
        """The input, included by the ``field`` macro of worksheets/_fields.html."""
        return f"worksheets/fields/{self.name}.html"

    @property
    def answer_template(self) -> list[str]:
        """The answer as shown back, included by the ``answer`` macro of _answers.html:
        the type's own template if it has one, or else its plan display."""
        return [f"worksheets/answers/{self.name}.html", "worksheets/answers/_display.html"]

    def check_settings(self, spec: FieldSpec) -> None:
        """Refuse (ValueError) settings this type needs but the field lacks."""

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> Any:
        """The canonical answer, or FieldError saying what to change."""
        raise NotImplementedError

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> Any:
        """The posted value in the answer shape (not yet checked): by default the one
        input named after the field."""
        return form.get(spec.id, "")

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        """The form entries that show a stored answer: the inverse of read_form."""
        return [(spec.id, value if isinstance(value, str) else "")]

    def first_input_id(self, spec: FieldSpec) -> str:
        """Where an error-summary link for this field moves focus."""
        return spec.id

    def row_input_id(self, spec: FieldSpec, index: int) -> str:
        """The first input of a row (types with rows): where focus lands on a new row."""
        raise ValueError(f"a {self.name} field has no rows")

    def is_empty(self, spec: FieldSpec, value: object) -> bool:
        """Whether a cleaned answer says nothing at all."""
        if isinstance(value, str):
            return not value.strip()
        return not value

    def entries(self, spec: FieldSpec, value: Any) -> list[str]:
        """The things an answer lists, in its order, for a later field to choose from
        (types with ``has_entries``)."""
        raise ValueError(f"a {self.name} answer lists nothing to choose from")

    def fragment(self, spec: FieldSpec, value: Any) -> FieldFragment | None:
        """For a type whose input depends on the answer only where the answer is put (not
        in how many rows or which parts are drawn): how to reuse one drawing of the input
        for every answer. None draws the input afresh each time."""
        return None

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        """How the answer reads on a plan: text and tables only."""
        raise ValueError(f"no plan display for {self.name}")

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        """A complete answer to ``spec``, before cleaning, for tests, benchmarks and demos:
        each part a person types comes from ``write`` and dates fall after ``today``.
        ``full`` fills every row, option and factor the field allows: its largest answer."""
        raise NotImplementedError
