"""Plan PDFs made by a job, never inside a request.

A download finds the PDF ready (a live plan's on the render that made it from content
with the same hash, ``PdfRender.pdf``; a snapshot's own ``pdf``) and gets it at once, or
asks for a render and is sent to a page that follows it. Each render has a row
(``PdfRender``): queued, rendering, ready or failed, with the kind of failure only. The
job renders in a child process with a time and a memory limit (careers_app/pdf_child.py),
so a plan too long to render costs the worker one child and no more.

A changed plan is rendered ahead of any download, a little after the last change
(``render_soon``), so a burst of autosaves gives one render and the download is usually
ready when the person asks. Fresh renders a person asks for are limited per hour in
the shared throttling store; a PDF already made is served without counting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select, update

from careers_app.accounts.models import User
from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.pdf import RenderedPdf
from careers_app.pdf_child import RenderFailed
from careers_app.plans import service
from careers_app.plans.models import PdfRender, PlanSnapshot
from careers_app.plans.models import RenderStatus as S
from careers_app.reading.preferences import DEFAULT as DEFAULT_PREFERENCES
from careers_app.reading.preferences import ReadingPreferences
from careers_app.throttling import Rule, throttle
from careers_app.worksheets.service import insert_for_dialect

log = logging.getLogger(__name__)

# Worth another try: a timeout may have met a busy machine, a crash a passing fault.
# The same content would run out of memory again.
RETRYABLE = frozenset({"timeout", "crashed"})
# Not the content's fault: the next request starts a new render at once.
TRANSIENT = frozenset({"queue"})
# A queued render no worker has taken in this long lost its job (the queue was emptied).
STALE_QUEUED = dt.timedelta(minutes=10)
# A failed render of the same content is tried again when asked after this long.
FAILED_RETRY_AFTER = dt.timedelta(hours=1)
# A render claimed this long after its deadline has lost its worker.
LEASE_MARGIN = dt.timedelta(seconds=30)
# The live plan's PDFs kept per person, newest first: one of each kind a person and their
# coach ask for (the plan, the plan with "Everything I wrote", and each as the standard
# print a coach reads when the owner reads with other settings). Older ones are of a
# plan since changed.
LIVE_PDFS_KEPT = 4


def plan_key(user_id: int, digest: str) -> str:
    return f"plan:{user_id}:{digest}"


def snapshot_key(snapshot_id: int) -> str:
    return f"snapshot:{snapshot_id}"


def fresh_renders_rule() -> Rule:
    return Rule("pdf-render", f"{current_app.config['PDF_RENDERS_PER_HOUR']} per hour")


@dataclass(frozen=True)
class Download:
    """What a download gets: the PDF, else the render to wait for, else a refusal."""

    pdf: bytes | None = None
    render: PdfRender | None = None
    retry_after: int = 0


# -- rows -----------------------------------------------------------------------------

def find_render(key: str) -> PdfRender | None:
    return db.session.execute(select(PdfRender).where(PdfRender.key == key)).scalar_one_or_none()


def _row(key: str, user_id: int, *, digest: str | None = None,
         snapshot_id: int | None = None) -> PdfRender:
    """The render row for ``key``, created queued if absent (two at once make one)."""
    db.session.execute(
        insert_for_dialect(PdfRender)
        .values(key=key, user_id=user_id, snapshot_id=snapshot_id, content_hash=digest,
                status=S.QUEUED, failure="", attempts=0, requested_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    render = find_render(key)
    assert render is not None
    return render


def needs_job(render: PdfRender, now: dt.datetime) -> bool:
    """Whether no job will finish this render: it must be asked for again."""
    seconds = float(current_app.config["PDF_RENDER_SECONDS"])
    if render.status == S.QUEUED:
        return render.requested_at < now - STALE_QUEUED
    if render.status == S.RENDERING:
        lease = dt.timedelta(seconds=seconds) + LEASE_MARGIN
        return render.started_at is None or render.started_at < now - lease
    if render.status == S.FAILED:
        return (render.failure in TRANSIENT or render.finished_at is None
                or render.finished_at < now - FAILED_RETRY_AFTER)
    # Ready, yet its PDF is not kept on it: made before migration 9c4e2a7d1b35 kept PDFs
    # on their renders, or stored since the caller looked (callers look again).
    return True


def _requeue(render: PdfRender) -> None:
    render.status, render.failure, render.attempts = S.QUEUED, "", 0
    render.requested_at, render.started_at, render.finished_at = utcnow(), None, None


def _enqueue(render: PdfRender, job: Any, *arguments: object) -> None:
    """Start the job for a committed queued row; a queue that cannot be reached fails
    the row at once (kind ``queue``), so nobody waits for a job that does not exist."""
    try:
        job(*arguments)
    except Exception as exc:  # noqa: BLE001 (any queue failure is reported the same way)
        db.session.rollback()
        log.warning("pdf render not enqueued: render id %s, %s", render.id,
                    type(exc).__name__)
        db.session.execute(update(PdfRender).where(PdfRender.id == render.id)
                           .values(status=S.FAILED, failure="queue", finished_at=utcnow()))
        db.session.commit()


# -- downloads ------------------------------------------------------------------------

def cached_plan_pdf(user_id: int, digest: str) -> bytes | None:
    return db.session.execute(
        select(PdfRender.pdf).where(PdfRender.key == plan_key(user_id, digest))
    ).scalar_one_or_none()


def _kept(keys: Iterable[str]) -> tuple[Any, ...]:
    """The renders under these keys, once their PDF is made and while it is kept."""
    return PdfRender.key.in_(keys), PdfRender.pdf.is_not(None)


def plan_pdf_is_kept(user_id: int, digest: str) -> bool:
    """Whether the PDF of this content is kept (without reading its bytes)."""
    return db.session.execute(select(PdfRender.id).where(*_kept([plan_key(user_id, digest)]))
                              ).first() is not None


def kept_plan_pages(user_id: int, digests: Iterable[str]) -> dict[str, int]:
    """How many pages the kept PDF of each of these contents has, by digest (those not
    made, or no longer kept, left out), in one query."""
    keys = {plan_key(user_id, digest): digest for digest in digests}
    rows = db.session.execute(select(PdfRender.key, PdfRender.pages).where(*_kept(keys)))
    return {keys[key]: pages for key, pages in rows}


def live_plan_download(owner: User, requester_id: int, registry: ModuleRegistry, *,
                       appendix: bool = False, standard_print: bool = False) -> Download:
    """The live plan's PDF if made for its current content; else its render (asked for
    now if no job is on it, counting against ``requester_id``'s hourly limit).
    ``appendix`` adds "Everything I wrote" (a document, and so a PDF, of its own);
    ``standard_print`` prints it with the standard settings (see service.assemble)."""
    from careers_app.plans.pdf_tasks import render_plan_job

    digest = service.assemble(owner, registry, appendix=appendix,
                              standard_print=standard_print).hash
    cached = cached_plan_pdf(owner.id, digest)
    if cached is not None:
        return Download(pdf=cached)
    key = plan_key(owner.id, digest)
    render = find_render(key)
    if render is not None and render.status == S.READY:
        cached = cached_plan_pdf(owner.id, digest)  # a job stored it since the first look
        if cached is not None:
            return Download(pdf=cached)
    if render is not None and not needs_job(render, utcnow()):
        return Download(render=render)
    reservation = throttle().reserve((fresh_renders_rule(), str(requester_id)))
    if not reservation.allowed:
        db.session.rollback()
        return Download(retry_after=reservation.retry_after)
    render = _row(key, owner.id, digest=digest)
    _requeue(render)
    db.session.commit()
    # In immediate mode (tests, development) the job has run by the time this returns.
    _enqueue(render, render_plan_job, owner.id, appendix, standard_print)
    cached = cached_plan_pdf(owner.id, digest)
    if cached is not None:
        return Download(pdf=cached)
    return Download(render=find_render(key))


def snapshot_download(snapshot: PlanSnapshot) -> Download:
    """A snapshot's PDF, or its render (asked for again if no job is on it)."""
    if snapshot.pdf is not None:
        return Download(pdf=snapshot.pdf)
    key = snapshot_key(snapshot.id)
    render = find_render(key)
    if render is None or needs_job(render, utcnow()):
        render = _row(key, snapshot.user_id, snapshot_id=snapshot.id)
        _requeue(render)
        db.session.commit()
        render_snapshot_soon(snapshot.id, render)
        db.session.refresh(snapshot)
        if snapshot.pdf is not None:
            return Download(pdf=snapshot.pdf)
        render = find_render(key)
    return Download(render=render)


