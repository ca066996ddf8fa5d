"""Sending one outbox email at most once, whatever the workers do.

A worker first claims the row with a conditional UPDATE (pending and due, or claimed by
a worker whose lease has run out): of two workers given the same email, one claims it
and the other does nothing. It then hands the stored bytes to SMTP and marks the row
sent. A worker that dies before the server accepted the message leaves a claimed row
whose lease runs out; the next worker sends it again, and the server never delivered
the first, unfinished transaction, so the person gets it once.

The one window left: the server accepts the message (250 after DATA) and the worker
dies in the milliseconds before its UPDATE commits. That email is sent again when the
lease runs out; it carries the same Message-ID, so a mail client can fold the two.
Closing the window would mean never resending a claimed email, which loses mail every
time a worker dies mid-send: a rare duplicate is the lesser harm.

These functions use their own connections, never the request's session: in immediate
mode they run from that session's after-commit hook.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.mail import build_message, deliver
from careers_app.outbox.models import EmailStatus as S
from careers_app.outbox.models import OutboxEmail

logger = logging.getLogger(__name__)


def _claim(email_id: int, config: dict[str, Any]) -> bool:
    now = utcnow()
    with db.engine.begin() as conn:
        result = conn.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == email_id, or_(
                and_(OutboxEmail.status == S.PENDING, OutboxEmail.next_attempt_at <= now),
                and_(OutboxEmail.status == S.SENDING, OutboxEmail.lease_until < now)))
            .values(status=S.SENDING, attempts=OutboxEmail.attempts + 1,
                    lease_until=now + dt.timedelta(seconds=config["MAIL_SEND_LEASE"])))
    return result.rowcount == 1


def error_kind(exc: BaseException) -> str:
    """What went wrong, without the server's words: they can quote the address."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({value[0] for value in exc.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(str(c) for c in codes)}"
    return f"{type(exc).__name__} {code}" if isinstance(code, int) else type(exc).__name__


def retry_delay(attempts: int, config: dict[str, Any]) -> float:
    """Seconds before the next attempt after ``attempts`` failed ones: doubling each time."""
    return float(config["MAIL_RETRY_DELAY"]) * 2 ** (attempts - 1)


def send_one(email_id: int, config: dict[str, Any]) -> float | None:
    """Send the email if this worker claims it. Returns the seconds until it should be
    tried again (the attempt failed and another is allowed, or it could not be claimed
    yet), else None."""
    if not _claim(email_id, config):
        # Taken by another worker, or not yet due (a job can run a little early): the
        # job comes back when it is due, so nothing waits for the minute's sweep.
        return seconds_until_due(email_id)
    with Session(db.engine) as session:
        email = session.get(OutboxEmail, email_id)
        if email is None:
            return None
        message, attempts = build_message(email, config), email.attempts
    try:
        deliver(message, config)
    except Exception as exc:  # noqa: BLE001 (any failure is recorded and retried)
        return _failed(email_id, attempts, error_kind(exc), config)
    with db.engine.begin() as conn:
        conn.execute(update(OutboxEmail)
                     .where(OutboxEmail.id == email_id, OutboxEmail.status == S.SENDING)
                     .values(status=S.SENT, sent_at=utcnow(), lease_until=None))
    logger.info("email sent: outbox id %s, attempt %s", email_id, attempts)
    return None


def _failed(email_id: int, attempts: int, kind: str, config: dict[str, Any]) -> float | None:
    parked = attempts >= config["MAIL_MAX_ATTEMPTS"]
    delay = None if parked else retry_delay(attempts, config)
    values: dict[str, Any] = {"last_error": kind[:120], "lease_until": None,
                              "status": S.FAILED if parked else S.PENDING}
    if delay is not None:
        values["next_attempt_at"] = utcnow() + dt.timedelta(seconds=delay)
    with db.engine.begin() as conn:
        conn.execute(update(OutboxEmail)
                     .where(OutboxEmail.id == email_id, OutboxEmail.status == S.SENDING)
                     .values(**values))
    # Ids and the error's kind only: never the address, subject or body.
    logger.warning("email not sent: outbox id %s, attempt %s, %s%s", email_id, attempts,
                   kind, "; parked" if parked else f"; next attempt in {delay:g} s")
    return delay


def unsent(overdue_by: float) -> list[tuple[int, dt.datetime]]:
    """Unsent emails (id, when due) that no job has taken ``overdue_by`` seconds after
    they were due: lost enqueues, retries whose job was lost, leases of dead workers."""
    limit = utcnow() - dt.timedelta(seconds=overdue_by)
    with Session(db.engine) as session:
        rows = session.execute(
            select(OutboxEmail.id, OutboxEmail.status, OutboxEmail.next_attempt_at,
                   OutboxEmail.lease_until)
            .where(OutboxEmail.status.in_((S.PENDING, S.SENDING)))
            .order_by(OutboxEmail.id).limit(500)).all()
    due = [(row.id, row.lease_until if row.status == S.SENDING and row.lease_until
            else row.next_attempt_at) for row in rows]
    return [(email_id, when) for email_id, when in due if overdue_by == 0 or when <= limit]


def seconds_until_due(email_id: int) -> float | None:
    """For an email this worker could not claim: how long until it can be claimed (a
    retry not yet due, another worker's lease), or None when it is sent or parked."""
    with Session(db.engine) as session:
        email = session.get(OutboxEmail, email_id)
        if email is None or email.status in (S.SENT, S.FAILED):
            return None
        due = email.lease_until if email.status == S.SENDING and email.lease_until \
            else email.next_attempt_at
    return max((due - utcnow()).total_seconds(), 0.0)


def parked() -> list[OutboxEmail]:
    """Emails that used every attempt, newest first, for the coordinators' page."""
    return list(db.session.execute(
        select(OutboxEmail).where(OutboxEmail.status == S.FAILED)
        .order_by(OutboxEmail.created_at.desc()).limit(200)).scalars())
