from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from careers_app.dashboard import views  # noqa: E402,F401
