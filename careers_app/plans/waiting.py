"""Where a PDF being made stands, and the page and JSON that show it while people wait.

Each download route has its own waiting page and status URL, behind the same access
check as the download itself, so nobody can follow a render they may not download.
The state says only how far the render has got and the kind of a failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import jsonify, render_template
from sqlalchemy import select
from werkzeug.wrappers import Response

from careers_app.accounts.models import User
from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.plans import rendering, service
from careers_app.plans.models import PlanSnapshot, RenderStatus
from careers_app.throttling import refused, wait_text

# How far along each status is, out of 3, and what it is called on the page.
STEPS = {"queued": (1, "Waiting to start"), "rendering": (2, "Being made"),
         "ready": (3, "Ready"), "failed": (3, "Not made"), "start": (1, "Waiting to start")}


@dataclass(frozen=True)
class PdfState:
    """``start`` means no render is under way for what would be downloaded now (the
    plan changed meanwhile, or a job was lost): the download URL asks for one."""

    status: str
    failure: str = ""

    @property
    def step(self) -> int:
        return STEPS[self.status][0]

    @property
    def label(self) -> str:
        return STEPS[self.status][1]

    @property
    def too_long(self) -> bool:
        return self.failure in ("timeout", "memory")

    @property
    def goes_to_download(self) -> bool:
        return self.status in ("ready", "start")


def _from_render(key: str) -> PdfState:
    render = rendering.find_render(key)
    if render is None:
        return PdfState("start")
    if render.status == RenderStatus.FAILED:  # shown; downloading again tries again
        return PdfState("failed", render.failure)
    if rendering.needs_job(render, utcnow()):
        return PdfState("start")
    return PdfState(str(render.status), render.failure)


def live_plan_state(owner: User, registry: ModuleRegistry, *, appendix: bool = False,
                    standard_print: bool = False) -> PdfState:
    """The state of the PDF of the plan as it is now (ready only when made for it)."""
    digest = service.assemble(owner, registry, appendix=appendix,
                              standard_print=standard_print).hash
    if rendering.plan_pdf_is_kept(owner.id, digest):
        return PdfState("ready")
    return _from_render(rendering.plan_key(owner.id, digest))


def snapshot_state(snapshot: PlanSnapshot) -> PdfState:
    made = db.session.execute(
        select(PlanSnapshot.pdf.is_not(None)).where(PlanSnapshot.id == snapshot.id)
    ).scalar_one()
    return PdfState("ready") if made else _from_render(rendering.snapshot_key(snapshot.id))


def waiting_page(state: PdfState, *, download_url: str, status_url: str, back_url: str,
                 back_text: str, own: bool) -> str:
    """The "Preparing your PDF" page: progress, then the download, or what went wrong."""
    return render_template("plans/preparing.html", state=state, download_url=download_url,
                           status_url=status_url, back_url=back_url, back_text=back_text,
                           own=own)


def status_answer(state: PdfState) -> Response:
    """What the waiting page's script polls: the status and its words, nothing else."""
    return jsonify(status=state.status, step=state.step, label=state.label)


def too_many_renders(retry_after: int, back_url: str, back_text: str) -> Response:
    page = render_template("plans/pdf_limit.html", wait=wait_text(retry_after),
                           back_url=back_url, back_text=back_text)
    return refused(page, retry_after)
