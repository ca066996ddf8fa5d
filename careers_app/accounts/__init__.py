from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from careers_app.accounts import registration_views, session_views, views  # noqa: E402,F401,I001
from careers_app.accounts import recent_password  # noqa: E402,F401,I001
