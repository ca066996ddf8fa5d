"""`flask --app careers_app jobs worker`: one huey consumer for this application."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from careers_app.jobs import bind_worker, huey

jobs_cli = AppGroup("jobs", help="The job queue.")


@jobs_cli.command("worker")
@click.option("--workers", default=1, show_default=True, help="Threads running jobs.")
def worker(workers: int) -> None:
    """Run jobs until stopped (SIGINT or SIGTERM: the job in hand is finished first)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["QUEUE_IMMEDIATE"]:
        raise click.ClickException("QUEUE_IMMEDIATE is on: jobs run where they are enqueued, "
                                   "so a worker would have nothing to do.")
    bind_worker(app)
    logging.getLogger("huey").setLevel(logging.INFO)
    # Poll an idle SQLite queue at most a second apart (Redis blocks instead), and look
    # at the schedule (retries) every second.
    consumer = huey.create_consumer(workers=workers, worker_type="thread", max_delay=1.0,
                                    scheduler_interval=1, check_worker_health=True)
    consumer.run()
