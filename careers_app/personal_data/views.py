"""/account/export: what the download holds, asking for it, waiting, and the download."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.accounts.recent_password import recent_password_required
from careers_app.db import utcnow
from careers_app.forms import BaseForm
from careers_app.logs import log_event
from careers_app.personal_data import bp, service
from careers_app.personal_data.models import DataExport
from careers_app.plans.downloads import safe_file_name
from careers_app.security import Role, roles_required


def _own(export_id: int) -> DataExport:
    export = service.find_own_export(current_user.id, export_id)
    if export is None:
        abort(404)
    return export


@bp.route("/export", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@recent_password_required
def export_page() -> str | Response:
    """What the download holds; the button asks for one (or finds the one being made)."""
    form = BaseForm()
    if form.validate_on_submit():
        export, new = service.request_export(current_user)
        if new:
            log_event("data_export_requested", export_id=export.id)
            service.start_job(export)  # immediate mode (tests): it has run
        return redirect(url_for(".export_status_page", export_id=export.id), 303)
    now = utcnow()
    exports = [(export, service.progress_of(export)) for export in
               service.exports_of(current_user.id)]
    return render_template(
        "personal_data/export.html", form=form, exports=exports, now=now,
        keep_days=service.KEEP_FOR.days,
        building=next((e for e, p in exports if p.building), None))


@bp.get("/export/<id:export_id>")
@roles_required(Role.TRAINEE)
def export_status_page(export_id: int) -> str:
    """Progress while it is made (a polite live region; a link to check again without
    JavaScript), then the download button, or what went wrong."""
    export = _own(export_id)
    return render_template("personal_data/progress.html", export=export,
                           progress=service.progress_of(export),
                           total=service.TOTAL_STEPS, keep_days=service.KEEP_FOR.days)


@bp.get("/export/<id:export_id>/status")
@roles_required(Role.TRAINEE)
def export_status(export_id: int) -> Response:
    progress = service.progress_of(_own(export_id))
    # "ready" makes the waiting page's script go to this export's page, whose button
    # downloads it (static/js/pdf-preparing.js).
    return jsonify(status=progress.status, step=progress.step, label=progress.label)


@bp.get("/export/<id:export_id>/download")
@roles_required(Role.TRAINEE)
@recent_password_required
def export_download(export_id: int) -> Response:
    export = _own(export_id)
    content = service.download(export, current_user.id)
    if content is None:
        return redirect(url_for(".export_status_page", export_id=export.id))
    log_event("data_exported", export_id=export.id, bytes=len(content))
    name = safe_file_name(current_user.full_name, "my-data", "zip")
    response = Response(content, mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "no-store"
    return response
