"""The files in the download: data.json, pages a person can read, and PDFs.

- ``data.json``: everything, for machines (careers_app/personal_data/collect.py);
- ``index.html``: the same, for people, linking to ``modules/<slug>.html``, one page per
  module with the questions and the answers as the service shows them back (the
  worksheets' own answer templates);
- ``plan.pdf``: the action plan as the plan page's PDF, made by the same template and
  child process as a download from /plan/pdf (or the copy already made for it);
- ``snapshots/snapshot-<id>.pdf``: the PDFs of the plans as they were sent.

The pages are written to be read offline: no scripts, no links off the ZIP, and the
stylesheet inside each page.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from sqlalchemy import select

from careers_app.accounts.eligibility import PROFESSIONAL_GROUPS, REGIONS, TRAINING_STAGES
from careers_app.accounts.models import User
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.pdf_child import RenderFailed
from careers_app.plans import rendering
from careers_app.plans import service as plans
from careers_app.plans.document import ordered_modules
from careers_app.plans.models import ActionStatus, PlanSnapshot
from careers_app.worksheets.presenters import uk_time


@dataclass(frozen=True)
class PlanPdf:
    """The plan's PDF, or why there is none (``too_long``, ``failed``)."""

    pdf: bytes | None
    problem: str = ""


def plan_pdf(user: User, registry: ModuleRegistry) -> PlanPdf:
    """The live plan's PDF: the one already made for this content, else a fresh render."""
    plan = plans.assemble(user, registry)
    cached = rendering.cached_plan_pdf(user.id, plan.hash)
    if cached is not None:
        return PlanPdf(cached)
    db.session.commit()  # no transaction held open while the child renders
    try:
        # As the cached copy would be: in the person's own reading preferences.
        return PlanPdf(plans.render_plan_pdf(plan.document, plan.reading).pdf)
    except RenderFailed as failure:
        return PlanPdf(None, "too_long" if failure.kind in ("timeout", "memory") else "failed")


def snapshot_pdfs(user_id: int) -> list[tuple[int, bytes]]:
    return [(snapshot_id, pdf) for snapshot_id, pdf in db.session.execute(
        select(PlanSnapshot.id, PlanSnapshot.pdf)
        .where(PlanSnapshot.user_id == user_id, PlanSnapshot.pdf.is_not(None))
        .order_by(PlanSnapshot.id))]


def module_pages(data: dict[str, Any], registry: ModuleRegistry) -> list[dict[str, Any]]:
    """The modules with any answer, in the catalogue's order, each with its steps."""
    by_module: dict[str, dict[str, dict[str, Any]]] = {}
    for answer in data["answers"]:
        by_module.setdefault(answer["module"], {})[answer["step"]] = answer
    pages = []
    for module in ordered_modules(registry):
        if module.slug in by_module:
            pages.append({"module": module, "answers": by_module.pop(module.slug),
                          "file": f"modules/{module.slug}.html"})
    # Answers to a module no longer offered are in data.json, listed on the index.
    return pages


def when(value: str | None) -> str:
    """An ISO time or date from data.json as people in the UK read it ("" when there is
    none): "7 December 2026 at 14:05", or "30 January 2027" for a date alone."""
    if not value:
        return ""
    if len(value) == len("2027-01-30"):
        day = dt.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    moment = dt.datetime.fromisoformat(value)
    return uk_time(moment) if moment.tzinfo else value


def _labels(registry: ModuleRegistry) -> dict[str, str]:
    """Words for the codes data.json keeps (groups, regions, stages, statuses, modules)."""
    return {**PROFESSIONAL_GROUPS, **REGIONS, **TRAINING_STAGES,
            **{status.value: status.label for status in ActionStatus},
            **{module.slug: module.title for module in registry}}


def build_zip(data: dict[str, Any], registry: ModuleRegistry, pdf: PlanPdf,
              snapshots: list[tuple[int, bytes]],
              progress: Callable[[str], None] | None = None) -> bytes:
    """The ZIP's bytes. ``progress`` hears "packing" before the files are written."""
    pages = module_pages(data, registry)
    listed = {page["module"].slug for page in pages}
    index = render_template(
        "personal_data/archive/index.html", data=data, pages=pages, pdf=pdf,
        snapshot_ids=[snapshot_id for snapshot_id, _ in snapshots],
        unlisted=[a for a in data["answers"] if a["module"] not in listed], when=when,
        labels=_labels(registry))
    if progress is not None:
        progress("packing")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("index.html", index)
        for page in pages:
            archive.writestr(page["file"], render_template(
                "personal_data/archive/module.html", module=page["module"],
                answers=page["answers"], person=data["profile"], when=when))
        if pdf.pdf is not None:
            archive.writestr("plan.pdf", pdf.pdf)
        for snapshot_id, content in snapshots:
            archive.writestr(f"snapshots/snapshot-{snapshot_id}.pdf", content)
    return buffer.getvalue()
