from flask import Blueprint

bp = Blueprint("plans", __name__)

from careers_app.plans import coach_views, views  # noqa: E402,F401
