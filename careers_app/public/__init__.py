from flask import Blueprint

bp = Blueprint("public", __name__)

from careers_app.public import views  # noqa: E402,F401
