"""When reminders go, in UK local time, and the shared steps of writing one.

The periodic tasks run every 15 minutes (huey's crontab is in UTC); each run asks these
functions what is due *now* in UK time. A reminder becomes due at a UK wall-clock time
and stays due for the rest of that UK day (or window), and the outbox key or mark of
each one is unique: so a missed run, a restart, two workers at once or a clock change
neither repeats a reminder nor loses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from careers_app.clock import in_uk
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.outbox.models import OutboxEmail
from careers_app.reminders.kinds import Kind
from careers_app.reminders.tokens import unsubscribe_url

SEND_AT = dt.time(8, 0)  # UK local time: the start of a working day
WEEKLY_DIGEST_DAY = 0  # Monday (date.weekday())


def is_sending_time(now: dt.datetime) -> bool:
    """Reminders go from SEND_AT (UK time) until the end of the UK day."""
    return in_uk(now).time() >= SEND_AT


def in_words(day: dt.date) -> str:
    """"Thursday 29 October 2026", as a person reads a date."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def already_written(keys: list[str]) -> set[str]:
    """Which of these outbox keys are in the outbox (one query)."""
    if not keys:
        return set()
    return set(db.session.execute(
        select(OutboxEmail.key).where(OutboxEmail.key.in_(keys))).scalars())


def reminder_body(template: str, user_id: int, kind: Kind, **context: object) -> str:
    """An email ending with its own unsubscribe link and the way to choose on the profile."""
    return render_template(template, unsubscribe=unsubscribe_url(user_id, kind),
                           profile=external_url("accounts.profile"), **context)


def write_once(write: Callable[[], object]) -> bool:
    """Run ``write`` (which adds the reminder's emails and marks) and commit; True when an
    email was written now. False, and nothing kept, when another run wrote the same key
    first: the unique keys decide, not an earlier check. Nothing is flushed before the
    commit, so a clash comes there."""
    try:
        with db.session.no_autoflush:
            write()
            # send_email adds nothing for a key already in the outbox.
            wrote = any(isinstance(row, OutboxEmail) for row in db.session.new)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return wrote
