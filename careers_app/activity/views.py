"""/account/activity: every event about the signed-in person, newest first, by pages."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from careers_app.activity import bp, service
from careers_app.content.fields import small_number
from careers_app.security import Role, roles_required

MAX_PAGE_DIGITS = 6


@bp.get("/activity")
@roles_required(Role.TRAINEE)
def activity() -> str:
    # A page the list could never reach is a 404 before it becomes an OFFSET that
    # overflows the database's integer.
    page = small_number(request.args.get("page") or "1", MAX_PAGE_DIGITS)
    if page is None or page < 1:
        abort(404)
    total = service.count_about(current_user.id)
    pages = max((total + service.PAGE_SIZE - 1) // service.PAGE_SIZE, 1)
    if page > pages:
        abort(404)
    return render_template("activity/activity.html",
                           lines=service.page_about(current_user.id, page), page=page,
                           pages=pages)
