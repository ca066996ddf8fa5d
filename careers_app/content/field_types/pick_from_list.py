"""Radio buttons for one of the trainee's own earlier entries, such as an option on
their shortlist: the field's ``choose_from`` names the earlier list, and the step page
offers what that list holds now (careers_app/worksheets/bring_forward.py).

The answer keeps the entry's words as they read when it was chosen, so rewording or
removing the entry later neither changes nor loses the choice: the page then offers it
beside the entries there are now.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.shared import clean_text

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec

# As long as the longest list column a module may declare.
PICK_LIMIT = 500


class PickFromList(FieldKind):
    name = "pick_from_list"
    settings = frozenset({"choose_from"})

    def check_settings(self, spec: FieldSpec) -> None:
        if spec.choose_from is None:
            raise ValueError("a pick_from_list field needs choose_from: the earlier list "
                             "whose entries it offers")
        if spec.required:
            # The earlier list may still be empty, which would leave the step unfinishable.
            raise ValueError("a pick_from_list field cannot be required: the trainee may "
                             "not have listed anything yet")

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> str:
        return clean_text(value, PICK_LIMIT, "Your choice")

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return {"kind": "text", "text": value}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        return write(PICK_LIMIT, 0)
