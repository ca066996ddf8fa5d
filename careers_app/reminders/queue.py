"""Coordinators: applications waiting 10 days without a coach, and past the reply target.

Each application is announced once per threshold (its mark), and every coordinator who
has not opted out gets one email listing what this run found, not one per application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from careers_app.accounts.models import User, UserRole
from careers_app.clock import in_uk
from careers_app.coaching import rules, service
from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.reminders.kinds import Kind
from careers_app.reminders.models import ReminderMark
from careers_app.reminders.preferences import opted_out_ids
from careers_app.reminders.schedule import in_words, is_sending_time, reminder_body, write_once
from careers_app.security import Role

Threshold = Literal["waiting", "overdue"]


@dataclass(frozen=True)
class QueueAlert:
    application: CoachingApplication
    threshold: Threshold  # the highest one newly crossed
    days: int
    marks: tuple[str, ...]  # every threshold crossed and not yet announced


def mark_key(application_id: int, threshold: Threshold) -> str:
    return f"queue:{application_id}:{threshold}"


def crossed(submitted_at: dt.datetime, now: dt.datetime) -> list[Threshold]:
    """The thresholds an application waiting since ``submitted_at`` has passed (UK days)."""
    found: list[Threshold] = []
    if rules.days_waiting(submitted_at, now) >= rules.UNALLOCATED_ALERT_DAYS:
        found.append("waiting")
    if rules.is_overdue(submitted_at, now):
        found.append("overdue")
    return found


def due(now: dt.datetime) -> list[QueueAlert]:
    """Applications still waiting for a coach that crossed a threshold not yet announced,
    from 08:00 (UK); the days count UK dates, as the queue page does."""
    if not is_sending_time(now):
        return []
    waiting = [(a, crossed(a.submitted_at, now)) for a in service.queue() if a.submitted_at]
    keys = [mark_key(a.id, t) for a, thresholds in waiting for t in thresholds]
    announced = set(db.session.execute(
        select(ReminderMark.key).where(ReminderMark.key.in_(keys))).scalars()) if keys else set()
    alerts = []
    for application, thresholds in waiting:
        new = [t for t in thresholds if mark_key(application.id, t) not in announced]
        if new:
            alerts.append(QueueAlert(application, new[-1],
                                     rules.days_waiting(application.submitted_at, now),
                                     tuple(mark_key(application.id, t) for t in new)))
    return alerts


def coordinators() -> list[User]:
    found = list(db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.COORDINATOR.value).order_by(User.id)).scalars())
    stopped = opted_out_ids(Kind.QUEUE, [user.id for user in found])
    return [user for user in found if user.id not in stopped]


def send(alerts: list[QueueAlert]) -> int:
    """Mark every alert and email each coordinator once, in one transaction; the number
    of emails written (0 when another run announced any of them first)."""
    if not alerts:
        return 0
    marks = sorted(key for alert in alerts for key in alert.marks)
    batch = hashlib.sha256("\n".join(marks).encode()).hexdigest()[:16]
    people = coordinators()

    def write() -> None:
        listed: dict[Threshold, list[dict[str, object]]] = {"overdue": [], "waiting": []}
        for alert in alerts:
            listed[alert.threshold].append({
                "name": alert.application.applicant.full_name,
                "sent": in_words(in_uk(alert.application.submitted_at).date()),
                "days": alert.days,
                "link": external_url("coaching.review", application_id=alert.application.id)})
        count = len(alerts)
        for person in people:
            body = reminder_body(
                "email/reminder_queue.txt", person.id, Kind.QUEUE, person=person,
                overdue=listed["overdue"], waiting=listed["waiting"],
                reply_days=rules.REPLY_WITHIN_DAYS, alert_days=rules.UNALLOCATED_ALERT_DAYS,
                link=external_url("coaching.queue"))
            send_email(person.email,
                       f"Coaching queue: {count} application{'s' if count != 1 else ''} "
                       "waiting for a reply", body, key=f"reminder:queue:{person.id}:{batch}")
        for key in marks:
            db.session.add(ReminderMark(key=key))

    return len(people) if write_once(write) else 0


def run(now: dt.datetime) -> int:
    return send(due(now))
