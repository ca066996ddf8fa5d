"""Text posted after the session ended is carried through signing in, never lost.

When a form is posted to a signed-in page and nobody is signed in any more (the idle
limit passed, the cookie was removed), the answer is the sign-in page itself, not a
redirect: it says what happened and holds the posted fields as hidden inputs. After
a successful sign-in the original page is shown again with that text filled in and
the notice "Your text has not been saved yet", through the feature's own view: the
view runs with a form that never validates, so nothing is saved until the person
presses its button.

What is carried stays in the page and in the posts: never in the session cookie
(signed, not encrypted) and never in the logs. Passwords and the old CSRF token are
left out.

Whose text it is: when the ended session's account is known (an idle or absolute
limit), the sign-in form carries a signed note of it, and someone signing in to a
different account is not shown the text. When it is unknown (the cookie was removed),
whoever signs in sees it, unsaved, exactly as it was on the screen before.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.ctx import RequestContext
from flask_login import current_user, login_url
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from careers_app.accounts.sessions import ended_session, signed_out_message
from careers_app.extensions import db, login_manager
from careers_app.refused_posts import SaveWhileOnlyShowing
from careers_app.security import is_safe_local_path

log = logging.getLogger(__name__)

PREFIX = "carried:"
TARGET_FIELD = "carried_target"
OWNER_FIELD = "carried_owner"
OWNER_SALT = "careers-app-carried-text-owner"
SIGN_IN_AND_SEE = "Sign in and your text will be shown back to you."
OTHER_ACCOUNT_MESSAGE = (
    "The text typed before you signed in has not been shown: it was written while "
    "another account was signed in."
)
NOT_SHOWN_MESSAGE = "The page you were on cannot be shown, so the text typed there was not kept."
# Headers a browser sends that the page shown after signing in may depend on.
COPIED_HEADERS = ("User-Agent", "Accept", "Accept-Language")


@dataclass(frozen=True)
class CarriedText:
    target: str  # path and query string of the page the form was posted to
    fields: list[tuple[str, str]]
    owner: str  # signed account id of the ended session, or ""
    notice: str


def _carriable(name: str) -> bool:
    return (name != "csrf_token" and "password" not in name.lower()
            and not name.startswith(PREFIX) and name not in (TARGET_FIELD, OWNER_FIELD))


def _owner_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OWNER_SALT)


def _rerenderable(endpoint: str | None) -> bool:
    """Views that act only when their form validates (see forms.rerender_on_csrf_failure)."""
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "rerender_on_csrf_error", False))


def _keep_off_caches() -> None:
    g.private_text_on_page = True


def posted_from_this_site() -> bool:
    """Whether a form post came from one of our own pages.

    Only such posts are carried: a page on another site could otherwise post made-up
    fields (a coach's address on the share form, say) and have them shown, filled in,
    to whoever signs in. Browsers say where a post came from in Sec-Fetch-Site; for one
    that does not, the Origin (or else the Referer) must be this site.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    source = urlsplit(request.headers.get("Origin") or request.referrer or "")
    ours = urlsplit(request.host_url)
    return bool(source.netloc) and (source.scheme, source.netloc) == (ours.scheme, ours.netloc)


def from_ended_post() -> CarriedText | None:
    """The fields of a form posted to a signed-in page after the session ended."""
    if request.method != "POST" or not _rerenderable(request.endpoint):
        return None
    if not posted_from_this_site():
        return None
    query = request.query_string.decode("latin-1")
    target = request.path + (f"?{query}" if query else "")
    if not is_safe_local_path(target):
        return None
    ended = ended_session()
    owner = (_owner_signer().dumps(ended.user_id)
             if ended is not None and ended.user_id is not None else "")
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if _carriable(name)]
    _keep_off_caches()
    why = signed_out_message() or "You were signed out"
    return CarriedText(target, fields, owner, f"{why}. {SIGN_IN_AND_SEE}")


