"""Catalogue, module start, step pages, autosave, summary and completion."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from careers_app.content.loader import ModuleRegistry
from careers_app.content.schema import Module, Step
from careers_app.forms import BaseForm, rerender_on_csrf_failure
from careers_app.security import Role, roles_required
from careers_app.worksheets import bp, service
from careers_app.worksheets.autosave import (
    MAX_ANSWER_KEYS,
    autosave_response,
    malformed_response,
    read_autosave_request,
    too_many_answers_response,
)
from careers_app.worksheets.bring_forward import (
    BroughtForward,
    bring_forward,
    needs_earlier_answers,
)
from careers_app.worksheets.catalogue import (
    AUDIENCES,
    audience_for,
    grouped,
    next_scan_stage,
    status_of,
)
from careers_app.worksheets.formdata import first_input_id, read_step
from careers_app.worksheets.matrix_totals import MatrixRecap, matrix_recap
from careers_app.worksheets.steps import (
    RETURN_TO_SUMMARY,
    StepPage,
    apply_row_action,
    parse_version,
)

CONFLICT_MESSAGE = (
    "These answers were changed in another tab or on another device after you opened "
    "this page. What you typed is shown below and has not been saved. Save again to "
    "replace the other version, or open the page again to see it"
)


def _registry() -> ModuleRegistry:
    return current_app.extensions["modules"]


def _module(slug: str) -> Module:
    module = _registry().get(slug)
    if module is None:
        abort(404)
    return module


def _module_and_step(slug: str, step_id: str) -> tuple[Module, Step]:
    module = _module(slug)
    step = module.step(step_id)
    if step is None:
        abort(404)
    return module, step


class StepForm(BaseForm):
    """Only the CSRF token: the step's own fields come from the module file."""


@bp.get("/")
@roles_required(Role.TRAINEE)
def catalogue() -> str:
    # With no choice made yet, start at the audience the person registered as.
    chosen = request.args.get("audience")
    if chosen is None:
        audience = audience_for(current_user.professional_group, current_user.training_stage)
    else:
        audience = chosen if chosen in AUDIENCES else "all"
    progress = service.progress_by_module(current_user.id)
    return render_template(
        "worksheets/catalogue.html",
        groups=grouped(_registry(), progress, None if audience == "all" else audience),
        audiences=AUDIENCES,
        audience=audience,
    )


@bp.get("/<slug>/")
@roles_required(Role.TRAINEE)
def start(slug: str) -> str:
    module = _module(slug)
    answers = service.answers_for_module(current_user.id, slug)
    progress = service.progress_for(current_user.id, slug)
    return render_template(
        "worksheets/start.html",
        module=module,
        answers=answers,
        status=status_of(module, progress),
        audiences=AUDIENCES,
        next_step=_first_unfinished(module, answers),
    )


@bp.get("/<slug>/continue")
@roles_required(Role.TRAINEE)
def resume(slug: str) -> Response:
    module = _module(slug)
    step = _first_unfinished(module, service.answers_for_module(current_user.id, slug))
    if step is None:
        return redirect(url_for(".summary", slug=slug))
    return redirect(url_for(".step", slug=slug, step_id=step.id))


def _first_unfinished(module: Module, answers: dict[str, Any]) -> Step | None:
    done = service.done_step_ids(answers.values())
    return next((step for step in module.steps if step.id not in done), None)


