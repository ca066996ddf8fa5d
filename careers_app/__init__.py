"""careers_app: self-directed career planning for NHS postgraduate trainees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from careers_app.config import PROJECT_ROOT, check_production, load_config
from careers_app.content.glossary import load_glossary
from careers_app.content.loader import cached_registry
from careers_app.jsonbody import RequestJSONProvider
from careers_app.logs import init_logging

SERVICE_NAME = "Plan your NHS career"


class DatabaseId(IntegerConverter):
    """A row id in a URL: a positive integer that fits the database's integer column.

    Werkzeug's int converter takes any size, and an id past 2**63 makes the database
    driver fail instead of finding nothing; such a URL now simply matches no route.
    """

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=2**31 - 1)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``overrides`` replace settings (tests use this)."""
    # Imported here, as the other parts are: importing the package (the PDF child does)
    # must stay light.
    from careers_app.jinja import FlatGlobalsEnvironment

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.jinja_environment = FlatGlobalsEnvironment  # before anything creates app.jinja_env
    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(overrides or {})
    app.config["SERVICE_NAME"] = SERVICE_NAME
    app.json = RequestJSONProvider(app)
    check_production(app.config)
    app.debug = bool(app.config["DEBUG"])
    init_logging(app)

    if app.config["PROXY_FIX_X_FOR"] or app.config["PROXY_FIX_X_PROTO"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=app.config["PROXY_FIX_X_FOR"],
            x_proto=app.config["PROXY_FIX_X_PROTO"],
        )

    # Content is checked before anything is served: a broken module stops start-up.
    app.extensions["modules"] = cached_registry(Path(app.config["MODULES_DIR"]))
    app.extensions["glossary"] = load_glossary(Path(app.config["MODULES_DIR"]))
    _init_extensions(app)
    app.url_map.converters["id"] = DatabaseId
    _register_blueprints(app)

    from careers_app.cli import init_cli
    from careers_app.errors import init_errors
    from careers_app.fragments import init_fragments
    from careers_app.jinja import init_jinja
    from careers_app.kept_macros import init_kept_macros
    from careers_app.navigation import init_navigation
    from careers_app.security import init_security

    init_jinja(app)
    init_fragments(app)
    init_kept_macros(app)
    init_navigation(app)
    init_security(app)
    init_errors(app)
    init_cli(app)
    _serve_design_system_assets(app)
    return app


def _init_extensions(app: Flask) -> None:
    from careers_app.accounts.session_views import init_sessions
    from careers_app.db import engine_options
    from careers_app.extensions import csrf, db, login_manager, migrate
    from careers_app.throttling import init_throttle

    # Time limits per driver, from the final database URL (overrides included).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    init_throttle(app)
    from careers_app.jobs import init_jobs

    init_jobs(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    # The account from the session's token, within the idle and absolute limits.
    init_sessions(app)


def _register_blueprints(app: Flask) -> None:
    from careers_app.account_deletion import bp as account_deletion_bp
    from careers_app.account_deletion.retention import init_retention
    from careers_app.accounts import bp as accounts_bp
    from careers_app.activity import bp as activity_bp
    from careers_app.admin import bp as admin_bp
    from careers_app.coaching import bp as coaching_bp
    from careers_app.dashboard import bp as dashboard_bp
    from careers_app.personal_data import bp as personal_data_bp
    from careers_app.plans import bp as plans_bp
    from careers_app.public import bp as public_bp
    from careers_app.reading import init_reading
    from careers_app.reminders import bp as reminders_bp
    from careers_app.worksheets import bp as worksheets_bp
    from careers_app.worksheets.field_inputs import init_field_inputs
    from careers_app.worksheets.presenters import init_presenters
    from careers_app.workshops import bp as workshops_bp

    for blueprint in (public_bp, accounts_bp, dashboard_bp, worksheets_bp, plans_bp,
                      coaching_bp, workshops_bp, admin_bp, reminders_bp, activity_bp,
                      personal_data_bp, account_deletion_bp):
        app.register_blueprint(blueprint)
    init_retention(app)
    init_presenters(app)
    init_field_inputs(app)
    init_reading(app)


def _serve_design_system_assets(app: Flask) -> None:
    """The NHS.UK stylesheet refers to /assets/images/...; serve the npm package's assets."""
    from flask import send_from_directory

    from careers_app.security import public

    assets = PROJECT_ROOT / "static" / "vendor" / "nhsuk-frontend" / "assets"

    @public
    def design_system_asset(filename: str):  # type: ignore[no-untyped-def]
        return send_from_directory(assets, filename, max_age=86400)

    app.add_url_rule("/assets/<path:filename>", view_func=design_system_asset)
