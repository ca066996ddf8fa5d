"""The SQL statements the app sends, recorded for tests that bound or compare them.

A fixed number of statements a page, whatever the database holds, is how the suite keeps
pages free of N+1 queries; the same record shows which statements a request ran.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from careers_app.extensions import db


@contextlib.contextmanager
def recorded_statements(app: Any) -> Iterator[list[str]]:
    """Each statement's SQL, in order, sent on any of the app's connections in the block."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_queries(app: Any, client: Any, url: str) -> int:
    """How many statements a GET of ``url`` runs; the page must answer 200."""
    with recorded_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)
