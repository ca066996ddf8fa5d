"""Information pages anyone can read, and the health check."""

from __future__ import annotations

from flask import current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from careers_app.extensions import db
from careers_app.jobs import queue_health
from careers_app.outage import mark_database_down
from careers_app.public import bp
from careers_app.security import public


@bp.get("/")
@public
def home() -> str:
    return render_template("public/home.html")


@bp.get("/eligibility")
@public
def eligibility() -> str:
    return render_template("public/eligibility.html")


@bp.get("/support")
@public
def support() -> str:
    return render_template("public/support.html")


@bp.get("/accessibility")
@public
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/glossary")
@public
def glossary() -> str:
    return render_template("public/glossary.html", terms=current_app.extensions["glossary"])


@bp.get("/privacy")
@public
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.get("/healthz")
@public
def healthz():  # type: ignore[no-untyped-def]
    """200 when the application and its database answer; 503 otherwise.

    The load balancer reads the status only, and the queue does not change it: an
    instance whose queue is down still saves changes (their emails wait in the outbox),
    so taking it out of service would help nobody. The body says how the queue is and
    how many seconds ago a worker last wrote its heartbeat (once a minute), for
    monitoring to alert on.
    """
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        # Nothing after this (the security headers) may wait on the database again.
        mark_database_down()
        response = jsonify({"status": "unavailable", "database": "unavailable"})
        response.headers["Retry-After"] = "30"
        return response, 503
    return jsonify({"status": "ok", "database": "ok", **queue_health()})
