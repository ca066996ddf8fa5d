from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops")

from careers_app.workshops import facilitator_views, member_views  # noqa: E402,F401
