"""Builders for workshop tests: workshops, members and answers full of marker strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.content.schema import FieldSpec
from careers_app.extensions import db
from careers_app.worksheets.service import complete_module, save_step
from careers_app.workshops.models import Membership, Workshop

SCAN1 = "scan-1-self-awareness"
SCAN2 = "scan-2-career-exploration"


def workshop_form(title="Career planning with SCAN", day=None, time="18:30", **extra):
    day = day or dt.date.today() + dt.timedelta(days=30)
    return {"title": title, "day--day": str(day.day), "day--month": str(day.month),
            "day--year": str(day.year), "time": time, "format": "online",
            "description": extra.get("description", "Bring your SCAN 1 answers")}


def assign_form(slug, kind="relative", days="7", direction="before", due=None):
    form = {"assign-module": slug, "assign-due_kind": kind, "assign-days": days,
            "assign-direction": direction}
    if due:
        form.update({"assign-due_on--day": str(due.day), "assign-due_on--month": str(due.month),
                     "assign-due_on--year": str(due.year)})
    return form


def the_workshop(app) -> Workshop:
    with app.app_context():
        found = db.session.execute(select(Workshop).order_by(Workshop.id.desc())).scalars().first()
        db.session.expunge(found)
        return found


def add_members(app, workshop_id: int, count: int, start: int = 0) -> list[int]:
    """Accounts joined straight to the workshop (no password hashing: fast for hundreds)."""
    with app.app_context():
        users = [User(email=f"member{n}@example.org", full_name=f"Member {n:03d}",
                      password_hash="not-a-hash", professional_group="doctor_dentist",
                      region="london", training_stage="core")
                 for n in range(start, start + count)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(Membership(workshop_id=workshop_id, user_id=u.id) for u in users)
        db.session.commit()
        return [u.id for u in users]


def marked_value(spec: FieldSpec, marker: str) -> Any:
    """An acceptable answer to ``spec`` in which every piece of free text is ``marker``
    (the first) or starts with it."""
    return spec.kind.sample(spec, lambda limit, n: marker if n == 0 else f"{marker}-{n}",
                            dt.date(2026, 11, 1))


def write_markers(app, user_id: int, slug: str, marker: str, complete: bool = True) -> None:
    with app.app_context():
        module = app.extensions["modules"].get(slug)
        for step in module.steps:
            answers = {spec.id: marked_value(spec, marker) for spec in step.fields}
            outcome = save_step(user_id, module, step, answers, 0, confirm=True)
            assert outcome.status == "saved", (step.id, outcome.errors)
        if complete:
            assert complete_module(user_id, module)

