"""/account/activity: every event about the signed-in person, newest first, by pages."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from careers_app.activity import bp, service
from careers_app.pagination import page_count, requested_page
from careers_app.security import Role, roles_required


@bp.get("/activity")
@roles_required(Role.TRAINEE)
def activity() -> str:
    page = requested_page()
    pages = page_count(page, service.count_about(current_user.id), service.PAGE_SIZE)
    return render_template("activity/activity.html",
                           lines=service.page_about(current_user.id, page), page=page,
                           pages=pages)
