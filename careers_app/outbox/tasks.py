"""The outbox's jobs, and the hook that enqueues one after each commit that wrote emails."""

from __future__ import annotations

import logging

from flask_sqlalchemy.session import Session as FlaskSession
from huey import crontab
from sqlalchemy import event

from careers_app.db import utcnow
from careers_app.jobs import huey, job_context
from careers_app.outbox import sending
from careers_app.outbox.models import OutboxEmail

logger = logging.getLogger(__name__)
NEW_EMAILS = "outbox_new_ids"
# A due email that no job has taken this long after it was due is the sweeper's.
SWEEP_AFTER_SECONDS = 60


@huey.task()
def send_email_job(email_id: int) -> None:
    with job_context() as app:
        delay = sending.send_one(email_id, app.config)
    if delay is not None:
        # A little after it is due, so the lease or retry time has surely passed.
        send_email_job.schedule(args=(email_id,), delay=delay + 0.1)


@huey.periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Once a minute: send what was written but never enqueued, or whose job was lost."""
    with job_context():
        found = sending.unsent(SWEEP_AFTER_SECONDS)
    for email_id, _due in found:
        send_email_job(email_id)


@huey.on_startup()
def sweep_on_start() -> None:
    """A worker that starts takes up every unsent email, each at the time it is due (a
    claim left by a worker that died is due when its lease runs out)."""
    with job_context():
        found = sending.unsent(0)
    now = utcnow()
    for email_id, due in found:
        if due <= now:
            send_email_job(email_id)
        else:
            send_email_job.schedule(args=(email_id,),
                                    delay=(due - now).total_seconds() + 0.1)


# -- enqueue after commit -----------------------------------------------------------------

@event.listens_for(FlaskSession, "after_flush")
def _note_new_emails(session: FlaskSession, _context: object) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxEmail)]
    if ids:
        session.info.setdefault(NEW_EMAILS, []).extend(ids)


@event.listens_for(FlaskSession, "after_rollback")
def _forget_new_emails(session: FlaskSession) -> None:
    session.info.pop(NEW_EMAILS, None)


@event.listens_for(FlaskSession, "after_commit")
def _enqueue_new_emails(session: FlaskSession) -> None:
    for email_id in session.info.pop(NEW_EMAILS, []):
        try:
            send_email_job(email_id)
        except Exception as exc:  # noqa: BLE001 (the change is saved; the sweeper sends it)
            logger.warning("email not enqueued: outbox id %s, %s; the sweeper will send it",
                           email_id, type(exc).__name__)
