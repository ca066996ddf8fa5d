"""Checkboxes: pick any options, and perhaps say what "Other" is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from careers_app.content.field_types.base import FieldKind, Writer
from careers_app.content.field_types.choice import check_options
from careers_app.content.field_types.shared import (
    FieldError,
    FormEntries,
    as_list,
    as_mapping,
    clean_text,
    name,
    option_label,
)

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from careers_app.content.schema import FieldSpec


class MultiChoice(FieldKind):
    name = "multi_choice"
    has_entries = True
    settings = frozenset({"options", "allow_other"})
    required_message = "Choose at least one option"

    def check_settings(self, spec: FieldSpec) -> None:
        check_options(spec)

    def clean(self, spec: FieldSpec, value: object, strict: bool) -> dict[str, Any]:
        if isinstance(value, list):
            value = {"selected": value}
        answer = as_mapping(value, "This answer")
        allowed = [option.value for option in spec.options] + (
            ["other"] if spec.allow_other else [])
        chosen = as_list(answer.get("selected"), "The choices")
        if len(chosen) > len(allowed):  # each box once at most, checked before any work
            raise FieldError("Choose from the options shown")
        unknown = [item for item in chosen if item not in allowed]
        if unknown:
            raise FieldError("Choose from the options shown")
        other = (clean_text(answer.get("other"), 200, "Your other answer")
                 if spec.allow_other else "")
        selected = [item for item in allowed if item in chosen]
        if other.strip() and "other" not in selected:
            selected.append("other")
        if strict and "other" in selected and not other.strip():
            raise FieldError("Say what your other answer is, or untick Other")
        return {"selected": selected, "other": other}

    def read_form(self, form: MultiDict[str, str], spec: FieldSpec) -> dict[str, Any]:
        return {"selected": form.getlist(spec.id), "other": form.get(name(spec.id, "other"), "")}

    def to_form(self, spec: FieldSpec, value: Any) -> FormEntries:
        answer = value if isinstance(value, Mapping) else {}
        selected = answer.get("selected") if isinstance(answer.get("selected"), list) else []
        other = answer.get("other")
        return [(spec.id, item) for item in selected if isinstance(item, str)] + [
            (name(spec.id, "other"), other if isinstance(other, str) else "")]

    def is_empty(self, spec: FieldSpec, value: object) -> bool:
        return not (isinstance(value, Mapping) and value.get("selected"))

    def entries(self, spec: FieldSpec, value: Any) -> list[str]:
        return list(self.display(spec, value)["items"])

    def display(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        items = [option_label(spec, item) for item in value["selected"] if item != "other"]
        if "other" in value["selected"] and value.get("other"):
            items.append(f"Other: {value['other']}")
        return {"kind": "bullets", "items": items}

    def sample(self, spec: FieldSpec, write: Writer, today: dt.date,
               full: bool = False) -> Any:
        chosen = spec.options if full else spec.options[:3]
        other = write(200, 0) if spec.allow_other else ""
        return {"selected": [option.value for option in chosen] + (["other"] if other else []),
                "other": other}
