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
    """An acceptable answer to ``spec`` in which every piece of free text is ``marker``."""
    kind = spec.type
    if kind in ("short_text", "long_text"):
        return marker
    if kind == "choice":
        return spec.options[0].value
    if kind == "multi_choice":
        return {"selected": [spec.options[0].value] + (["other"] if spec.allow_other else []),
                "other": marker if spec.allow_other else ""}
    if kind == "scale":
        return {s.value: 3 for s in spec.statements}
    if kind == "ranking":
        return [o.value for o in spec.options]
    if kind == "list":
        return [{c.id: f"{marker}-{c.id}" for c in spec.columns}]
    if kind == "action_table":
        return [{"action": marker, "measure": marker, "support": marker,
                 "target": {"day": "1", "month": "6", "year": "2030"}}]
    if kind == "date":
        return {"day": "1", "month": "6", "year": "2030"}
    if kind == "decision_matrix":
        return {"options": [f"{marker}-a", f"{marker}-b"],
                "criteria": [{"label": f"{marker}-c", "weight": 3}], "scores": [[4], [2]]}
    raise ValueError(kind)


def write_markers(app, user_id: int, slug: str, marker: str, complete: bool = True) -> None:
    with app.app_context():
        module = app.extensions["modules"].get(slug)
        for step in module.steps:
            answers = {spec.id: marked_value(spec, marker) for spec in step.fields}
            outcome = save_step(user_id, module, step, answers, 0, confirm=True)
            assert outcome.status == "saved", (step.id, outcome.errors)
        if complete:
            assert complete_module(user_id, module)

