"""Workshops: creating them, assigning modules, joining by code, and progress without answers.

Facilitators see only ``ModuleProgress`` rows (how far, when), never ``StepAnswer`` rows,
except for one module a member has chosen to show, and only while they show it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.clock import in_uk, uk_today
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.worksheets.models import ModuleProgress
from careers_app.worksheets.service import insert_for_dialect
from careers_app.workshops.models import Assignment, Membership, ModuleShow, Workshop

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read aloud in a room is typed right first time.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


class JoinProblem(LookupError):
    """A code that does not lead to a workshop one can join; the message says why."""


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        exists = db.session.execute(select(Workshop.id).where(Workshop.join_code == code))
        if exists.first() is None:
            return code


def normalise_code(typed: str) -> str:
    """What people type from a slide or a call: any case, spaces or hyphens."""
    return "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())[:20]


def show_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


# -- facilitators -----------------------------------------------------------------------

@dataclass(frozen=True)
class WorkshopDetails:
    title: str
    starts_at: dt.datetime
    format: str
    description: str


def create(facilitator: User, details: WorkshopDetails) -> Workshop:
    workshop = Workshop(facilitator_id=facilitator.id, join_code=new_join_code(),
                        title=details.title, starts_at=details.starts_at,
                        format=details.format, description=details.description)
    db.session.add(workshop)
    db.session.commit()
    return workshop


def update(workshop: Workshop, details: WorkshopDetails) -> None:
    workshop.title, workshop.starts_at = details.title, details.starts_at
    workshop.format, workshop.description = details.format, details.description
    db.session.commit()


def archive(workshop: Workshop) -> None:
    workshop.archived_at = workshop.archived_at or utcnow()
    db.session.commit()


def workshops_of(facilitator_id: int) -> list[Workshop]:
    return list(db.session.execute(
        select(Workshop).where(Workshop.facilitator_id == facilitator_id)
        .order_by(Workshop.archived_at.is_not(None), Workshop.starts_at.desc())
    ).scalars())


def find_own(facilitator_id: int, workshop_id: int) -> Workshop | None:
    """Only the facilitator's own workshop: another's is as good as absent."""
    found = db.session.get(Workshop, workshop_id)
    return found if found is not None and found.facilitator_id == facilitator_id else None


def assignments_of(workshop_ids: Iterable[int]) -> list[Assignment]:
    ids = list(workshop_ids)
    if not ids:
        return []
    return list(db.session.execute(
        select(Assignment).where(Assignment.workshop_id.in_(ids)).order_by(Assignment.id)
    ).scalars())


def due_date(assignment: Assignment, workshop: Workshop) -> dt.date:
    """The fixed date, or the workshop's UK date moved by the number of days given."""
    if assignment.due_on is not None:
        return assignment.due_on
    return in_uk(workshop.starts_at).date() + dt.timedelta(days=assignment.days_from_workshop or 0)


def assign(workshop: Workshop, module_slug: str, due_on: dt.date | None,
           days_from_workshop: int | None) -> Assignment:
    """Assign a module, or change its due date if it is already assigned."""
    assignment = db.session.execute(
        select(Assignment).where(Assignment.workshop_id == workshop.id,
                                 Assignment.module_slug == module_slug)
    ).scalar_one_or_none() or Assignment(workshop_id=workshop.id, module_slug=module_slug)
    assignment.due_on, assignment.days_from_workshop = due_on, days_from_workshop
    db.session.add(assignment)
    db.session.commit()
    return assignment


def unassign(workshop: Workshop, assignment_id: int) -> None:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is not None and assignment.workshop_id == workshop.id:
        db.session.delete(assignment)
        db.session.commit()


# -- members ------------------------------------------------------------------------

def find_by_code(typed: str) -> Workshop:
    code = normalise_code(typed)
    found = db.session.execute(
        select(Workshop).where(Workshop.join_code == code)).scalar_one_or_none() if code else None
    if found is None:
        raise JoinProblem("There is no workshop with that code. Check it with your "
                          "facilitator: codes are 6 letters and numbers, like KTR-4MP")
    if found.archived_at is not None:
        raise JoinProblem("That workshop has ended and can no longer be joined")
    return found


def join(workshop: Workshop, user: User) -> None:
    """Join once; joining again changes nothing."""
    db.session.execute(
        insert_for_dialect(Membership)
        .values(workshop_id=workshop.id, user_id=user.id, joined_at=utcnow())
        .on_conflict_do_nothing(index_elements=["workshop_id", "user_id"])
    )
    db.session.commit()


def memberships_of(user_id: int) -> list[Membership]:
    return list(db.session.execute(
        select(Membership).join(Workshop, Workshop.id == Membership.workshop_id)
        .where(Membership.user_id == user_id, Workshop.archived_at.is_(None))
        .order_by(Workshop.starts_at)
    ).scalars())


def find_own_membership(user_id: int, membership_id: int) -> Membership | None:
    found = db.session.get(Membership, membership_id)
    return found if found is not None and found.user_id == user_id else None


def leave(membership: Membership) -> None:
    db.session.delete(membership)  # shown modules go with it (ON DELETE CASCADE)
    db.session.commit()


def shown_modules(membership_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = list(membership_ids)
    if not ids:
        return set()
    rows = db.session.execute(select(ModuleShow.membership_id, ModuleShow.module_slug)
                              .where(ModuleShow.membership_id.in_(ids)))
    return {(membership_id, slug) for membership_id, slug in rows}


def set_shown(membership: Membership, module_slug: str, shown: bool) -> None:
    existing = db.session.execute(
        select(ModuleShow).where(ModuleShow.membership_id == membership.id,
                                 ModuleShow.module_slug == module_slug)
    ).scalar_one_or_none()
    if shown and existing is None:
        db.session.add(ModuleShow(membership_id=membership.id, module_slug=module_slug))
    elif not shown and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def progress_rows(user_ids: Iterable[int], slugs: Iterable[str]) -> dict[tuple[int, str],
                                                                         ModuleProgress]:
    """Progress of many people on many modules in one query: counts and dates only."""
    users, modules = list(user_ids), list(slugs)
    if not users or not modules:
        return {}
    rows = db.session.execute(select(ModuleProgress).where(
        ModuleProgress.user_id.in_(users), ModuleProgress.module_slug.in_(modules))).scalars()
    return {(row.user_id, row.module_slug): row for row in rows}


def today() -> dt.date:
    return uk_today()
