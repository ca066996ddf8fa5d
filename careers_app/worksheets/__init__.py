from flask import Blueprint

bp = Blueprint("worksheets", __name__, url_prefix="/modules")

from careers_app.worksheets import views  # noqa: E402,F401
