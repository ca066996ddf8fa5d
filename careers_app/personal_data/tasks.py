"""The export's jobs: building one, and deleting the ZIPs past their 7 days."""

from __future__ import annotations

from huey import crontab

from careers_app.db import utcnow
from careers_app.jobs import huey, job_context
from careers_app.personal_data import service


@huey.task()
def build_export_job(export_id: int) -> None:
    with job_context() as app:
        service.build_export(export_id, app.extensions["modules"])


@huey.periodic_task(crontab(minute="7"))
def delete_expired_exports() -> None:
    """Hourly: a ZIP is deleted within the hour after its time is up (downloads are
    refused from that very moment)."""
    with job_context():
        service.delete_expired(utcnow())
