"""Declarative base, SQLite connection settings and time helpers."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from careers_app.sqlite_writers import QueuedWriterConnection, join_queue

# libpq counts its connect timeout in whole seconds and takes nothing below 2.
MIN_CONNECT_TIMEOUT = 2

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite keeps no timezone, so without this a value read back would be naive and
    could not be compared with ``utcnow()``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use careers_app.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLAlchemy engine options for the configured database, with its time limits.

    Built from the final URL (after any test overrides), since each driver takes its own
    connect arguments. Without limits, a PostgreSQL that accepts connections and never
    answers holds a request for psycopg's default 130 s, past gunicorn's worker timeout,
    and the person gets a bare 502 instead of the 503 page. Limits already written in
    the URL's query string are kept.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    connect_args = dict(options.get("connect_args") or {})
    backend = url.get_backend_name()
    if backend == "postgresql":
        connect_seconds = max(MIN_CONNECT_TIMEOUT,
                              math.ceil(float(config["DATABASE_CONNECT_TIMEOUT"])))
        if "connect_timeout" not in url.query:
            connect_args.setdefault("connect_timeout", connect_seconds)
        # Sent with the connection's startup packet, so no extra round trip per request;
        # an option given in the URL comes later and wins.
        statement_ms = round(float(config["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
        own = f"-c statement_timeout={statement_ms}"
        given = url.query.get("options")
        connect_args.setdefault("options", f"{own} {given}" if isinstance(given, str) else own)
        # Waiting for a pooled connection is bounded like connecting (SQLAlchemy waits 30 s).
        options.setdefault("pool_timeout", connect_seconds)
    elif backend == "sqlite":
        # Python's sqlite3 sets SQLite's busy timeout from this: how long a write waits
        # for another connection's lock before "database is locked".
        connect_args.setdefault("timeout", float(config["DATABASE_BUSY_TIMEOUT"]))
        # Writers take turns through a file lock (careers_app/sqlite_writers.py).
        connect_args.setdefault("factory", QueuedWriterConnection)
    if connect_args:
        options["connect_args"] = connect_args
    return options


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: object, connection_record: object) -> None:
    """WAL lets readers and a writer work at once; foreign keys are off by default in
    SQLite. The busy timeout comes from ``engine_options`` (sqlite3's ``timeout``)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    if isinstance(dbapi_connection, QueuedWriterConnection):
        join_queue(dbapi_connection)
