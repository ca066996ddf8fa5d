"""The worker's periodic jobs: registered, every 15 minutes, and each runs its reminder."""

from __future__ import annotations

import datetime as dt

import time_machine

from careers_app.extensions import db
from careers_app.jobs import huey
from careers_app.mail import outbox
from careers_app.plans.models import PlanAction
from careers_app.reminders import tasks

JOBS = {"remind_plan_actions", "remind_modules_due", "remind_appointments",
        "remind_coaching_queue"}


def due_jobs(moment: dt.datetime) -> set[str]:
    """The periodic jobs a worker starts at ``moment`` (huey's clock is naive UTC)."""
    return {task.name for task in huey.read_periodic(moment)} & JOBS


def test_every_reminder_job_runs_every_quarter_hour(app):
    assert due_jobs(dt.datetime(2026, 10, 25, 8, 0)) == JOBS
    assert due_jobs(dt.datetime(2026, 10, 25, 8, 45)) == JOBS
    assert due_jobs(dt.datetime(2026, 10, 25, 8, 5)) == set()


def test_the_jobs_write_what_is_due_and_nothing_else(app, make_user):
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    with app.app_context():
        db.session.add(PlanAction(user_id=trainee.id, text="Book a taster week",
                                  target_date=dt.date(2026, 10, 30)))
        db.session.commit()
    with time_machine.travel(dt.datetime(2026, 11, 2, 8, 15, tzinfo=dt.UTC), tick=False):
        with app.app_context():
            for job in (tasks.remind_plan_actions, tasks.remind_modules_due,
                        tasks.remind_appointments, tasks.remind_coaching_queue):
                job.call_local()
                job.call_local()  # a second worker, or the next run: nothing more
            sent = [(message["To"], message["Subject"]) for message in outbox()]
    assert sent == [("t@example.org",
                     "Your career action plan: 1 action to look at this week")]
