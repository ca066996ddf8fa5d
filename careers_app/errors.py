"""Error pages in the service layout, never a stack trace; JSON for JSON callers."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from careers_app.extensions import db, login_manager
from careers_app.refused_posts import init_refused_posts, rerender_refused_post
from careers_app.security import viewer_is_signed_in

log = logging.getLogger(__name__)

PAGES = {403: "errors/403.html", 404: "errors/404.html", 413: "errors/413.html",
         429: "errors/429.html", 500: "errors/500.html", 503: "errors/503.html"}


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _error_response(status: int, description: str = "") -> Response | tuple[Response, int]:
    if _wants_json():
        return jsonify({"error": description or str(status)}), status
    template = PAGES.get(status, "errors/generic.html")
    return Response(render_template(template, status=status), status=status)


def handle_http_error(error: HTTPException) -> Response | tuple[Response, int]:
    # Redirects, and errors that carry their own page (the sign-in throttle's), pass through.
    if error.response is not None or error.code is None or 300 <= error.code < 400:
        return error.get_response()
    return _error_response(error.code, error.name)


def handle_csrf_error(error: CSRFError) -> Response | tuple[Response, int]:
    """Re-show the form with what was typed, instead of a bare 400 that loses it.

    The view is called again only to draw its form (see careers_app/refused_posts.py):
    nothing it does lasts, and the page explains what happened.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    if _wants_json() and not viewer_is_signed_in() and getattr(view, "access", None) != "public":
        # The session has ended: say so, rather than blame the token that went with it.
        return _error_response(401, "Your session has ended: sign in again")
    if getattr(view, "access", "public") != "public" and not viewer_is_signed_in():
        # The token went with the session: the sign-in page, which keeps what was typed.
        return login_manager.unauthorized()
    if _wants_json() or not getattr(view, "rerender_on_csrf_error", False):
        return _error_response(400, "The security token was missing or did not match")
    response = rerender_refused_post(view)
    if response is None:
        return _error_response(400, "The security token was missing or did not match")
    return response


def handle_database_unavailable(error: OperationalError) -> Response | tuple[Response, int]:
    log.error("database unavailable: %s", type(error.orig).__name__ if error.orig else error)
    db.session.rollback()
    g.database_down = True  # render the page without looking up who is signed in
    response = _error_response(503, "The service is temporarily unavailable")
    if isinstance(response, tuple):
        response[0].headers["Retry-After"] = "30"
    else:
        response.headers["Retry-After"] = "30"
    return response


def handle_unexpected_error(error: Exception) -> Response | tuple[Response, int]:
    # Only the exception type and route are logged: the request may hold private writing.
    log.exception("unhandled %s on %s", type(error).__name__, request.endpoint)
    return _error_response(500, "Something went wrong")


def init_errors(app: Flask) -> None:
    init_refused_posts(app)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
