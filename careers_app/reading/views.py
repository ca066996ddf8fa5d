"""/account/reading: choose text size, spacing, typeface, colours and motion."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from careers_app.forms import rerender_on_csrf_failure
from careers_app.reading import bp
from careers_app.reading.cookie import write_cookie
from careers_app.reading.forms import ReadingPreferencesForm
from careers_app.reading.service import page_preferences, save_preferences
from careers_app.security import public, viewer_is_signed_in


@bp.route("/reading", methods=["GET", "POST"])
@public
@rerender_on_csrf_failure
def preferences() -> str | Response:
    form = ReadingPreferencesForm(data=page_preferences().as_dict())
    if form.validate_on_submit():
        chosen = form.chosen()
        response = redirect(url_for("reading.preferences"))
        if viewer_is_signed_in():
            save_preferences(current_user, chosen)
        else:
            write_cookie(response, chosen)
        flash("Your reading preferences have been saved.", "success")
        return response
    return render_template("reading/preferences.html", form=form,
                           signed_in=viewer_is_signed_in())
