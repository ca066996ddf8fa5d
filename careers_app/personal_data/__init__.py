"""A person's own information: the "Download my data" export (ZIP of JSON, pages, PDFs)."""

from flask import Blueprint

bp = Blueprint("personal_data", __name__, url_prefix="/account")

from careers_app.personal_data import views  # noqa: E402,F401,I001
