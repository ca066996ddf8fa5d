"""The signed-out copy of the reading preferences, in a cookie signed with SECRET_KEY.

The cookie holds the choice of someone not signed in. Signing in moves it to the account
(careers_app/reading/service.py) and removes it; signing out removes it too, so on a
shared computer the next person starts from the standard settings.
"""

from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from careers_app.reading.preferences import DEFAULT, ReadingPreferences

# A year: the choice is a reader's, not a session's.
MAX_AGE = 365 * 24 * 3600
SALT = "reading-preferences"


def cookie_name() -> str:
    # Over HTTPS the __Host- prefix stops any other site on the domain from setting it.
    return "__Host-reading" if current_app.config["SESSION_COOKIE_SECURE"] else "reading"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def from_cookie() -> ReadingPreferences | None:
    """The preferences in this request's cookie; None without one, the defaults for a
    cookie that was tampered with or cannot be read."""
    value = request.cookies.get(cookie_name())
    if value is None:
        return None
    if len(value) > 400:
        return DEFAULT
    try:
        stored = _serializer().loads(value)
    except BadSignature:
        return DEFAULT
    return ReadingPreferences.from_mapping(stored)


def write_cookie(response: Response, preferences: ReadingPreferences) -> None:
    if preferences.is_default:
        forget_cookie(response)
        return
    response.set_cookie(
        cookie_name(), _serializer().dumps(preferences.as_dict()), max_age=MAX_AGE, path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")


def forget_cookie(response: Response) -> None:
    response.delete_cookie(cookie_name(), path="/",
                           secure=current_app.config["SESSION_COOKIE_SECURE"],
                           httponly=True, samesite="Lax")
