"""The field types, registered by name. To add one, see "Adding a field type" in
modules/README.md: a module here (one FieldKind subclass) and its input template, found
by looking through this package, so nothing else is edited."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

from careers_app.content.field_types.base import OPTIONAL_SETTINGS, FieldKind, is_set

if TYPE_CHECKING:
    from careers_app.content.schema import FieldSpec

# Modules of this package that hold what the types share, not a type.
_NOT_TYPES = frozenset({"base", "shared"})


def _discover() -> dict[str, FieldKind]:
    """One instance of each type, by name, in alphabetical order (as messages list them)."""
    found: dict[str, FieldKind] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in _NOT_TYPES:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, FieldKind)
                    and value.__module__ == module.__name__):
                if value.name in found:
                    raise ValueError(f"two field types are named {value.name!r}")
                found[value.name] = value()
    return dict(sorted(found.items()))


FIELD_TYPES: dict[str, FieldKind] = _discover()


def check_settings(kind: FieldKind, spec: FieldSpec) -> None:
    """Refuse settings the type needs but lacks, then settings that belong to other types."""
    kind.check_settings(spec)
    for setting, (keys, named, note) in OPTIONAL_SETTINGS.items():
        if setting in kind.settings or not any(is_set(getattr(spec, key)) for key in keys):
            continue
        owners = sorted(name for name, other in FIELD_TYPES.items() if setting in other.settings)
        raise ValueError(f"{named} only for {', '.join(owners)}{note}")


__all__ = ["FIELD_TYPES", "FieldKind", "check_settings"]
