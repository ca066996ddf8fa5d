"""Stopping a kind of reminder from the link at the end of each one, without signing in.

A GET only shows the question: mail scanners and link previews open links, and opening
one must not stop anybody's emails. The POST (the button) records the choice.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.forms import rerender_on_csrf_failure
from careers_app.reminders import bp, preferences
from careers_app.reminders.forms import UnsubscribeForm
from careers_app.reminders.tokens import read_token
from careers_app.security import public


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def unsubscribe(token: str) -> str | Response | tuple[str, int]:
    found = read_token(token)
    # An altered or made-up link, or one for an account since deleted: a clear page.
    if found is None or db.session.get(User, found.user_id) is None:
        return render_template("reminders/link_not_working.html"), 404
    form = UnsubscribeForm()
    if form.validate_on_submit():
        preferences.stop(found.user_id, found.kind)
        flash(f"You will no longer get {found.kind.stop_what}.", "success")
        return redirect(url_for("reminders.unsubscribe", token=token))
    stopped = found.kind in preferences.opted_out(found.user_id)
    return render_template("reminders/unsubscribe.html", form=form, kind=found.kind,
                           stopped=stopped)
