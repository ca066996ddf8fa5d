"""The field types, registered by name. To add one, see "Adding a field type" in
modules/README.md: a module here and its two templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careers_app.content.field_types.action_table import ActionTable
from careers_app.content.field_types.base import OPTIONAL_SETTINGS, FieldKind, is_set
from careers_app.content.field_types.choice import Choice
from careers_app.content.field_types.date import Date
from careers_app.content.field_types.decision_matrix import DecisionMatrix
from careers_app.content.field_types.list_rows import ListRows
from careers_app.content.field_types.long_text import LongText
from careers_app.content.field_types.multi_choice import MultiChoice
from careers_app.content.field_types.ranking import Ranking
from careers_app.content.field_types.scale import Scale
from careers_app.content.field_types.short_text import ShortText

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec

# In this order in messages to content authors.
FIELD_TYPES: dict[str, FieldKind] = {
    kind.name: kind()
    for kind in (ShortText, LongText, Choice, MultiChoice, Scale, Ranking, ListRows,
                 DecisionMatrix, ActionTable, Date)
}


def check_settings(kind: FieldKind, spec: FieldSpec) -> None:
    """Refuse settings the type needs but lacks, then settings that belong to other types."""
    kind.check_settings(spec)
    for setting, (keys, named, note) in OPTIONAL_SETTINGS.items():
        if setting in kind.settings or not any(is_set(getattr(spec, key)) for key in keys):
            continue
        owners = sorted(name for name, other in FIELD_TYPES.items() if setting in other.settings)
        raise ValueError(f"{named} only for {', '.join(owners)}{note}")


__all__ = ["FIELD_TYPES", "FieldKind", "check_settings"]
