"""Deleting an account: by its owner, by a coordinator on request, or after long inactivity.

``rows.py`` finds every row that belongs to a person by walking the foreign keys in the
metadata; ``service.py`` keeps the anonymous coaching figures, cancels what must be
cancelled and deletes; ``retention.py`` warns and deletes inactive accounts.
"""

from flask import Blueprint

bp = Blueprint("account_deletion", __name__)

from careers_app.account_deletion import views  # noqa: E402,F401,I001