@bp.route("/<slug>/steps/<step_id>", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
@rerender_on_csrf_failure
def step(slug: str, step_id: str) -> str | Response | tuple[str, int]:
    module, step = _module_and_step(slug, step_id)
    page = StepPage(module, step, form=StepForm(), add_row=request.args.get("add"),
                    recap=_totals_recap(module, step),
                    back_to_summary=request.args.get("return") == RETURN_TO_SUMMARY)
    if request.method == "GET":
        stored = service.find_answer(current_user.id, slug, step_id)
        saved = stored.answers if stored else {}
        page.brought = _brought_forward(step, saved)
        return page.render({**page.brought.values, **saved}, stored.version if stored else 0)

    values, unreadable = read_step(request.form, step)
    # A posted form shows what was posted: only the recalled answers come from earlier.
    page.brought = _brought_forward(step, values)
    base_version = parse_version(request.form.get("version"))
    if not page.form.validate_on_submit():  # the CSRF token was refused
        return page.render(values, base_version, status=400)
    if unreadable or base_version is None:
        return page.render(values, base_version or 0, errors=unreadable, status=400)

    action = request.form.get("action", "continue")
    values, row_anchor = apply_row_action(step, values, action)
    outcome = service.save_step(current_user.id, module, step, values, base_version,
                                confirm=action == "continue")
    if outcome.status == "invalid":
        return page.render(values, base_version, errors=outcome.errors, status=400)
    if outcome.status == "conflict":
        return page.render(values, outcome.version, message=CONFLICT_MESSAGE, status=409)
    if row_anchor:
        return redirect(page.url(add=row_anchor.add) + f"#{row_anchor.anchor}")
    if action == "later":
        flash("Your answers have been saved. You can come back to them at any time.",
              "success")
        return redirect(url_for(".start", slug=slug))
    if action == "previous":
        previous = page.previous_step
        return redirect(url_for(".step", slug=slug, step_id=previous.id) if previous
                        else url_for(".start", slug=slug))
    if outcome.incomplete:
        return page.render(outcome.answers, outcome.version, errors=outcome.incomplete,
                           status=400, saved=True)
    following = page.next_step
    return redirect(url_for(".step", slug=slug, step_id=following.id)
                    if following and not page.back_to_summary
                    else url_for(".summary", slug=slug))


def _brought_forward(step: Step, saved: dict[str, Any]) -> BroughtForward:
    """The trainee's own earlier answers that this step shows or starts from."""
    if not needs_earlier_answers(step):
        return BroughtForward()
    return bring_forward(_registry(), step, saved, service.all_answers(current_user.id))


def _totals_recap(module: Module, step: Step) -> MatrixRecap | None:
    """The saved totals an earlier step's matrix adds up to, where this step asks about them."""
    if step.show_totals_from is None:
        return None
    saved = service.find_answer(current_user.id, module.slug, step.show_totals_from)
    return matrix_recap(module.steps, step.show_totals_from, saved.answers if saved else {})


@bp.post("/<slug>/steps/<step_id>/autosave")
@roles_required(Role.TRAINEE)
def autosave(slug: str, step_id: str) -> tuple[Response, int]:
    module, step = _module_and_step(slug, step_id)
    received = read_autosave_request(step)
    if received is None:
        return malformed_response()
    if len(received.answers) > MAX_ANSWER_KEYS:
        return too_many_answers_response()
    outcome = service.save_step(current_user.id, module, step, received.answers,
                                received.base_version, partial=True)
    return autosave_response(outcome, step)


@bp.route("/<slug>/steps/<step_id>/versions", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def versions(slug: str, step_id: str) -> str | Response | tuple[str, int]:
    """Earlier versions of a step, including copies refused as stale, to look at or restore."""
    module, step = _module_and_step(slug, step_id)
    form = StepForm()
    if form.validate_on_submit():
        revision_id = parse_version(request.form.get("revision"))
        base_version = parse_version(request.form.get("version"))
        outcome = (service.restore_revision(current_user.id, module, step, revision_id,
                                            base_version)
                   if revision_id is not None and base_version is not None else None)
        if outcome is None:
            abort(404)
        if outcome.status == "saved":
            flash("That version is now your current answer.", "success")
            return redirect(url_for(".step", slug=slug, step_id=step_id))
        flash("Your answers changed while this page was open. Check them and try again."
              if outcome.status == "conflict" else
              "That version cannot be restored because the questions have changed.", "warning")
        return redirect(url_for(".versions", slug=slug, step_id=step_id))
    current = service.find_answer(current_user.id, slug, step_id)
    return render_template(
        "worksheets/versions.html", module=module, step=step, form=form,
        current=current, revisions=service.revisions_for(current_user.id, slug, step_id),
    ), 400 if form.is_submitted() else 200


@bp.get("/csrf-token")
@roles_required(Role.TRAINEE)
def csrf_token() -> dict[str, str]:
    """A fresh token for a page whose own was refused after signing in again."""
    return {"csrf_token": generate_csrf()}


@bp.route("/<slug>/summary", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def summary(slug: str) -> str | Response | tuple[str, int]:
    module = _module(slug)
    form = StepForm()
    answers = service.answers_for_module(current_user.id, slug)
    unfinished = [step for step in module.steps
                  if step.id not in service.done_step_ids(answers.values())]
    if form.validate_on_submit():
        if service.complete_module(current_user.id, module):
            return redirect(url_for(".completed", slug=slug))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "worksheets/summary.html",
        module=module,
        answers=answers,
        unfinished=unfinished,
        form=form,
        first_input_id=first_input_id,
        submitted=form.is_submitted(),
    ), status


@bp.get("/<slug>/complete")
@roles_required(Role.TRAINEE)
def completed(slug: str) -> str | Response:
    module = _module(slug)
    progress = service.progress_for(current_user.id, slug)
    if progress is None or progress.completed_at is None:
        return redirect(url_for(".summary", slug=slug))
    suggestion = next_scan_stage(_registry(), service.progress_by_module(current_user.id))
    return render_template("worksheets/complete.html", module=module, suggestion=suggestion)
