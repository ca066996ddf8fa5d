"""Configuration checks, the health check, error pages and the database schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from careers_app.config import ConfigurationError
from careers_app.extensions import db
from tests.conftest import app_on_an_empty_database, build_app
from tests.redis_databases import redis_url

STRONG_SECRET = "Zq3v8LmP0xR7tY2wK9nB4cD6fG1hJ5sA"


def production_app(database_url, monkeypatch, **overrides):
    monkeypatch.setenv("APP_ENV", "production")
    settings = {"SECRET_KEY": STRONG_SECRET, "MAIL_BACKEND": "smtp",
                "SESSION_COOKIE_SECURE": True, "DEBUG": False,
                "RATELIMIT_STORAGE_URI": redis_url("test_platform"),
                "EXTERNAL_URL": "https://careers.test", "TRUSTED_HOSTS": ["careers.test"],
                "SUPPORT_EMAIL": "careers-unit@careers.test"}
    settings.update(overrides)
    return build_app(database_url, **settings)


def test_production_starts_with_safe_settings(database_url, monkeypatch):
    assert production_app(database_url, monkeypatch).config["APP_ENV"] == "production"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"SECRET_KEY": "dev"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "a" * 64}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"DEBUG": True}, "FLASK_DEBUG is on"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE is off"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "REDIS_URL is not set"),
        ({"EXTERNAL_URL": ""}, "EXTERNAL_URL must be the service's https:// address"),
        ({"EXTERNAL_URL": "http://careers.test"}, "EXTERNAL_URL must be the service's https"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS is empty"),
    ],
)
def test_production_refuses_unsafe_settings(database_url, monkeypatch, overrides, reason):
    with pytest.raises(ConfigurationError, match=reason):
        production_app(database_url, monkeypatch, **overrides)


def test_production_without_secret_in_environment_refuses(monkeypatch, tmp_path):
    from careers_app.config import check_production, load_config

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        check_production(load_config(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_secret_once(monkeypatch, tmp_path):
    from careers_app.config import load_config

    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32
    assert load_config(tmp_path)["SECRET_KEY"] == first


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    # The suite runs jobs in immediate mode: there is no worker to report on.
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "immediate",
                                   "worker_heartbeat_age_seconds": None}


def test_healthz_gives_503_when_database_is_unreachable():
    app = build_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_pages_give_503_without_stack_trace_when_database_is_unreachable(make_user):
    app = build_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().post(
        "/account/sign-in", data={"email": "a@example.org", "password": "whatever it is"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page
    assert "Traceback" not in page and "psycopg" not in page


def test_unexpected_error_gives_500_page_without_details(app, client):
    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    boom.access = "public"
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page


def test_not_found_page_uses_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert "nhsuk-header" in page


def test_design_system_assets_are_served(client):
    css = client.get("/static/vendor/nhsuk-frontend/nhsuk-frontend.min.css")
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    css.close()
    image = client.get("/assets/images/nhsuk-icon-arrow-down.svg")
    assert image.status_code == 200
    image.close()


def test_migrations_produce_the_same_schema_as_the_models(tmp_path, database_url):
    with app_on_an_empty_database(database_url, tmp_path):
        upgrade()
        _assert_no_schema_difference()


def _assert_no_schema_difference() -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        assert "alembic_version" in inspect(connection).get_table_names()