def render_snapshot_soon(snapshot_id: int, render: PdfRender | None = None) -> None:
    """After the commit that took the snapshot: have a job make its PDF."""
    from careers_app.plans.pdf_tasks import render_snapshot_job

    if render is None:
        snapshot = db.session.get(PlanSnapshot, snapshot_id)
        if snapshot is None or snapshot.pdf is not None:
            return
        render = _row(snapshot_key(snapshot_id), snapshot.user_id, snapshot_id=snapshot_id)
        db.session.commit()
    _enqueue(render, render_snapshot_job, snapshot_id)


# -- the jobs' work -------------------------------------------------------------------

def _claim(render_id: int, now: dt.datetime) -> bool:
    """Take the render for this worker: queued, or claimed by a worker long gone."""
    lease = dt.timedelta(seconds=float(current_app.config["PDF_RENDER_SECONDS"])) + LEASE_MARGIN
    claimed = db.session.execute(
        update(PdfRender)
        .where(PdfRender.id == render_id, or_(
            PdfRender.status == S.QUEUED,
            (PdfRender.status == S.RENDERING) & (PdfRender.started_at < now - lease)))
        .values(status=S.RENDERING, attempts=PdfRender.attempts + 1, started_at=now,
                failure="")
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return claimed


def _failed(render_id: int, kind: str) -> float | None:
    """Record the kind of failure; the seconds before another attempt, or None."""
    config = current_app.config
    render = db.session.get(PdfRender, render_id)
    assert render is not None
    again = kind in RETRYABLE and render.attempts < config["PDF_RENDER_ATTEMPTS"]
    render.failure = kind
    render.status = S.QUEUED if again else S.FAILED
    render.finished_at = None if again else utcnow()
    db.session.commit()
    log.warning("pdf render failed: render id %s, %s, attempt %s%s", render_id, kind,
                render.attempts, ", will try again" if again else "")
    return float(config["PDF_RETRY_DELAY"]) if again else None


def _ready(render_id: int, **values: object) -> None:
    db.session.execute(update(PdfRender).where(PdfRender.id == render_id)
                       .values(status=S.READY, failure="", finished_at=utcnow(), **values)
                       .execution_options(synchronize_session=False))


def _keep_newest_live_pdfs(user_id: int) -> None:
    live = (PdfRender.user_id == user_id, PdfRender.snapshot_id.is_(None),
            PdfRender.status == S.READY)
    newest = (select(PdfRender.id).where(*live)
              .order_by(PdfRender.finished_at.desc(), PdfRender.id.desc())
              .limit(LIVE_PDFS_KEPT))
    db.session.execute(delete(PdfRender).where(*live, PdfRender.id.not_in(newest))
                       .execution_options(synchronize_session=False))


def make_live_plan_pdf(user_id: int, registry: ModuleRegistry, appendix: bool = False,
                       standard_print: bool = False) -> float | None:
    """Render the person's live plan unless its current content is already cached.
    Returns the seconds before another attempt, or None when there is nothing to do.
    The PDF is kept on its render, beside the newest few of other kinds (``LIVE_PDFS_KEPT``)."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    plan = service.assemble(user, registry, appendix=appendix, standard_print=standard_print)
    digest = plan.hash
    key = plan_key(user_id, digest)
    if plan_pdf_is_kept(user_id, digest):
        existing = find_render(key)
        if existing is not None and existing.status != S.READY:
            _ready(existing.id)  # asked for again while this job was storing it
        db.session.commit()
        return None
    render = _row(key, user_id, digest=digest)
    if render.status == S.READY:
        if plan_pdf_is_kept(user_id, digest):  # another job stored it since the first look
            db.session.commit()
            return None
        _requeue(render)  # made before its PDF was kept on the row (migration 9c4e2a7d1b35)
    db.session.commit()
    if not _claim(render.id, utcnow()):
        return None  # another worker has it, or it is ready or failed
    try:
        rendered = _render(render.id, plan.document, plan.reading)
    except RenderFailed as failure:
        return _failed(render.id, failure.kind)
    _ready(render.id, pdf=rendered.pdf, pages=rendered.pages)
    _keep_newest_live_pdfs(user_id)
    db.session.commit()
    return None


def make_snapshot_pdf(snapshot_id: int) -> float | None:
    """Render a snapshot's frozen content; the seconds before another attempt, or None."""
    snapshot = db.session.get(PlanSnapshot, snapshot_id)
    if snapshot is None or snapshot.pdf is not None:
        return None
    render = _row(snapshot_key(snapshot_id), snapshot.user_id, snapshot_id=snapshot_id)
    content = snapshot.content
    db.session.commit()
    if not _claim(render.id, utcnow()):
        return None
    try:
        pdf = _render(render.id, content).pdf
    except RenderFailed as failure:
        return _failed(render.id, failure.kind)
    db.session.execute(update(PlanSnapshot).where(PlanSnapshot.id == snapshot_id)
                       .values(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())
                       .execution_options(synchronize_session=False))
    _ready(render.id)
    db.session.commit()
    return None


def _render(render_id: int, document: dict[str, Any],
            reading: ReadingPreferences = DEFAULT_PREFERENCES) -> RenderedPdf:
    """The PDF, with no transaction open while the child works (no lock is held).
    Snapshots are printed with the standard settings: they are the record a coach reads."""
    db.session.commit()
    started = time.monotonic()
    rendered = service.render_plan_pdf(document, reading)
    log.info("pdf rendered: render id %s, %.2f s, %d pages, %d bytes", render_id,
             time.monotonic() - started, rendered.pages, len(rendered.pdf))
    return rendered


# -- coordinators ---------------------------------------------------------------------

def failed_renders() -> list[tuple[PdfRender, User]]:
    """Renders that used every attempt, newest first, with whose plan each was."""
    return [(render, user) for render, user in db.session.execute(
        select(PdfRender, User).join(User, User.id == PdfRender.user_id)
        .where(PdfRender.status == S.FAILED).order_by(PdfRender.finished_at.desc())
    ).all()]
