"""What a step brings forward from a trainee's earlier answers, in any module.

Only the signed-in trainee's own answers are read. A field is filled in from earlier
answers only while this step has no saved answer for it: once the trainee has saved the
step, even with the field cleared, what they saved is what they see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from careers_app.content.carry import carry
from careers_app.content.fields import is_empty
from careers_app.content.loader import ModuleRegistry
from careers_app.content.references import MAX_CHAIN, Located, locate
from careers_app.content.schema import FieldSpec, Module, Step

Answers = Mapping[tuple[str, str], Mapping[str, Any]]


@dataclass(frozen=True)
class Earlier:
    """One earlier answer, where it was given and what it says."""

    place: Located
    value: Any

    @property
    def spec(self) -> FieldSpec:
        return self.place.field


@dataclass(frozen=True)
class RecallGroup:
    """Earlier answers from one module, shown together under its name."""

    module: Module
    answers: list[Earlier]


@dataclass(frozen=True)
class BroughtForward:
    values: dict[str, Any] = field(default_factory=dict)
    # For each filled-in field, the earlier answers it was filled from.
    filled_from: dict[str, list[Earlier]] = field(default_factory=dict)
    recalled: list[RecallGroup] = field(default_factory=list)
    # For each field that offers earlier entries to choose from: where they come from
    # and the entries (perhaps none yet).
    choices: dict[str, Choices] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.values and not self.recalled


@dataclass(frozen=True)
class Choices:
    place: Located
    entries: list[str]


def needs_earlier_answers(step: Step) -> bool:
    return bool(step.recall) or any(spec.filled_from or spec.choose_from
                                    for spec in step.fields)


def _current(registry: ModuleRegistry, answers: Answers, place: Located, depth: int) -> Any:
    """The answer a field holds now: as saved, or as it would be filled in if unsaved."""
    saved = answers.get((place.module.slug, place.step.id), {})
    if place.field.id in saved:
        return saved[place.field.id]
    if depth >= MAX_CHAIN or not place.field.filled_from:
        return None
    sources = [(spec, value) for spec, value, _ in
               _sources(registry, answers, place.field, depth + 1)]
    return carry(place.field, sources)


def _sources(registry: ModuleRegistry, answers: Answers, spec: FieldSpec, depth: int
             ) -> list[tuple[FieldSpec, Any, Located]]:
    found = []
    for reference in spec.filled_from:
        place = locate(registry, reference)
        if place is not None:
            found.append((place.field, _current(registry, answers, place, depth), place))
    return found


def bring_forward(registry: ModuleRegistry, step: Step, saved: Mapping[str, Any],
                  answers: Answers) -> BroughtForward:
    """Earlier answers for ``step``: values for its unanswered fields, and recalled answers.

    ``saved`` is this step's own saved answers; ``answers`` every saved step of the same
    trainee, keyed by (module slug, step id).
    """
    values: dict[str, Any] = {}
    origins: dict[str, list[Earlier]] = {}
    for spec in step.fields:
        if not spec.filled_from or spec.id in saved:
            continue
        sources = _sources(registry, answers, spec, 1)
        value = carry(spec, [(source, answer) for source, answer, _ in sources])
        if value is not None:
            values[spec.id] = value
            origins[spec.id] = [Earlier(place, answer) for source, answer, place in sources
                                if not is_empty(source, answer)]
    return BroughtForward(values, origins, _recalled(registry, step, answers),
                          _choices(registry, step, answers))


def _choices(registry: ModuleRegistry, step: Step, answers: Answers) -> dict[str, Choices]:
    found = {}
    for spec in step.fields:
        place = locate(registry, spec.choose_from) if spec.choose_from else None
        if place is None:
            continue
        value = _current(registry, answers, place, 1)
        try:
            entries = [] if is_empty(place.field, value) else place.field.kind.entries(
                place.field, value)
        except (AttributeError, KeyError, TypeError, ValueError):
            entries = []  # saved when the field had another shape: offer nothing
        found[spec.id] = Choices(place, entries)
    return found


def _recalled(registry: ModuleRegistry, step: Step, answers: Answers) -> list[RecallGroup]:
    groups: dict[str, RecallGroup] = {}
    for reference in step.recall:
        place = locate(registry, reference)
        if place is None:
            continue
        value = answers.get((place.module.slug, place.step.id), {}).get(place.field.id)
        if is_empty(place.field, value):
            continue  # never answered, or deleted since: nothing to show
        group = groups.setdefault(place.module.slug, RecallGroup(place.module, []))
        group.answers.append(Earlier(place, value))
    return list(groups.values())
