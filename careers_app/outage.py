"""When the database cannot answer: which errors mean that, and what a refused form shows.

An outage is any error that says the database could not be reached or could not do
the work in time: a refused or timed-out connection, a connection that died, a pool
with no free connection, a statement cancelled by PostgreSQL's statement timeout, or
SQLite's "database is locked". Other database errors (a constraint, a bad query) are
bugs and stay 500s.

Once a request has met an outage, nothing else in it may ask the database again:
Flask-Login puts ``current_user`` into every template's context, which loads the
account, so the error page itself would fail and become a 500 with a stack trace.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from flask import current_app, g, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from careers_app.extensions import db, login_manager

log = logging.getLogger(__name__)

# Registered with the error handlers; ``is_database_outage`` then sorts outages from bugs.
DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, PoolTimeoutError)

# Posted names that are bookkeeping or secrets, never shown back.
_HIDDEN_NAMES = frozenset({"csrf_token", "version", "action", "revision",
                           "carried_target", "carried_owner"})
_SECRET_NAME = re.compile(r"password|token|secret", re.IGNORECASE)
# Input names of worksheet fields: the field id, then "--" and the part (see formdata.py).
_PART_SEPARATOR = "--"


@dataclass(frozen=True)
class RefusedField:
    label: str
    value: str


def is_database_outage(error: BaseException) -> bool:
    """True when ``error`` means the database is unreachable, locked or too slow."""
    if isinstance(error, PoolTimeoutError):
        return True
    if isinstance(error, DBAPIError):
        return bool(error.connection_invalidated) or isinstance(
            error, (OperationalError, InterfaceError)
        )
    return False


def database_is_down() -> bool:
    """Whether this request has already met an outage."""
    return bool(g.get("database_down"))


def mark_database_down() -> None:
    """Make the rest of this request work without the database.

    The signed-in account cannot be loaded, so the request carries on as anonymous:
    Flask-Login keeps the current user in ``g._login_user`` and, finding one there,
    never calls the user loader again.
    """
    g.database_down = True
    g._login_user = login_manager.anonymous_user()
    try:
        db.session.rollback()
    except DATABASE_ERRORS:
        # The connection is already gone; the pool discards it on return.
        log.info("rollback after a database outage failed; the connection is discarded")


def _humanise(name: str) -> str:
    words = re.sub(r"[_-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def _worksheet_labels() -> dict[str, str]:
    """The question labels of the worksheet step being posted, by field id."""
    args = request.view_args or {}
    slug, step_id = args.get("slug"), args.get("step_id")
    if not isinstance(slug, str) or not isinstance(step_id, str):
        return {}
    module = current_app.extensions["modules"].get(slug)
    step = module.step(step_id) if module is not None else None
    if step is None:
        return {}
    return {spec.id: spec.label for spec in step.fields}


def _label(name: str, labels: dict[str, str]) -> str:
    field_id, *parts = name.split(_PART_SEPARATOR)
    label = labels.get(field_id) or _humanise(field_id)
    if not parts:
        return label
    described = [f"row {int(part) + 1}" if part.isdigit() else _humanise(part) for part in parts]
    return f"{label} ({', '.join(described)})"


def refused_form_fields() -> list[RefusedField]:
    """What the person typed into the form post that could not be saved, to copy it.

    Bookkeeping fields, passwords and empty fields are left out. These values are
    shown back to the person who sent them and never logged.
    """
    labels = _worksheet_labels()
    fields = []
    for name in request.form:
        # Text carried through signing in arrives as "carried:<field>" beside the
        # target page and whose it was: show the field, not the bookkeeping.
        shown_name = name.removeprefix("carried:")
        if (shown_name in _HIDDEN_NAMES or _SECRET_NAME.search(shown_name)
                or shown_name.endswith("--rows")):
            continue
        value = "\n".join(v for v in request.form.getlist(name) if v.strip())
        if value:
            fields.append(RefusedField(_label(shown_name, labels), value))
    return fields
