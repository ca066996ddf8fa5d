"""Running the reminder scheduler through time, and reading what each person received."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from email.message import EmailMessage

import time_machine
from sqlalchemy import select

from careers_app.clock import UK
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.reminders.models import ReminderOptOut

STEP = dt.timedelta(minutes=15)
UTC = dt.UTC


def uk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A UK wall-clock time as an aware datetime (never one a clock change skips)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=UK)


def walk(app, start: dt.datetime, run: Callable[[dt.datetime], object],
         hours: int = 48) -> list[tuple[dt.datetime, EmailMessage]]:
    """Call ``run(now)`` every 15 minutes for ``hours`` from ``start``, as the periodic
    task does; every email sent, with the UTC instant of the run that wrote it."""
    found: list[tuple[dt.datetime, EmailMessage]] = []
    end = start + dt.timedelta(hours=hours)
    with time_machine.travel(start, tick=False) as traveller:
        moment = start
        while moment < end:
            traveller.move_to(moment)
            with app.app_context():
                before = len(outbox())
                run(utcnow())
                found += [(moment.astimezone(UTC), message) for message in outbox()[before:]]
            moment += STEP
    return found


def by_recipient(sent: list[tuple[dt.datetime, EmailMessage]]
                 ) -> dict[str, list[tuple[dt.datetime, EmailMessage]]]:
    grouped: dict[str, list[tuple[dt.datetime, EmailMessage]]] = {}
    for moment, message in sent:
        grouped.setdefault(message["To"], []).append((moment, message))
    return grouped


def body(message: EmailMessage) -> str:
    """The text as its recipient reads it."""
    return message.get_body(preferencelist=("plain",)).get_content()


def unsubscribe_link(text: str) -> str:
    """The path of the unsubscribe link at the end of a reminder."""
    (link,) = re.findall(r"^https://careers\.test(/reminders/unsubscribe/\S+)$", text,
                         re.MULTILINE)
    return link


def opt_out(app, user_id: int, kind: str) -> None:
    with app.app_context():
        db.session.add(ReminderOptOut(user_id=user_id, kind=kind))
        db.session.commit()


def opt_outs(app) -> set[tuple[int, str]]:
    with app.app_context():
        return {(row.user_id, row.kind) for row in db.session.execute(
            select(ReminderOptOut)).scalars()}


def run_twice_at_once(app, reminders, now: dt.datetime, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """``reminders.run(now)`` in two threads that both find what is due before either
    writes (as two workers at the same moment would); what each run wrote."""
    both_looked = threading.Barrier(2, timeout=10)
    real_due = reminders.due

    def due_then_wait(*args):  # type: ignore[no-untyped-def]
        found = real_due(*args)
        both_looked.wait()
        return found

    monkeypatch.setattr(reminders, "due", due_then_wait)
    written: list[int] = []

    def worker() -> None:
        with app.app_context():
            written.append(reminders.run(now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return written
