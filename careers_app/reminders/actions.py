"""The trainee's Monday digest: their plan's unfinished actions overdue or due that week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, exists, literal, select

from careers_app.accounts.models import User
from careers_app.clock import in_uk
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.plans.service import DueAction, due_actions
from careers_app.reminders.kinds import Kind
from careers_app.reminders.models import ReminderMark, ReminderOptOut
from careers_app.reminders.schedule import (
    WEEKLY_DIGEST_DAY,
    in_words,
    is_sending_time,
    reminder_body,
    write_once,
)

HORIZON_DAYS = 7
# People looked at per run: each needs their answers read, and the next run (15 minutes
# later) carries on with the rest, so a run stays short however many trainees there are.
BATCH = 300
MARKS_KEPT_WEEKS = 5


@dataclass(frozen=True)
class Digest:
    user: User
    week: str
    actions: list[DueAction]


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def mark_key(user_id: int, week: str) -> str:
    return f"actions:{user_id}:{week}"


def waiting(now: dt.datetime) -> list[User]:
    """Trainees whose digest for this week is due and not yet decided (Monday from 08:00)."""
    local = in_uk(now)
    if local.weekday() != WEEKLY_DIGEST_DAY or not is_sending_time(now):
        return []
    week = iso_week(local.date())
    decided = exists().where(ReminderMark.key == literal("actions:")
                             + cast(User.id, String) + literal(f":{week}"))
    stopped = exists().where(ReminderOptOut.user_id == User.id,
                             ReminderOptOut.kind == Kind.ACTIONS.value)
    return list(db.session.execute(
        select(User).where(~decided, ~stopped).order_by(User.id).limit(BATCH)).scalars())


def actions_for(user: User, registry: ModuleRegistry, today: dt.date) -> list[DueAction]:
    """Unfinished actions overdue or due within the next 7 days (the dashboard's list,
    worksheet rows and plan actions merged, cut to a week)."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    return [action for action in due_actions(user, registry, today) if action.target <= horizon]


def due(now: dt.datetime, registry: ModuleRegistry) -> list[Digest]:
    """Every digest this run should decide: those with nothing in them are decided too."""
    today = in_uk(now).date()
    week = iso_week(today)
    return [Digest(user, week, actions_for(user, registry, today)) for user in waiting(now)]


def send(digest: Digest) -> bool:
    """Write the digest (if anything is due) and its mark together; True if an email was
    written now."""
    user, actions = digest.user, digest.actions

    def write() -> None:
        db.session.add(ReminderMark(key=mark_key(user.id, digest.week)))
        if not actions:
            return
        overdue = [action for action in actions if action.overdue]
        coming = [action for action in actions if not action.overdue]
        count = len(actions)
        body = reminder_body(
            "email/reminder_actions.txt", user.id, Kind.ACTIONS, person=user,
            overdue=overdue, coming=coming, in_words=in_words, days=HORIZON_DAYS,
            link=external_url("plans.index"))
        send_email(user.email,
                   f"Your career action plan: {count} action{'s' if count != 1 else ''} "
                   "to look at this week", body,
                   key=f"reminder:actions:{user.id}:{digest.week}")

    return write_once(write)


def forget_old_weeks(now: dt.datetime) -> None:
    """Drop the marks of past weeks' digests: only this week's are ever looked up, and
    there is one per trainee per week."""
    db.session.execute(delete(ReminderMark).where(
        ReminderMark.key.startswith("actions:"),
        ReminderMark.created_at < now - dt.timedelta(weeks=MARKS_KEPT_WEEKS)))
    db.session.commit()


def run(now: dt.datetime, registry: ModuleRegistry) -> int:
    """Decide this run's digests; the number of emails written."""
    digests = due(now, registry)
    if digests:
        forget_old_weeks(now)
    return sum(send(digest) for digest in digests)
