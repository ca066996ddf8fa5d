"""How modules are grouped, labelled and described to a person, from their progress rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from careers_app.content.loader import ModuleRegistry
from careers_app.content.schema import Module
from careers_app.worksheets.models import ModuleProgress

SCAN_STAGES = {
    "S": "Self awareness",
    "C": "Career exploration",
    "A": "Arriving at a decision",
    "N": "Next steps",
}
OTHER_STAGES = {
    "reflection": "Choosing your path",
    "interview": "Preparing for interviews",
    "networking": "Networking",
}
AUDIENCES = {
    "all": "Everyone who can use this service",
    "foundation": "Foundation doctors",
    "specialty": "Specialty trainees",
    "consultant": "Senior trainees applying for consultant posts",
    "nursing-midwifery": "Nurses and midwives",
    "pharmacy": "Pharmacists in training",
    "dentistry": "Dentists in training",
}

# The audience the module list starts at for a person's registered group, or failing
# that their training stage; anyone else starts at every module ("all").
_AUDIENCE_BY_GROUP = {"healthcare_professional": "nursing-midwifery", "pharmacy": "pharmacy"}
_AUDIENCE_BY_STAGE = {
    "foundation": "foundation", "core": "specialty", "higher": "specialty", "gp": "specialty",
    "dental": "dentistry", "pharmacy_early": "pharmacy", "pharmacy_foundation": "pharmacy",
}


def audience_for(professional_group: str, training_stage: str) -> str:
    """The AUDIENCES key matching what a person registered as."""
    return (_AUDIENCE_BY_GROUP.get(professional_group)
            or _AUDIENCE_BY_STAGE.get(training_stage) or "all")


Status = Literal["not-started", "in-progress", "completed"]
STATUS_LABELS = {"not-started": "Not started", "in-progress": "In progress",
                 "completed": "Completed"}


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: Status
    percent: int
    steps_done: int = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def steps(self) -> int:
        return len(self.module.steps)


def status_of(module: Module, progress: ModuleProgress | None) -> ModuleStatus:
    if progress is None:
        return ModuleStatus(module, "not-started", 0)
    done = min(progress.steps_completed, len(module.steps))
    percent = round(100 * done / len(module.steps))
    status: Status = "completed" if progress.completed_at else "in-progress"
    return ModuleStatus(module, status, percent, done)


@dataclass(frozen=True)
class ModuleGroup:
    title: str
    key: str
    modules: list[ModuleStatus]


def grouped(
    registry: ModuleRegistry, progress: Mapping[str, ModuleProgress], audience: str | None
) -> list[ModuleGroup]:
    """SCAN stages in order, then the other kinds; only modules for ``audience``, if given.

    A module for "all" suits every audience.
    """
    def suits(module: Module) -> bool:
        return not audience or audience in module.audiences or "all" in module.audiences

    groups = []
    for key, title in {**SCAN_STAGES, **OTHER_STAGES}.items():
        members = [status_of(module, progress.get(module.slug))
                   for module in registry if module.stage == key and suits(module)]
        if members:
            groups.append(ModuleGroup(title, key, members))
    return groups


def in_progress(registry: ModuleRegistry, progress: Mapping[str, ModuleProgress]
                ) -> list[ModuleStatus]:
    """Modules started and not completed, most recently worked on first."""
    started = [(row, registry.get(slug)) for slug, row in progress.items()]
    started = [(row, module) for row, module in started
               if module is not None and row.completed_at is None]
    started.sort(key=lambda pair: pair[0].updated_at, reverse=True)
    return [status_of(module, row) for row, module in started]


def next_scan_stage(registry: ModuleRegistry, progress: Mapping[str, ModuleProgress]
                    ) -> Module | None:
    """The first SCAN module, in stage order, that this person has not completed."""
    for stage in SCAN_STAGES:
        for module in (module for module in registry if module.stage == stage):
            row = progress.get(module.slug)
            if row is None or row.completed_at is None:
                return module
    return None
