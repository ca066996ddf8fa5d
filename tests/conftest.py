"""Shared fixtures: an app per test on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, text

os.environ["APP_ENV"] = "test"

from careers_app import create_app  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_account  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--stack", action="store_true", default=False,
        help="run the browser tests over HTTPS against the production-shaped stack "
             "(deploy/prod_like.py: nginx, two gunicorn instances, PostgreSQL, Redis)",
    )


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Run with ``-n`` (``make test``): see tests/suite_processes.py."""
    from tests.suite_processes import BrowserTestsTogether

    return BrowserTestsTogether(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out (not skip: a run under CI must skip nothing) the tests of PostgreSQL's own
    behaviour when the suite runs on SQLite."""
    if os.environ.get("TEST_DATABASE_URL", "").strip().startswith("postgresql"):
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql_only")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


_built_apps: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close the pooled connections of every app a test built, so none outlive it."""
    yield
    while _built_apps:
        built = _built_apps.pop()
        with built.app_context():
            db.session.remove()
            if "sqlalchemy" in built.extensions:
                db.engine.dispose()


def build_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "MAIL_BACKEND": "memory",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "careers.test",
        "EXTERNAL_URL": "https://careers.test",
    }
    config.update(overrides)
    built = create_app(config)
    _built_apps.append(built)
    return built


def _empty_all_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


@contextlib.contextmanager
def fresh_app(database_url: str, **settings: object) -> Iterator[Flask]:
    """An app with these settings on empty tables, emptied again afterwards."""
    app = build_app(database_url, **settings)
    with app.app_context():
        db.create_all()
        _empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    with fresh_app(database_url) as app:
        yield app


@pytest.fixture
def csrf_app(app: Flask) -> Flask:
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Create an account: make_user("a@example.org", roles=(Role.COACH,))."""

    def make(email: str = "trainee@example.org", **kwargs: object):  # type: ignore[no-untyped-def]
        with app.app_context():
            user = make_account(email, **kwargs)
            db.session.refresh(user)  # load every column before detaching it
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def sign_in(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Sign the test client in through the real form."""

    def do_sign_in(email: str, password: str = DEFAULT_PASSWORD, test_client=None):  # type: ignore[no-untyped-def]
        chosen = test_client or client
        response = chosen.post(
            "/account/sign-in", data={"email": email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_sign_in


@pytest.fixture
def trainee(make_user, sign_in):  # type: ignore[no-untyped-def]
    """A trainee with no answers yet, signed in on ``client``."""
    user = make_user("trainee@example.org")
    sign_in("trainee@example.org")
    return user


@contextlib.contextmanager
def logging_preserved() -> Iterator[None]:
    """Undo what Alembic's env.py does to logging (``fileConfig`` in alembic.ini).

    ``fileConfig`` replaces the root handlers and level and disables every logger
    it does not name, which would silence the app's loggers for every later test.
    """
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    loggers = {
        name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.handlers[:] = root_handlers
        root.setLevel(root_level)
        for name, logger in logging.root.manager.loggerDict.items():
            if not isinstance(logger, logging.Logger):
                continue
            if name in loggers:
                logger.disabled, level, handlers, logger.propagate = loggers[name]
                logger.setLevel(level)
                logger.handlers[:] = handlers
            else:  # created by fileConfig (alembic, flask_migrate, sqlalchemy.engine)
                logger.handlers.clear()
                logger.setLevel(logging.NOTSET)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@contextlib.contextmanager
def app_on_an_empty_database(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app, in its context, on a database with no tables, of the kind the suite runs on,
    for a test that migrates it: a SQLite file of its own, or a PostgreSQL schema of its
    own (dropped afterwards) so the suite's tables stay untouched."""
    if database_url.startswith("sqlite"):
        app = build_app(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
        with logging_preserved(), app.app_context():
            yield app
        return
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_check"))
    try:
        app = build_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={
            "connect_args": {"options": "-csearch_path=migration_check"}})
        with logging_preserved(), app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA migration_check CASCADE"))
        engine.dispose()
