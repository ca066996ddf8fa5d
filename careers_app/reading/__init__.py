"""Reading preferences: text size, spacing, typeface, colours and motion, for every page
and the plan PDF. Chosen on /account/reading, kept on the account (or in a cookie before
signing in), and applied from the server's first byte as attributes of <html>."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, has_request_context, request
from flask_login import user_logged_in, user_logged_out
from werkzeug.wrappers import Response

bp = Blueprint("reading", __name__, url_prefix="/account")


def _signed_in(_app: Flask, user: Any, **_: Any) -> None:
    from careers_app.reading.cookie import from_cookie
    from careers_app.reading.service import adopt_at_sign_in, forget_page_preferences

    if not has_request_context():
        return
    adopt_at_sign_in(user, from_cookie())
    forget_page_preferences()
    g.reading_forget_cookie = True


def _signed_out(_app: Flask, user: Any, **_: Any) -> None:
    from careers_app.reading.service import forget_page_preferences

    if has_request_context():
        forget_page_preferences()
        g.reading_forget_cookie = True


def _forget_cookie(response: Response) -> Response:
    from careers_app.reading.cookie import cookie_name, forget_cookie

    # The account holds the choice from sign-in on; after sign-out nobody's does. Only a
    # cookie the browser sent is removed: a sign-in response otherwise carries a second
    # Set-Cookie header that clients reading only the first one take for the session.
    if g.get("reading_forget_cookie") and cookie_name() in request.cookies:
        forget_cookie(response)
    return response


def init_reading(app: Flask) -> None:
    from careers_app.reading.service import page_preferences

    app.register_blueprint(bp)
    user_logged_in.connect(_signed_in, app)
    user_logged_out.connect(_signed_out, app)
    app.after_request(_forget_cookie)
    app.jinja_env.globals["reading_preferences"] = page_preferences


from careers_app.reading import views  # noqa: E402,F401
