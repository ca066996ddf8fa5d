"""What is on the plan: "Everything I wrote", and adding answers to the plan or taking
them off it."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.content.loader import ModuleRegistry
from careers_app.content.references import locate
from careers_app.forms import BaseForm
from careers_app.plans import bp, service
from careers_app.plans.document import (
    answers_in_order,
    everything,
    latest_answers,
    question_key,
)
from careers_app.security import Role, roles_required
from careers_app.worksheets.service import saved_steps

QUESTION_PREFIX = question_key("")
RETURN_TO = {"plan": "plans.index", "everything": "plans.everything_i_wrote"}


def _registry() -> ModuleRegistry:
    return current_app.extensions["modules"]


@bp.get("/plan/everything")
@roles_required(Role.TRAINEE)
def everything_i_wrote() -> str:
    registry = _registry()
    saved = saved_steps(current_user.id)
    choices = service.plan_choices(current_user.id)
    latest = {answer.key for answer in
              latest_answers(registry, answers_in_order(registry, saved)).values()}
    return render_template(
        "plans/everything.html", modules=everything(registry, saved), form=BaseForm(),
        removal_key=lambda answer: _removal_key(answer, latest, choices))


def _removal_key(answer: dict[str, Any], latest: set[str], choices: dict[str, bool]
                 ) -> str | None:
    """The choice that takes an answer off the plan, or None when it is not on it: the
    newest answer to a question is there through the question, others only if added."""
    if choices.get(answer["key"]):
        return str(answer["key"])
    asked = question_key(answer["asks"]) if answer["asks"] else None
    if answer["key"] in latest and asked and choices.get(asked, True):
        return asked
    return None


@bp.post("/plan/choices")
@roles_required(Role.TRAINEE)
def choose() -> Response:
    key = request.form.get("item_key", "")
    included = request.form.get("included") == "yes"
    label = _label(_registry(), key)
    if label is None:
        abort(404)
    back = RETURN_TO.get(request.form.get("return_to", ""), "plans.index")
    if BaseForm().validate_on_submit():
        service.choose(current_user.id, key, included)
        flash(f"“{label}” is {'now on' if included else 'no longer on'} your plan.", "success")
    return redirect(url_for(back) + "#" + request.form.get("anchor", "")[:100])


def _label(registry: ModuleRegistry, key: str) -> str | None:
    """What the choice is about, if the key names a question or an answer that exists."""
    if key.startswith(QUESTION_PREFIX):
        question = registry.questions.get(key.removeprefix(QUESTION_PREFIX))
        return question.title if question else None
    if key.count("/") != 2 or len(key) > 250:
        return None
    place = locate(registry, key)
    if place is None or place.field.type == "action_table":
        return None
    return place.field.label
