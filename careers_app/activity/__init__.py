"""The trainee's page "Who has seen your information": their audit log in plain words."""

from flask import Blueprint

bp = Blueprint("activity", __name__, url_prefix="/account")

from careers_app.activity import views  # noqa: E402,F401
