"""A person's audit log as lines they can read, one page at a time.

A page costs a fixed number of queries whatever is on it: the count, the events with
who did each (joined), and one query per kind of target whose name the words need.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from careers_app.accounts.models import User
from careers_app.activity.words import UNKNOWN, WORDS
from careers_app.audit import AuditEvent
from careers_app.clock import in_uk
from careers_app.coaching.models import Appointment
from careers_app.extensions import db
from careers_app.plans.models import PlanShare
from careers_app.workshops.models import Workshop

PAGE_SIZE = 25
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    who: str
    what: str


def _appointment_time(starts_at: dt.datetime) -> str:
    local = in_uk(starts_at)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def _names(statement: Select[tuple[int, object]],
           show: Callable[[object], str]) -> dict[int, str]:
    return {row[0]: show(row[1]) for row in db.session.execute(statement)}


# target_type -> (placeholder in the words, how to name those targets, what to say if gone)
_TARGETS: dict[str, tuple[str, Callable[[list[int]], dict[int, str]], str]] = {
    "workshop": ("workshop", lambda ids: _names(
        select(Workshop.id, Workshop.title).where(Workshop.id.in_(ids)), str),
        "a workshop since deleted"),
    "appointment": ("appointment", lambda ids: _names(
        select(Appointment.id, Appointment.starts_at).where(Appointment.id.in_(ids)),
        _appointment_time), "an appointment since deleted"),
    "plan_share": ("coach", lambda ids: _names(
        select(PlanShare.id, User.full_name).join(User, User.id == PlanShare.coach_id)
        .where(PlanShare.id.in_(ids)), str), "a coach"),
}


def count_about(subject_id: int) -> int:
    return db.session.execute(
        select(func.count(AuditEvent.id)).where(AuditEvent.subject_id == subject_id)
    ).scalar_one()


def page_about(subject_id: int, page: int) -> list[Line]:
    """One page of what happened to this person's information, newest first."""
    events = list(db.session.execute(
        select(AuditEvent).where(AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).scalars())
    names = _target_names(events)
    return [_line(event, subject_id, names) for event in events]


def _target_names(events: Iterable[AuditEvent]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.target_type in _TARGETS and event.target_id is not None:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    found = {}
    for target_type, ids in wanted.items():
        for target_id, name in _TARGETS[target_type][1](sorted(ids)).items():
            found[(target_type, target_id)] = name
    return found


def _line(event: AuditEvent, subject_id: int, names: dict[tuple[str, int], str]) -> Line:
    words = WORDS.get(event.action)
    if words is None:
        log.warning("audit action without words: %s", event.action)
        words = UNKNOWN
    what = words.what
    if event.target_type in _TARGETS:
        placeholder, _load, gone = _TARGETS[event.target_type]
        name = names.get((event.target_type, event.target_id or 0), gone)
        what = what.replace("{" + placeholder + "}", name)
    return Line(event.at, _who(event, subject_id, words.role), what[0].upper() + what[1:])


def _who(event: AuditEvent, subject_id: int, role: str | None) -> str:
    if event.actor_id == subject_id:
        return "You"
    if event.actor is None:
        return "Someone whose account has since been deleted"
    return f"{event.actor.full_name} ({role})" if role else event.actor.full_name
