"""The progress matrix: members x assigned modules, from progress rows only, and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select

from careers_app.clock import in_uk
from careers_app.content.fields import small_number
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.workshops import service
from careers_app.workshops.models import Assignment, Membership, Workshop


@dataclass(frozen=True)
class Column:
    assignment: Assignment
    title: str
    steps: int
    due: dt.date


@dataclass(frozen=True)
class Cell:
    status: str  # "not-started", "in-progress" or "completed"
    text: str
    sort_key: int
    shown: bool


@dataclass(frozen=True)
class Row:
    membership: Membership
    cells: list[Cell]
    last_activity: dt.datetime | None


@dataclass(frozen=True)
class Matrix:
    columns: list[Column]
    rows: list[Row]
    completed_share: list[int]  # percent of members who completed each column


def members_of(workshop: Workshop) -> list[Membership]:
    return list(db.session.execute(
        select(Membership).where(Membership.workshop_id == workshop.id)
        .order_by(Membership.joined_at, Membership.id)
    ).scalars())


def cell_for(progress: object, steps: int, shown: bool) -> Cell:
    if progress is None:
        return Cell("not-started", "Not started", 0, shown)
    if progress.completed_at is not None:
        done = in_uk(progress.completed_at)
        return Cell("completed", f"Completed on {done.day} {done:%B %Y}", steps + 1, shown)
    return Cell("in-progress", f"Step {min(progress.steps_completed, steps)} of {steps}",
                1 + progress.steps_completed, shown)


def build(workshop: Workshop, registry: ModuleRegistry) -> Matrix:
    """Four queries whatever the number of members or modules."""
    columns = []
    for assignment in service.assignments_of([workshop.id]):
        module = registry.get(assignment.module_slug)
        columns.append(Column(assignment, module.title if module else assignment.module_slug,
                              len(module.steps) if module else 0,
                              service.due_date(assignment, workshop)))
    members = members_of(workshop)
    progress = service.progress_rows([m.user_id for m in members],
                                     [c.assignment.module_slug for c in columns])
    shown = service.shown_modules([m.id for m in members])
    rows = []
    for membership in members:
        found = [progress.get((membership.user_id, c.assignment.module_slug)) for c in columns]
        touched = [p.updated_at for p in found if p is not None]
        rows.append(Row(membership, [
            cell_for(p, c.steps, (membership.id, c.assignment.module_slug) in shown)
            for p, c in zip(found, columns, strict=True)], max(touched, default=None)))
    share = [round(100 * sum(r.cells[i].status == "completed" for r in rows) / len(rows))
             if rows else 0 for i in range(len(columns))]
    return Matrix(columns, rows, share)


def sorted_rows(matrix: Matrix, sort: str) -> list[Row]:
    """Rows by name, by last activity (most recent first), or by one module's progress."""
    if sort == "last":
        return sorted(matrix.rows, key=lambda r: (r.last_activity is None,
                                                  -(r.last_activity.timestamp()
                                                    if r.last_activity else 0)))
    index = small_number(sort[7:], 3) if sort.startswith("module-") else None
    if index is not None and index < len(matrix.columns):
        return sorted(matrix.rows, key=lambda r: -r.cells[index].sort_key)
    return sorted(matrix.rows, key=lambda r: r.membership.member.full_name.casefold())


# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Make a cell inert in a spreadsheet by putting an apostrophe before a formula start."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_csv(workshop: Workshop, matrix: Matrix) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in (
        "Member", "Email", "Last activity",
        *(f"{c.title} (due {c.due.isoformat()})" for c in matrix.columns))])
    for row in sorted_rows(matrix, "name"):  # as the page is sorted unless asked otherwise
        last = in_uk(row.last_activity).strftime("%Y-%m-%d %H:%M") if row.last_activity else ""
        writer.writerow([neutralise(v) for v in (
            row.membership.member.full_name, row.membership.member.email, last,
            *(cell.text for cell in row.cells))])
    writer.writerow([neutralise(v) for v in (
        "Completed", "", "", *(f"{share}%" for share in matrix.completed_share))])
    return buffer.getvalue()
