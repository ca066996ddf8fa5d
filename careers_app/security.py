"""Who may call each view, safe redirects, and the security headers on every response."""

from __future__ import annotations

import enum
import functools
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, abort, g, request
from flask_login import current_user

from careers_app.extensions import login_manager
from careers_app.outage import (
    DATABASE_ERRORS,
    database_is_down,
    is_database_outage,
    mark_database_down,
)

View = TypeVar("View", bound=Callable[..., Any])


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    COACH = "coach"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Every account is a trainee; the others are granted by a coordinator.
GRANTABLE_ROLES = (Role.COACH, Role.FACILITATOR, Role.COORDINATOR)


def public(view: View) -> View:
    """Declare that anyone, signed in or not, may call this view."""
    view.access = "public"  # type: ignore[attr-defined]
    return view


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Declare that only signed-in people holding one of ``roles`` may call this view.

    Anonymous people are sent to sign in (a JSON request gets 401, so a page saving in
    the background keeps its text); signed-in people without the role get 403.
    """
    if not roles:
        raise ValueError("roles_required needs at least one role")

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.is_json or request.accept_mimetypes.best == "application/json":
                    abort(401)
                return login_manager.unauthorized()
            if not current_user.has_any_role(roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.access = frozenset(roles)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def is_safe_local_path(target: str | None) -> bool:
    """True only for a path on this site: one leading slash, no scheme, host or backslash.

    The check is repeated on the percent-decoded form, so "/%2F/evil.example" and
    "/%09/evil.example" are refused like their decoded twins.
    """
    if not target:
        return False
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return False
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in form):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def csp_nonce() -> str:
    """A per-response nonce for the one inline script the NHS.UK page template needs."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            "style-src 'self'",
            "img-src 'self' data:",
            # The NHS.UK stylesheet loads the Frutiger web font from the NHS asset host.
            "font-src 'self' https://assets.nhs.uk",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def viewer_is_signed_in() -> bool:
    """Whether the person viewing is signed in, without touching a database known to be down.

    Asking loads the account; if the database cannot answer, the rest of the request
    carries on as signed out (this runs in after_request too, where raising would turn
    any response into a 500).
    """
    if database_is_down():
        return False
    try:
        return bool(current_user.is_authenticated)
    except DATABASE_ERRORS as error:
        if not is_database_outage(error):
            raise
        mark_database_down()
        return False


# Stylesheets, scripts and images: files that are the same for everyone.
PUBLIC_FILE_ENDPOINTS = frozenset({"static", "design_system_asset"})


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries, whatever produced it."""
    headers = response.headers
    headers["Content-Security-Policy"] = _content_security_policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # same-origin: our own pages send the Referer that Flask-WTF's HTTPS check needs,
    # while other sites never learn which page (a share, an application) linked to them.
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint in PUBLIC_FILE_ENDPOINTS:
        # The same file for everyone: no need to load the account (a query per file,
        # and a connect timeout per file while the database is down).
        return response
    # Pages for a signed-in person may hold their private writing: never keep a copy.
    if viewer_is_signed_in() or response.status_code >= 500 or database_is_down():
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Cookie"
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals.update(csp_nonce=csp_nonce, viewer_is_signed_in=viewer_is_signed_in)
