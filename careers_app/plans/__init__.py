from flask import Blueprint

bp = Blueprint("plans", __name__)

from careers_app.plans import choice_views, coach_views, views  # noqa: E402,F401
