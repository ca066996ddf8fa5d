"""The reminder jobs: every 15 minutes (huey's crontab is UTC), each asks what is due now
in UK time, so the times people see stay right across a clock change."""

from __future__ import annotations

import logging

from huey import crontab

from careers_app.db import utcnow
from careers_app.jobs import huey, job_context
from careers_app.reminders import actions, appointments, modules, queue

logger = logging.getLogger(__name__)
EVERY_15_MINUTES = crontab(minute="*/15")


@huey.periodic_task(EVERY_15_MINUTES)
def remind_plan_actions() -> None:
    with job_context() as app:
        written = actions.run(utcnow(), app.extensions["modules"])
    if written:
        logger.info("reminders written: actions, %s", written)


@huey.periodic_task(EVERY_15_MINUTES)
def remind_modules_due() -> None:
    with job_context() as app:
        written = modules.run(utcnow(), app.extensions["modules"])
    if written:
        logger.info("reminders written: modules due, %s", written)


@huey.periodic_task(EVERY_15_MINUTES)
def remind_appointments() -> None:
    with job_context():
        written = appointments.run(utcnow())
    if written:
        logger.info("reminders written: appointments, %s", written)


@huey.periodic_task(EVERY_15_MINUTES)
def remind_coaching_queue() -> None:
    with job_context():
        written = queue.run(utcnow())
    if written:
        logger.info("reminders written: coaching queue, %s", written)
