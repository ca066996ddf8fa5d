"""Error pages in the service layout, never a stack trace; JSON for JSON callers."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from careers_app.extensions import login_manager
from careers_app.outage import (
    DATABASE_ERRORS,
    database_is_down,
    is_database_outage,
    mark_database_down,
    refused_form_fields,
)
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
    try:
        return Response(render_template(template, status=status), status=status)
    except DATABASE_ERRORS as error:
        # Drawing the page asked who is signed in, and the database did not answer.
        if status == 503:
            raise
        return handle_database_unavailable(error)


# Said by the 413 page too (templates/errors/413.html); the autosave shows it in its status.
TOO_LARGE_MESSAGE = ("What you sent was larger than this service accepts in one go. "
                     "Shorten the longest answers and try again")


def handle_http_error(error: HTTPException) -> Response | tuple[Response, int]:
    # Redirects, and errors that carry their own page (the sign-in throttle's), pass through.
    if error.response is not None or error.code is None or 300 <= error.code < 400:
        return error.get_response()
    if error.code == 413 and _wants_json():
        return jsonify({"error": TOO_LARGE_MESSAGE, "errors": {"request": TOO_LARGE_MESSAGE}}), 413
    return _error_response(error.code, error.name)


def handle_untrusted_host(error: SecurityError) -> Response:
    # No page in the layout: without a trusted host no URL can be built for it.
    return Response("This address is not served here.\n", status=400, mimetype="text/plain")


def handle_csrf_error(error: CSRFError) -> Response | tuple[Response, int]:
    """Re-show the form with what was typed, instead of a bare 400 that loses it.

    The view is called again only to draw its form (see careers_app/refused_posts.py):
    nothing it does lasts, and the page explains what happened.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    viewer_is_signed_in()  # when the database cannot say, answer 503, not "signed out"
    if database_is_down():
        return _database_unavailable_response()
    if _wants_json() and not viewer_is_signed_in() and getattr(view, "access", None) != "public":
        # The session has ended: say so, rather than blame the token that went with it.
        return _error_response(401, "Your session has ended: sign in again")
    if getattr(view, "access", "public") != "public" and not viewer_is_signed_in():
        # The token went with the session: the sign-in page, which keeps what was typed.
        return login_manager.unauthorized()
    if _wants_json() or not getattr(view, "rerender_on_csrf_error", False):
        return _error_response(400, "The security token was missing or did not match")
    try:
        response = rerender_refused_post(view)
    except DATABASE_ERRORS as db_error:
        return handle_database_unavailable(db_error)
    if response is None:
        return _error_response(400, "The security token was missing or did not match")
    return response


def handle_database_unavailable(error: Exception) -> Response | tuple[Response, int]:
    """503 with Retry-After for an outage (careers_app/outage.py); other database errors
    are bugs and get the 500 page."""
    if not is_database_outage(error):
        return handle_unexpected_error(error)
    # The type only: the message of a failed statement may quote it.
    cause = getattr(error, "orig", None) or error
    log.error("database unavailable: %s on %s", type(cause).__name__, request.endpoint)
    mark_database_down()
    return _database_unavailable_response()


def _database_unavailable_response() -> Response | tuple[Response, int]:
    if request.method == "POST" and not _wants_json():
        # What the person typed is shown back to copy, since nothing was saved.
        page = render_template("errors/503_not_saved.html", fields=refused_form_fields())
        response: Response | tuple[Response, int] = Response(page, status=503)
    else:
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
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    for error_class in DATABASE_ERRORS:
        app.register_error_handler(error_class, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
