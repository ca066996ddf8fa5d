"""Workshop members: a module their workshop assigned is due in 3 days and not finished."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from careers_app.clock import in_uk
from careers_app.coaching.rules import MODULE_REMINDER_DAYS
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.reminders.kinds import Kind
from careers_app.reminders.preferences import opted_out_ids
from careers_app.reminders.schedule import (
    already_written,
    in_words,
    is_sending_time,
    reminder_body,
    write_once,
)
from careers_app.workshops import service
from careers_app.workshops.models import Membership, ReminderDay, Workshop


@dataclass(frozen=True)
class ModuleReminder:
    membership: Membership
    assignment_id: int
    module_slug: str
    title: str
    due_on: dt.date
    key: str


def outbox_key(assignment_id: int, user_id: int, due_on: dt.date) -> str:
    # The due date is part of it: an assignment moved to a later date is reminded again.
    return f"reminder:module:{assignment_id}:{user_id}:{due_on.isoformat()}"


def due(now: dt.datetime, registry: ModuleRegistry) -> list[ModuleReminder]:
    """Reminders due now: from 08:00 (UK) 3 days before the due date, and on the days
    after it until the due date for any not yet written (a worker that was down, a
    module assigned late)."""
    if not is_sending_time(now):
        return []
    today = in_uk(now).date()
    workshops = {w.id: w for w in db.session.execute(
        select(Workshop).where(Workshop.archived_at.is_(None))).scalars()}
    soon = []
    for assignment in service.assignments_of(workshops):
        due_on = service.due_date(assignment, workshops[assignment.workshop_id])
        module = registry.get(assignment.module_slug)
        if module is not None and today < due_on <= today + dt.timedelta(
                days=MODULE_REMINDER_DAYS):
            soon.append((assignment, module.title, due_on))
    if not soon:
        return []
    # A facilitator's own reminder to the workshop today: the scheduled one waits a day.
    reminded_today = set(db.session.execute(select(ReminderDay.workshop_id).where(
        ReminderDay.workshop_id.in_({a.workshop_id for a, _, _ in soon}),
        ReminderDay.sent_on == today)).scalars())
    members: dict[int, list[Membership]] = {}
    for membership in db.session.execute(select(Membership).where(
            Membership.workshop_id.in_({a.workshop_id for a, _, _ in soon}))).scalars():
        members.setdefault(membership.workshop_id, []).append(membership)
    user_ids = {m.user_id for group in members.values() for m in group}
    stopped = opted_out_ids(Kind.MODULE_DUE, user_ids)
    progress = service.progress_rows(user_ids, {a.module_slug for a, _, _ in soon})
    found = []
    for assignment, title, due_on in soon:
        if assignment.workshop_id in reminded_today:
            continue
        for membership in members.get(assignment.workshop_id, []):
            done = progress.get((membership.user_id, assignment.module_slug))
            if membership.user_id in stopped or (done is not None and done.completed_at):
                continue
            found.append(ModuleReminder(
                membership, assignment.id, assignment.module_slug, title, due_on,
                outbox_key(assignment.id, membership.user_id, due_on)))
    written = already_written([reminder.key for reminder in found])
    return [reminder for reminder in found if reminder.key not in written]


def send(reminder: ModuleReminder, today: dt.date) -> bool:
    def write() -> None:
        member, workshop = reminder.membership.member, reminder.membership.workshop
        days = (reminder.due_on - today).days
        body = reminder_body(
            "email/reminder_module.txt", member.id, Kind.MODULE_DUE, person=member,
            workshop=workshop, title=reminder.title, due=in_words(reminder.due_on),
            days=days, link=external_url("worksheets.resume", slug=reminder.module_slug))
        send_email(member.email,
                   f"Reminder: {reminder.title} is due on {in_words(reminder.due_on)}",
                   body, key=reminder.key)

    return write_once(write)


def run(now: dt.datetime, registry: ModuleRegistry) -> int:
    today = in_uk(now).date()
    return sum(send(reminder, today) for reminder in due(now, registry))
