"""What a member sees of their workshops: assigned modules, due dates, and the preview
of exactly what the facilitator sees about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event

from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.workshops import service
from careers_app.workshops.models import Membership, Workshop
from careers_app.workshops.progress import Cell, Matrix, cell_for

UID_DOMAIN = "careers-app.plan"


@dataclass(frozen=True)
class AssignedModule:
    membership: Membership
    slug: str
    title: str
    due: dt.date
    cell: Cell
    overdue: bool
    shown: bool


def assigned_to(user_id: int, registry: ModuleRegistry) -> list[AssignedModule]:
    """Every module assigned to this person by a workshop they belong to, soonest due first.

    Four queries however many workshops and modules.
    """
    memberships = service.memberships_of(user_id)
    by_workshop = {m.workshop_id: m for m in memberships}
    assignments = service.assignments_of(by_workshop)
    progress = service.progress_rows([user_id], {a.module_slug for a in assignments})
    shown = service.shown_modules(m.id for m in memberships)
    today = service.today()
    listed = []
    for assignment in assignments:
        membership = by_workshop[assignment.workshop_id]
        module = registry.get(assignment.module_slug)
        due = service.due_date(assignment, membership.workshop)
        cell = cell_for(progress.get((user_id, assignment.module_slug)),
                        len(module.steps) if module else 0, False)
        listed.append(AssignedModule(
            membership, assignment.module_slug, module.title if module else assignment.module_slug,
            due, cell, due < today and cell.status != "completed",
            (membership.id, assignment.module_slug) in shown))
    return sorted(listed, key=lambda item: (item.due, item.title))


def groupby_workshop(items: list[AssignedModule]) -> list[tuple[Membership, list[AssignedModule]]]:
    """The same modules, grouped under each workshop in order of their first due date."""
    grouped: dict[int, tuple[Membership, list[AssignedModule]]] = {}
    for item in items:
        grouped.setdefault(item.membership.id, (item.membership, []))[1].append(item)
    return list(grouped.values())


def preview_for(user: object, workshop: Workshop, matrix: Matrix) -> list[tuple[str, str]]:
    """(module, what the facilitator sees) for this person, member or not yet."""
    progress = service.progress_rows([user.id], [c.assignment.module_slug for c in matrix.columns])
    return [(column.title, cell_for(progress.get((user.id, column.assignment.module_slug)),
                                    column.steps, False).text)
            for column in matrix.columns]


def calendar(user_id: int, registry: ModuleRegistry) -> bytes:
    """One all-day event per assigned module, on its due date; UIDs stable across downloads."""
    ics = Calendar()
    ics.add("prodid", "-//Plan your NHS career//Workshop modules//EN")
    ics.add("version", "2.0")
    stamp = utcnow()
    for item in assigned_to(user_id, registry):
        event = Event()
        event.add("uid", f"workshop-{item.membership.workshop_id}-{item.slug}-{user_id}"
                         f"@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", f"Complete “{item.title}” for {item.membership.workshop.title}")
        event.add("transp", "TRANSPARENT")
        ics.add_component(event)
    return ics.to_ical()
