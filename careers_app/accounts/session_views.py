"""The two small endpoints behind the "you will be signed out soon" warning.

``static/js/session-timeout.js`` warns two minutes before the idle limit; "Stay signed
in" posts to ``extend`` (the X-CSRFToken header as for autosave), which counts as
activity. ``status`` tells a page how long is left without counting as activity itself,
so asking never keeps a session alive. Both answer 401 JSON once signed out.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response, current_app, jsonify
from flask_login import current_user

from careers_app.accounts import bp
from careers_app.accounts.carried import (
    no_store_carried_text,
    sign_in_required,
)
from careers_app.accounts.sessions import (
    absolute_seconds_left,
    ends_at,
    idle_seconds,
    load_signed_in_user,
    seconds_left,
    touch,
)
from careers_app.extensions import login_manager
from careers_app.security import Role, roles_required, viewer_is_signed_in

# The warning appears this long before the session ends (WCAG 2.2.1 asks for 20 s at least).
WARN_SECONDS = 120


def _expiry() -> Response:
    moment = dt.datetime.fromtimestamp(ends_at(), dt.UTC)
    return jsonify(seconds_left=seconds_left(), expires_at=moment.isoformat())


@bp.post("/session/extend")
@roles_required(Role.TRAINEE)
def extend_session() -> Response:
    touch(force=True)
    return _expiry()


@bp.get("/session")
@roles_required(Role.TRAINEE)
def session_status() -> Response:
    return _expiry()


def session_timing() -> dict[str, int] | None:
    """What the page's warning needs, for signed-in people only."""
    if not viewer_is_signed_in() or not current_user.is_authenticated:
        return None
    return {"seconds_left": seconds_left(), "idle_seconds": idle_seconds(),
            "warn_seconds": WARN_SECONDS, "absolute_seconds_left": absolute_seconds_left(),
            "idle_minutes": current_app.config["SESSION_IDLE_MINUTES"],
            "max_hours": current_app.config["SESSION_MAX_HOURS"]}


def init_sessions(app: Flask) -> None:
    """Session limits and carried text: see sessions.py and carried.py."""
    login_manager.user_loader(load_signed_in_user)
    login_manager.unauthorized_handler(sign_in_required)
    # Saves while carried text is shown are refused with refused posts' (errors.py).
    app.after_request(no_store_carried_text)
    app.jinja_env.globals["session_timing"] = session_timing
