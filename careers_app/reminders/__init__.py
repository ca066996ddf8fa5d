from flask import Blueprint

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

from careers_app.reminders import views  # noqa: E402,F401
