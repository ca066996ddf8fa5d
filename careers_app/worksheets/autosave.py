"""The autosave contract (see docs in the README).

POST, with an X-CSRFToken header, either the step's own form (form-encoded, as the page
would post it: ``version`` and the step's inputs; static/js/autosave.js sends this) or
JSON {"version": <int>, "answers": {<field id>: <value>}} in the stored answer shapes.
200 {"version", "saved_at", "errors"} only after the commit: every valid answer is saved,
and "errors" names each answer that was refused (kept as it was stored), field by field;
409 with the stored copy when the version is stale; 422 {"errors": {...}} when no answer
could be accepted, so nothing was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, request

from careers_app.content.schema import Step
from careers_app.worksheets.formdata import read_step, to_form
from careers_app.worksheets.service import SaveOutcome
from careers_app.worksheets.steps import parse_version

MALFORMED = ("Send the step's form with a whole-number version, or a JSON object with a "
             "whole-number version and an answers object")
# A step has at most a dozen fields. Unknown ids are ignored, but an answers object with
# thousands of them is refused before any is looked at.
MAX_ANSWER_KEYS = 100
TOO_MANY_ANSWERS = f"Send the answers of one step at a time (at most {MAX_ANSWER_KEYS})"


@dataclass(frozen=True)
class AutosaveRequest:
    base_version: int
    answers: Mapping[str, Any]


def read_autosave_request(step: Step) -> AutosaveRequest | None:
    """The base version and answers from the body; None when the body is malformed
    (including JSON nested too deeply to read: see careers_app/jsonbody.py)."""
    if not request.is_json:
        return _read_form(step)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None
    version = body.get("version")
    answers = body.get("answers")
    if (isinstance(version, bool) or not isinstance(version, int) or version < 0
            or version > 2**31 or not isinstance(answers, dict)):
        return None
    return AutosaveRequest(version, answers)


def _read_form(step: Step) -> AutosaveRequest | None:
    """The step form as posted. A field whose inputs cannot be read yet (a ranking still
    being numbered) is left out, so it keeps its stored answer, as on the page."""
    version = parse_version(request.form.get("version"))
    if version is None:
        return None
    answers, unreadable = read_step(request.form, step)
    return AutosaveRequest(version, {key: value for key, value in answers.items()
                                     if key not in unreadable})


def malformed_response() -> tuple[Response, int]:
    return jsonify({"errors": {"request": MALFORMED}}), 400


def too_many_answers_response() -> tuple[Response, int]:
    return jsonify({"errors": {"request": TOO_MANY_ANSWERS}}), 422


def autosave_response(outcome: SaveOutcome, step: Step) -> tuple[Response, int]:
    if outcome.status == "invalid":
        return jsonify({"errors": outcome.errors}), 422
    saved_at = outcome.saved_at.isoformat() if outcome.saved_at else None
    if outcome.status == "conflict":
        # "form": the stored copy as the step's inputs (name: [values]), for the page to
        # show; "same": it already holds every answer sent, so there is nothing to choose.
        form: dict[str, list[str]] = {}
        for key, value in to_form(step, outcome.answers):
            form.setdefault(key, []).append(value)
        return jsonify({"version": outcome.version, "answers": outcome.answers, "form": form,
                        "same": outcome.held, "saved_at": saved_at}), 409
    return jsonify({"version": outcome.version, "saved_at": saved_at,
                    "errors": outcome.errors}), 200
