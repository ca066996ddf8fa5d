"""Asking for an export, building it in a job, handing it over, and letting it expire.

A request writes a queued ``DataExport`` row and enqueues ``build_export_job`` after
the commit; the job moves the row through collecting, pdf and packing (the waiting
page shows these), stores the ZIP and emails a link to the download page (never the
data). A second request while one is being built finds that one: ``building_for`` is
unique while an export is under way. The ZIP is kept for ``KEEP_FOR`` (7 days); the
hourly cleanup deletes it after that, and a download past the time is refused even if
the cleanup has not run yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select, update

from careers_app import audit
from careers_app.accounts.models import User
from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.personal_data import archive
from careers_app.personal_data.collect import build_data
from careers_app.personal_data.models import BUILDING, DataExport, ExportStatus
from careers_app.personal_data.ownership import person_rows
from careers_app.worksheets.service import insert_for_dialect

log = logging.getLogger(__name__)
S = ExportStatus
KEEP_FOR = dt.timedelta(days=7)
# A build no worker has finished in this long lost its job (the queue was emptied or
# the worker died): it is marked failed, so a new request can start another.
LOST_AFTER = dt.timedelta(minutes=15)

# How far along each status is, and what the waiting page calls it.
STEPS: dict[str, tuple[int, str]] = {
    S.QUEUED: (1, "Waiting to start"),
    S.COLLECTING: (2, "Gathering your information"),
    S.PDF: (3, "Making your plan's PDF"),
    S.PACKING: (4, "Putting your download together"),
    S.READY: (5, "Ready"),
    S.FAILED: (5, "Not made"),
    S.EXPIRED: (5, "Expired"),
}
TOTAL_STEPS = 5


@dataclass(frozen=True)
class Progress:
    status: str
    step: int
    label: str

    @property
    def building(self) -> bool:
        return self.status in BUILDING


def progress_of(export: DataExport) -> Progress:
    now = utcnow()
    status = S.EXPIRED if is_expired(export, now) else export.status
    if is_lost(export, now):
        status = S.FAILED  # the next request marks it so and starts another
    step, label = STEPS[status]
    return Progress(str(status), step, label)


def is_expired(export: DataExport, now: dt.datetime) -> bool:
    return export.status == S.EXPIRED or (
        export.status == S.READY and export.expires_at is not None and export.expires_at <= now)


def is_lost(export: DataExport, now: dt.datetime) -> bool:
    return export.status in BUILDING and export.requested_at < now - LOST_AFTER


def find_own_export(user_id: int, export_id: int) -> DataExport | None:
    """The person's own export; anyone else's is None (so the page is a 404)."""
    return db.session.execute(select(DataExport).where(
        DataExport.id == export_id, DataExport.user_id == user_id)).scalar_one_or_none()


def exports_of(user_id: int) -> list[DataExport]:
    return list(db.session.execute(select(DataExport).where(DataExport.user_id == user_id)
                                   .order_by(DataExport.id.desc()).limit(10)).scalars())


def _fail_lost(user_id: int, now: dt.datetime) -> None:
    db.session.execute(
        update(DataExport)
        .where(DataExport.user_id == user_id, DataExport.status.in_(BUILDING),
               DataExport.requested_at < now - LOST_AFTER)
        .values(status=S.FAILED, failure="lost", building_for=None, finished_at=now)
        .execution_options(synchronize_session=False))


def request_export(user: User) -> tuple[DataExport, bool]:
    """The export being built for the person, or a new one; and whether it is new.
    The caller enqueues the job for a new one after this commit."""
    now = utcnow()
    _fail_lost(user.id, now)
    # RETURNING gives the new id, or nothing when one is already being built (a
    # rowcount is not reliable here across drivers).
    inserted = db.session.execute(
        insert_for_dialect(DataExport)
        .values(user_id=user.id, building_for=user.id, status=S.QUEUED, failure="",
                requested_at=now, size=0)
        .on_conflict_do_nothing(index_elements=["building_for"])
        .returning(DataExport.id)
    ).first() is not None
    export = db.session.execute(
        select(DataExport).where(DataExport.building_for == user.id)).scalar_one()
    db.session.commit()
    return export, inserted


def start_job(export: DataExport) -> None:
    """Enqueue the build; a queue that cannot be reached fails the export at once."""
    from careers_app.personal_data.tasks import build_export_job

    try:
        build_export_job(export.id)
    except Exception as exc:  # noqa: BLE001 (any queue failure is reported the same way)
        db.session.rollback()
        log.warning("data export not enqueued: export id %s, %s", export.id,
                    type(exc).__name__)
        _finish_failed(export.id, "queue")


def _set_status(export_id: int, status: ExportStatus) -> None:
    db.session.execute(update(DataExport).where(DataExport.id == export_id)
                       .values(status=status).execution_options(synchronize_session=False))
    db.session.commit()


def _finish_failed(export_id: int, kind: str) -> None:
    db.session.execute(update(DataExport).where(DataExport.id == export_id)
                       .values(status=S.FAILED, failure=kind, building_for=None,
                               finished_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _claim(export_id: int) -> bool:
    claimed = db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status == S.QUEUED)
        .values(status=S.COLLECTING, started_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def build_export(export_id: int, registry: ModuleRegistry) -> None:
    """The job's work: collect, make the plan's PDF, pack, store, email the link."""
    export = db.session.get(DataExport, export_id)
    if export is None or not _claim(export_id):
        return
    started = time.monotonic()
    user = db.session.get(User, export.user_id)
    assert user is not None
    try:
        data = build_data(user.id, person_rows(user.id, user.email), registry, utcnow())
        _set_status(export_id, S.PDF)
        pdf = archive.plan_pdf(user, registry)
        snapshots = archive.snapshot_pdfs(user.id)
        content = archive.build_zip(data, registry, pdf, snapshots,
                                    progress=lambda _: _set_status(export_id, S.PACKING))
    except Exception as exc:  # noqa: BLE001 (any failure: the person is told, nothing kept)
        db.session.rollback()
        _finish_failed(export_id, "error")
        # The kind only: a message could quote what the person wrote.
        log.error("data export failed: export id %s, %s", export_id, type(exc).__name__)
        return
    now = utcnow()
    db.session.execute(
        update(DataExport).where(DataExport.id == export_id)
        .values(status=S.READY, archive=content, size=len(content), building_for=None,
                finished_at=now, expires_at=now + KEEP_FOR)
        .execution_options(synchronize_session=False))
    _email_ready(user, export_id, now + KEEP_FOR)
    db.session.commit()
    log.info("data export made: export id %s, %.2f s, %d bytes", export_id,
             time.monotonic() - started, len(content))


def _email_ready(user: User, export_id: int, expires_at: dt.datetime) -> None:
    body = render_template(
        "email/data_export_ready.txt", person=user, expires_at=expires_at,
        link=external_url("personal_data.export_status_page", export_id=export_id),
        service=current_app.config["SERVICE_NAME"])
    send_email(user.email, "Your data is ready to download", body,
               key=f"data-export:{export_id}:ready")


def download(export: DataExport, user_id: int) -> bytes | None:
    """The ZIP while it is kept, recording the download in the person's audit log."""
    if export.status != S.READY or is_expired(export, utcnow()):
        return None
    content = db.session.execute(
        select(DataExport.archive).where(DataExport.id == export.id)).scalar_one()
    if content is None:
        return None
    audit.record(user_id, "data_exported", "export", export.id, export.user_id)
    db.session.commit()
    return content


def delete_expired(now: dt.datetime) -> int:
    """Delete the ZIPs past their time (the rows stay, marked expired); how many."""
    done = db.session.execute(
        update(DataExport)
        .where(DataExport.status == S.READY, DataExport.expires_at <= now)
        .values(status=S.EXPIRED, archive=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return done
