"""The PDF jobs, and the hook that makes a changed plan's PDF a little after the change.

Debouncing: the first change of a burst (a worksheet save feeding the plan, an edit of
the summary or an action) schedules one job ``PDF_PRERENDER_DELAY`` seconds later and
sets a flag in the queue's storage; later changes only note their time. When the job
runs and the last change is less than the delay ago, it comes back when the plan has
been quiet that long. The request does two small writes to the queue's storage and
nothing else: the job reads the plan and works out its hash.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from huey.constants import EmptyData

from careers_app.content.schema import Module, Step
from careers_app.jobs import huey, job_context
from careers_app.pdf_child import start_forkserver
from careers_app.plans import rendering
from careers_app.plans.service import feeds_the_plan
from careers_app.worksheets.events import answers_saved

logger = logging.getLogger(__name__)


@huey.task()
def render_plan_job(user_id: int, appendix: bool = False, standard_print: bool = False
                    ) -> None:
    with job_context() as app:
        delay = rendering.make_live_plan_pdf(user_id, app.extensions["modules"], appendix,
                                             standard_print)
    if delay is not None:
        render_plan_job.schedule(args=(user_id, appendix, standard_print), delay=delay)


@huey.task()
def render_snapshot_job(snapshot_id: int) -> None:
    with job_context():
        delay = rendering.make_snapshot_pdf(snapshot_id)
    if delay is not None:
        render_snapshot_job.schedule(args=(snapshot_id,), delay=delay)


def _waiting_key(user_id: int) -> str:
    return f"careers:pdf-prerender-waiting:{user_id}"


def _changed_key(user_id: int) -> str:
    return f"careers:pdf-plan-changed:{user_id}"


@huey.task()
def prerender_plan_job(user_id: int) -> None:
    """Make the plan's PDF once it has been quiet for the delay (skipped if made)."""
    with job_context() as app:
        delay = float(app.config["PDF_PRERENDER_DELAY"])
        raw = huey.storage.peek_data(_changed_key(user_id))
        quiet = time.time() - float(raw) if isinstance(raw, bytes) else delay
        if quiet < delay:
            prerender_plan_job.schedule(args=(user_id,), delay=delay - quiet)
            return
        # From here a change schedules a job of its own. The flag goes before the plan is
        # read, so a change this job does not see always has a job after it.
        huey.storage.delete_data(_waiting_key(user_id))
        retry = rendering.make_live_plan_pdf(user_id, app.extensions["modules"])
    if retry is not None:
        render_plan_job.schedule(args=(user_id,), delay=retry)


def render_soon(user_id: int, delay: float) -> None:
    """After a committed change to the plan's content: make its PDF once it is quiet."""
    now = str(time.time()).encode()
    try:
        huey.storage.put_data(_changed_key(user_id), now)
        if huey.storage.put_if_empty(_waiting_key(user_id), now):
            prerender_plan_job.schedule(args=(user_id,), delay=delay)
    except Exception as exc:  # noqa: BLE001 (the change is saved; a download renders it)
        logger.warning("pdf pre-render not scheduled: user id %s, %s", user_id,
                       type(exc).__name__)
        try:
            huey.storage.delete_data(_waiting_key(user_id))
        except Exception:  # noqa: BLE001, S110 (the queue is down: nothing to undo)
            pass


def waiting_for_prerender(user_id: int) -> bool:
    return huey.storage.peek_data(_waiting_key(user_id)) is not EmptyData


@answers_saved.connect
def _answers_saved(module: Module, user_id: int, step: Step, **_: Any) -> None:
    from flask import current_app

    if feeds_the_plan(user_id, module, step):
        render_soon(user_id, float(current_app.config["PDF_PRERENDER_DELAY"]))


@huey.on_startup()
def start_renderers() -> None:
    """A worker starts the renderers' forkserver at once, not at its first render."""
    start_forkserver()
