"""What a coach sees: plans shared with them, their PDFs, and their own comments."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.clock import uk_today
from careers_app.forms import rerender_on_csrf_failure
from careers_app.plans import bp, service, sharing
from careers_app.plans.document import COMMENT_SECTIONS
from careers_app.plans.downloads import attachment
from careers_app.plans.forms import CommentForm
from careers_app.plans.models import PlanShare, ShareMode
from careers_app.refused_posts import only_showing_the_form
from careers_app.security import Role, roles_required


def _share(share_id: int) -> PlanShare:
    share = sharing.get_share_for_coach(current_user.id, share_id, uk_today())
    if share is None:
        abort(404)
    return share


def _document(share: PlanShare) -> dict[str, Any]:
    if share.mode == ShareMode.SNAPSHOT and share.snapshot is not None:
        return share.snapshot.content
    return service.assemble(share.owner, current_app.extensions["modules"]).document


@bp.get("/shared-with-me/")
@roles_required(Role.COACH)
def shared_with_me() -> str:
    return render_template("plans/shared_with_me.html",
                           shares=sharing.shares_for_coach(current_user.id, uk_today()))


@bp.route("/shared-with-me/<id:share_id>", methods=["GET", "POST"])
@roles_required(Role.COACH)
@rerender_on_csrf_failure
def shared_plan(share_id: int) -> str | Response:
    share = _share(share_id)
    form = CommentForm()
    if form.validate_on_submit():
        sharing.add_comment(share, current_user, form.section.data, form.body.data)
        flash("Your comment has been added. The trainee has been told by email.", "success")
        return redirect(url_for(".shared_plan", share_id=share.id))
    document = _document(share)
    if not only_showing_the_form():  # the comment is only shown back: no view to record
        sharing.record_share_view(share, current_user.id)
    return render_template(
        "plans/shared_plan.html", share=share, doc=document, form=form,
        comments=sharing.comments_by_section([share.id]), comment_sections=COMMENT_SECTIONS,
    )


@bp.get("/shared-with-me/<id:share_id>/pdf")
@roles_required(Role.COACH)
def shared_pdf(share_id: int) -> Response:
    share = _share(share_id)
    if share.mode == ShareMode.SNAPSHOT and share.snapshot is not None:
        pdf = share.snapshot.pdf
    else:
        pdf, _document = service.plan_pdf(share.owner, current_app.extensions["modules"])
    sharing.record_share_view(share, current_user.id, "share_pdf_downloaded")
    return attachment(pdf, share.owner.full_name, "action-plan", "pdf")
