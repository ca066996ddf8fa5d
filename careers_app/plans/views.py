"""The trainee's plan: summary, actions, PDF, calendar, shares and the log of views."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.clock import uk_today
from careers_app.content.loader import ModuleRegistry
from careers_app.forms import BaseForm, rerender_on_csrf_failure
from careers_app.plans import bp, rendering, service, sharing, waiting
from careers_app.plans.calendar import actions_calendar
from careers_app.plans.document import COMMENT_SECTIONS, is_blank
from careers_app.plans.downloads import attachment
from careers_app.plans.forms import ActionForm, ShareForm, SummaryForm
from careers_app.plans.models import ActionStatus, PlanAction, ShareMode
from careers_app.security import Role, roles_required
from careers_app.throttling import Rule, refuse_page, throttle

# A stored PDF costs little to serve; the limit stops a script fetching it in a loop.
# Counted in the shared store by this view alone, so no other page pays for a check.
PDF_DOWNLOADS = Rule("plan-pdf-download", "30 per minute")


def _registry() -> ModuleRegistry:
    return current_app.extensions["modules"]


def _own_action(action_id: int) -> PlanAction:
    action = service.find_own_action(current_user.id, action_id)
    if action is None:
        abort(404)
    return action


@bp.get("/plan/")
@roles_required(Role.TRAINEE)
def index() -> str:
    plan, with_appendix = service.assemble_with_and_without_appendix(current_user,
                                                                     _registry())
    shares = sharing.shares_of(current_user.id)
    comments = sharing.comments_by_section([share.id for share in shares])
    pages = rendering.kept_plan_pages(current_user.id, (plan.hash, with_appendix.hash))
    return render_template(
        "plans/index.html", doc=plan.document, untracked=len(plan.untracked),
        comments=comments, comment_sections=COMMENT_SECTIONS, blank=is_blank(plan.document),
        shares=[share for share in shares if share.is_active(uk_today())], form=BaseForm(),
        pdf_pages=pages.get(plan.hash), appendix_pdf_pages=pages.get(with_appendix.hash),
    )


@bp.route("/plan/summary", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def summary() -> str | Response:
    plan = service.find_plan(current_user.id)
    form = SummaryForm(data={"summary": plan.summary if plan else ""})
    if form.validate_on_submit():
        service.save_summary(current_user.id, form.summary.data or "")
        flash("Your summary has been saved.", "success")
        return redirect(url_for(".index") + "#summary")
    return render_template("plans/summary.html", form=form)


def _draft(form: ActionForm) -> service.ActionDraft:
    return service.ActionDraft(
        text=form.text.data, measure=form.measure.data or "", support=form.support.data or "",
        target_date=form.target_date.data, status=ActionStatus(form.status.data),
    )


@bp.route("/plan/actions/new", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def new_action() -> str | Response:
    form = ActionForm()
    if form.validate_on_submit():
        service.add_action(current_user.id, _draft(form))
        flash("The action has been added to your plan.", "success")
        return redirect(url_for(".index") + "#actions")
    return render_template("plans/action.html", form=form, action=None)


@bp.route("/plan/actions/<id:action_id>", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def edit_action(action_id: int) -> str | Response:
    action = _own_action(action_id)
    words = service.shown_action(action, _registry())
    form = ActionForm(data={
        "text": words.text, "measure": words.measure, "support": words.support,
        "target_date": words.target_date, "status": action.status,
    })
    if form.validate_on_submit():
        service.update_action(action, _draft(form), _registry())
        flash("The action has been updated.", "success")
        return redirect(url_for(".index") + "#actions")
    return render_template("plans/action.html", form=form, action=action)


@bp.post("/plan/actions/<id:action_id>/move")
@roles_required(Role.TRAINEE)
def move_action(action_id: int) -> Response:
    action = _own_action(action_id)
    if BaseForm().validate_on_submit():
        offset = -1 if request.form.get("direction") == "up" else 1
        service.move_action(current_user.id, action, offset)
    return redirect(url_for(".index") + f"#action-{action.id}")


@bp.route("/plan/actions/<id:action_id>/delete", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def delete_action(action_id: int) -> str | Response:
    action = _own_action(action_id)
    form = BaseForm()
    if form.validate_on_submit():
        service.delete_action(action)
        flash("The action has been deleted from your plan.", "success")
        return redirect(url_for(".index") + "#actions")
    return render_template("plans/delete_action.html", action=action, form=form)


@bp.post("/plan/actions/track")
@roles_required(Role.TRAINEE)
def track_actions() -> Response:
    if BaseForm().validate_on_submit():
        added = service.track_worksheet_actions(current_user, _registry())
        if added:
            flash(f"{added} action{'s' if added != 1 else ''} from your worksheets "
                  f"{'are' if added != 1 else 'is'} now on your plan, ready for a status.",
                  "success")
    return redirect(url_for(".index") + "#actions")


@bp.get("/plan/pdf")
@roles_required(Role.TRAINEE)
def pdf() -> Response:
    """The PDF at once when made for the plan as it is; otherwise a job makes it and the
    person waits on a page that follows it. ``?appendix=yes`` adds everything they wrote."""
    downloads = throttle().reserve((PDF_DOWNLOADS, str(current_user.id)))
    if not downloads.allowed:
        return refuse_page(downloads.retry_after)
    appendix = _with_appendix()
    outcome = rendering.live_plan_download(current_user, current_user.id, _registry(),
                                           appendix=appendix)
    if outcome.pdf is not None:
        what = "action-plan-and-everything" if appendix else "action-plan"
        return attachment(outcome.pdf, current_user.full_name, what, "pdf")
    if outcome.retry_after:
        return waiting.too_many_renders(outcome.retry_after, url_for(".index"),
                                        "Go back to your plan")
    return redirect(url_for(".pdf_preparing", **_appendix_argument(appendix)), 303)


def _with_appendix() -> bool:
    return request.args.get("appendix") == "yes"


def _appendix_argument(appendix: bool) -> dict[str, str]:
    return {"appendix": "yes"} if appendix else {}


@bp.get("/plan/pdf/preparing")
@roles_required(Role.TRAINEE)
def pdf_preparing() -> str:
    appendix = _with_appendix()
    return waiting.waiting_page(
        waiting.live_plan_state(current_user, _registry(), appendix=appendix),
        download_url=url_for(".pdf", **_appendix_argument(appendix)),
        status_url=url_for(".pdf_status", **_appendix_argument(appendix)),
        back_url=url_for(".index"), back_text="Go back to your plan", own=True)


@bp.get("/plan/pdf/status")
@roles_required(Role.TRAINEE)
def pdf_status() -> Response:
    return waiting.status_answer(waiting.live_plan_state(current_user, _registry(),
                                                         appendix=_with_appendix()))


@bp.get("/plan/actions.ics")
@roles_required(Role.TRAINEE)
def calendar() -> Response:
    plan = service.assemble(current_user, _registry())
    body = actions_calendar(plan.document["actions"], current_user.id)
    return attachment(body, current_user.full_name, "actions", "ics")


@bp.get("/plan/shares/")
@roles_required(Role.TRAINEE)
def shares() -> str:
    return render_template("plans/shares.html", shares=sharing.shares_of(current_user.id),
                           today=uk_today(), form=BaseForm())


@bp.route("/plan/shares/new", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def new_share() -> str | Response:
    today = uk_today()
    form = ShareForm(today=today, longest=sharing.MAX_SHARE_DAYS,
                     data={"expires_on": today + dt.timedelta(days=sharing.DEFAULT_SHARE_DAYS)})
    if form.validate_on_submit():
        try:
            coach = sharing.find_coach(form.coach.data)
        except sharing.CoachNotFound as error:
            form.coach.errors = [str(error)]
        else:
            share = sharing.create_share(current_user, coach, ShareMode(form.mode.data),
                                         form.expires_on.data, _registry(),
                                         appendix=form.appendix.data == "yes")
            flash(f"Your plan is shared with {coach.full_name} until the end of "
                  f"{share.expires_on.day} {share.expires_on:%B %Y}.", "success")
            return redirect(url_for(".shares"))
    return render_template("plans/new_share.html", form=form,
                           last_day=today + dt.timedelta(days=sharing.MAX_SHARE_DAYS))


@bp.post("/plan/shares/<id:share_id>/revoke")
@roles_required(Role.TRAINEE)
def revoke_share(share_id: int) -> Response:
    share = sharing.find_own_share(current_user.id, share_id)
    if share is None:
        abort(404)
    if BaseForm().validate_on_submit():
        sharing.revoke_share(share)
        flash(f"{share.coach.full_name} can no longer see your plan.", "success")
    return redirect(url_for(".shares"))


@bp.get("/plan/shares/log")
@roles_required(Role.TRAINEE)
def log() -> str:
    return render_template("plans/log.html", events=sharing.plan_log(current_user.id))