def from_sign_in_form() -> CarriedText | None:
    """The carried fields of a sign-in form posted from the page above."""
    if request.method != "POST" or not posted_from_this_site():
        return None
    target = request.form.get(TARGET_FIELD, "")
    if not is_safe_local_path(target):
        return None
    fields = [(name.removeprefix(PREFIX), value)
              for name, value in request.form.items(multi=True)
              if name.startswith(PREFIX) and _carriable(name.removeprefix(PREFIX))]
    _keep_off_caches()
    return CarriedText(target, fields, request.form.get(OWNER_FIELD, ""),
                       f"You were signed out. {SIGN_IN_AND_SEE}")


def sign_in_required() -> Response:
    """Flask-Login's unauthorized handler: the sign-in page, keeping any posted text."""
    if request.method == "POST" and not posted_from_this_site():
        # Another site's post: no text carried, and nothing written to the session
        # (a new cookie in the answer would sign the person out of their own).
        return redirect(url_for("accounts.sign_in"))
    if request.method == "POST" and TARGET_FIELD in request.form:
        # The sign-in form below posts to the page the text was typed on, so that once
        # signed in the browser is on that page, and its form (often without an action)
        # posts there. The sign-in view does the rest, with its own checks and limits.
        return current_app.view_functions["accounts.sign_in"]()
    carried = from_ended_post()
    if carried is not None:
        from careers_app.accounts.forms import SignInForm

        page = render_template("accounts/sign_in.html", form=SignInForm(formdata=None),
                               carried=carried, prefix=PREFIX)
        # 401, not a redirect: a redirect would turn the post into a GET and drop the text.
        return make_response(page, 401)
    flash(signed_out_message() or login_manager.login_message, "info")
    return redirect(login_url("accounts.sign_in", next_url=request.url))


def _owner_matches(carried: CarriedText) -> bool:
    if not carried.owner:
        return True
    try:
        return _owner_signer().loads(carried.owner) == current_user.id
    except BadSignature:
        return False


def show_after_sign_in(carried: CarriedText) -> Response:
    """The page the text was posted to, with the text filled in and nothing saved."""
    if not _owner_matches(carried):
        flash(OTHER_ACCOUNT_MESSAGE, "info")
        return redirect(url_for("dashboard.index"))
    response = _render_unsaved(carried)
    if response is None:
        flash(NOT_SHOWN_MESSAGE, "info")
        return redirect(url_for("dashboard.index"))
    return response


def _render_unsaved(carried: CarriedText) -> Response | None:
    """Run the target view on the carried fields, in this request's session and user."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    target = urlsplit(carried.target)
    # Flask-WTF caches this request's CSRF token in g, made (by the sign-in form) for
    # the session that signing in has just replaced: the page needs one for the new.
    g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    environ = EnvironBuilder(
        path=target.path, query_string=target.query, method="POST",
        base_url=request.root_url, data=MultiDict(carried.fields),
        headers={name: request.headers[name] for name in COPIED_HEADERS
                 if name in request.headers},
        environ_base={"REMOTE_ADDR": request.remote_addr or ""},
    ).get_environ()
    # The same session (just signed in) and, through the shared app context, the same
    # signed-in account; the view's own URL, arguments and form.
    with RequestContext(app, environ, session=session._get_current_object()):  # type: ignore[attr-defined]
        if request.routing_exception is not None or not _rerenderable(request.endpoint):
            return None
        g.showing_carried_text = True
        try:
            response = app.make_response(app.dispatch_request())
        except HTTPException:
            return None  # this account cannot use that page (404, 403)
        except SaveWhileOnlyShowing:
            log.error("a view tried to save while showing carried text: %s", request.endpoint)
            db.session.rollback()
            return None
        finally:
            g.pop("showing_carried_text", None)
    _keep_off_caches()
    if not 300 <= response.status_code < 400:
        # Not an error: the person has just signed in and their text is on the page.
        response.status_code = 200
    return response


def no_store_carried_text(response: Response) -> Response:
    """Pages holding carried text are never cached, whoever is signed in."""
    if g.get("private_text_on_page"):
        response.headers["Cache-Control"] = "no-store"
    return response
