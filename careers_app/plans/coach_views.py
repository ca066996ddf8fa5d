"""What a coach sees: plans shared with them, their PDFs, and their own comments."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.clock import uk_today
from careers_app.forms import rerender_on_csrf_failure
from careers_app.plans import bp, rendering, service, sharing, waiting
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
    return service.assemble(share.owner, current_app.extensions["modules"],
                            appendix=share.with_appendix).document


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
    """The snapshot's PDF, or the owner's live plan's; made by a job when it is not yet
    (a fresh render of a live plan counts against the coach's own hourly limit)."""
    share = _share(share_id)
    if share.mode == ShareMode.SNAPSHOT and share.snapshot is not None:
        outcome = rendering.snapshot_download(share.snapshot)
    else:
        outcome = rendering.live_plan_download(share.owner, current_user.id,
                                               current_app.extensions["modules"],
                                               appendix=share.with_appendix,
                                               standard_print=True)
    if outcome.retry_after:
        return waiting.too_many_renders(outcome.retry_after,
                                        url_for(".shared_plan", share_id=share.id),
                                        "Go back to the plan")
    if outcome.pdf is None:
        return redirect(url_for(".shared_pdf_preparing", share_id=share.id), 303)
    sharing.record_share_view(share, current_user.id, "share_pdf_downloaded")
    return attachment(outcome.pdf, share.owner.full_name, "action-plan", "pdf")


def _share_pdf_state(share: PlanShare) -> waiting.PdfState:
    if share.mode == ShareMode.SNAPSHOT and share.snapshot is not None:
        return waiting.snapshot_state(share.snapshot)
    return waiting.live_plan_state(share.owner, current_app.extensions["modules"],
                                   appendix=share.with_appendix, standard_print=True)


@bp.get("/shared-with-me/<id:share_id>/pdf/preparing")
@roles_required(Role.COACH)
def shared_pdf_preparing(share_id: int) -> str:
    share = _share(share_id)
    return waiting.waiting_page(
        _share_pdf_state(share), download_url=url_for(".shared_pdf", share_id=share.id),
        status_url=url_for(".shared_pdf_status", share_id=share.id),
        back_url=url_for(".shared_plan", share_id=share.id), back_text="Go back to the plan",
        own=False)


@bp.get("/shared-with-me/<id:share_id>/pdf/status")
@roles_required(Role.COACH)
def shared_pdf_status(share_id: int) -> Response:
    return waiting.status_answer(_share_pdf_state(_share(share_id)))
