"""Showing a form again after its post was refused by the CSRF check, without acting.

A post is refused when its token is missing or wrong, or when the browser's Referer
does not name this site (Flask-WTF's HTTPS check). The person still sees their form
with what they typed; the view is called again only to draw it, so nothing it does
may last: forms do not validate, commits are refused, and the session is put back as
it was. Text carried through signing in (careers_app/accounts/carried.py) is shown
under the same guard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
CSRF_SESSION_KEY = "csrf_token"  # Flask-WTF's default WTF_CSRF_FIELD_NAME


class SaveWhileOnlyShowing(RuntimeError):
    """A view tried to commit while only showing a form (a bug in that view)."""


def only_showing_the_form() -> bool:
    """True while a view is called only to draw its form with what was typed: after the
    CSRF check refused the post, or to put back text carried through signing in
    (careers_app/accounts/carried.py). Nothing it does may be saved."""
    return has_request_context() and bool(
        g.get("csrf_failed") or g.get("showing_carried_text"))


def _refuse_commit(db_session: Session) -> None:
    if only_showing_the_form():
        raise SaveWhileOnlyShowing(f"{request.endpoint} tried to save while showing a form")


def rerender_refused_post(view: Callable[..., Any]) -> Response | None:
    """The view's page for a refused post, with status 400; None if it cannot be shown
    safely (the view refused the person, redirected, or tried to change something)."""
    from careers_app.extensions import db

    g.csrf_failed = True
    session_before = dict(session)
    try:
        response = current_app.make_response(view(**(request.view_args or {})))
    except SaveWhileOnlyShowing:
        log.error("a view tried to save while showing a refused post: %s", request.endpoint)
        db.session.rollback()
        response = None
    except HTTPException:
        response = None  # 403 or 404: say no more than a bare refusal would
    finally:
        # Nothing the view did to the session (signing in or out) may outlast the
        # refusal, except the CSRF token the form shown back was given when the session
        # had none (after a browser restart): without it that form could never be sent.
        new_token = session.get(CSRF_SESSION_KEY)
        session.clear()
        session.update(session_before)
        if CSRF_SESSION_KEY not in session_before and new_token is not None:
            session[CSRF_SESSION_KEY] = new_token
    if response is None or 300 <= response.status_code < 400:
        return None
    response.status_code = 400
    return response


def init_refused_posts(app: Flask) -> None:
    """Refuse every commit made while a view only shows its form."""
    if not event.contains(Session, "before_commit", _refuse_commit):
        event.listen(Session, "before_commit", _refuse_commit)
