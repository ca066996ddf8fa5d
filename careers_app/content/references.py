"""Links between modules: earlier answers a step recalls, a field is filled from or
offers to choose from, and the shared questions fields ask. Checked once every module
has loaded, so a reference to a module, step or field that does not exist stops the app
with its location."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from careers_app.content.carry import fit_problem
from careers_app.content.field_types import FIELD_TYPES
from careers_app.content.schema import FieldSpec, Module, Step

if TYPE_CHECKING:  # the loader imports this module while it builds the registry
    from careers_app.content.loader import ModuleRegistry as Registry

# How many filled-from links a page follows back; module files are checked for loops.
MAX_CHAIN = 8


@dataclass(frozen=True)
class Located:
    module: Module
    step: Step
    field: FieldSpec

    @property
    def key(self) -> str:
        return f"{self.module.slug}/{self.step.id}/{self.field.id}"

    @property
    def step_number(self) -> int:
        return self.module.steps.index(self.step) + 1


def locate(registry: Registry, reference: str) -> Located | None:
    """The field a ``module/step/field`` reference names, if it exists."""
    slug, step_id, field_id = reference.split("/")
    module = registry.modules.get(slug)
    step = module.step(step_id) if module else None
    field = next((item for item in step.fields if item.id == field_id), None) if step else None
    return Located(module, step, field) if module and step and field else None


def _missing(registry: Registry, reference: str) -> str:
    """Which part of a reference that does not resolve is wrong."""
    slug, step_id, field_id = reference.split("/")
    module = registry.modules.get(slug)
    if module is None:
        return f"no module '{slug}'"
    step = module.step(step_id)
    if step is None:
        return f"no step '{step_id}' in module '{slug}'"
    return f"no field '{field_id}' in step '{step_id}' of module '{slug}'"


def reference_problems(registry: Registry, files: Mapping[str, str]) -> list[str]:
    """Every broken recall, filled_from or asks in the registry, located for an author."""
    problems: list[str] = []
    for module in registry.modules.values():
        where_module = files.get(module.slug, f"{module.slug}.yaml")
        for step in module.steps:
            where_step = f"{where_module}: step '{step.id}'"
            for reference in step.recall:
                if locate(registry, reference) is None:
                    problems.append(f"{where_step}: recall '{reference}': "
                                    f"{_missing(registry, reference)}")
            for field in step.fields:
                where = f"{where_step}, field '{field.id}'"
                if field.asks and field.asks not in registry.questions:
                    problems.append(f"{where}: asks '{field.asks}': no such question in "
                                    "questions/questions.yaml")
                for reference in field.filled_from:
                    problems += _filled_from_problems(registry, where, module, step, field,
                                                      reference)
                if field.choose_from:
                    problems += _choose_from_problems(registry, where, field.choose_from)
    return problems + _loops(registry)


def _filled_from_problems(registry: Registry, where: str, module: Module, step: Step,
                          field: FieldSpec, reference: str) -> list[str]:
    source = locate(registry, reference)
    if source is None:
        return [f"{where}: filled_from '{reference}': {_missing(registry, reference)}"]
    if source.module is module and source.step is step and source.field is field:
        return [f"{where}: filled_from '{reference}': a field cannot be filled from itself"]
    if problem := fit_problem(field, source.field):
        return [f"{where}: filled_from '{reference}': {problem}"]
    return []


def _choose_from_problems(registry: Registry, where: str, reference: str) -> list[str]:
    source = locate(registry, reference)
    if source is None:
        return [f"{where}: choose_from '{reference}': {_missing(registry, reference)}"]
    if not source.field.kind.has_entries:
        listing = sorted(name for name, kind in FIELD_TYPES.items() if kind.has_entries)
        return [f"{where}: choose_from '{reference}': a {source.field.type} field lists "
                f"nothing to choose from (use a {', '.join(listing[:-1])} or {listing[-1]} "
                "field)"]
    return []


def _loops(registry: Registry) -> list[str]:
    """Fields that end up filled from themselves, or through a chain too long to follow."""
    links = {f"{module.slug}/{step.id}/{field.id}": field.filled_from
             for module in registry.modules.values() for step in module.steps
             for field in step.fields if field.filled_from}
    problems: dict[frozenset[str], str] = {}  # one message per loop, whichever field starts it
    for start in links:
        paths = [[start]]
        while paths:
            path = paths.pop()
            for following in links.get(path[-1], ()):
                if following == start:
                    problems.setdefault(frozenset(path), "filled_from makes a loop: "
                                        + " -> ".join([*path, start]))
                elif len(path) >= MAX_CHAIN:
                    problems.setdefault(frozenset(path), f"filled_from chain from '{start}' "
                                        f"is longer than {MAX_CHAIN} links")
                elif following in links and following not in path:
                    paths.append([*path, following])
    return list(problems.values())
