"""The retention job: every hour, warn accounts that have been unused too long and delete
those whose warning has run out (retention.py). Each run does what is due then, so a
missed run is caught up by the next."""

from __future__ import annotations

import logging

from huey import crontab

from careers_app.account_deletion import retention
from careers_app.db import utcnow
from careers_app.jobs import huey, job_context

logger = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="40"))
def apply_retention() -> None:
    with job_context():
        warned, deleted = retention.run(utcnow())
    if warned or deleted:
        logger.info("retention: %s accounts warned, %s deleted", warned, deleted)
