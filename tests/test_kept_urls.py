"""Templates' url_for keeps the paths it builds (careers_app/jinja.py): each is the one
Flask builds, wherever the app is mounted, and what cannot be kept is built as before."""

from __future__ import annotations

import flask
import pytest
from werkzeug.routing import BuildError

LINKS = [
    ("static", {"filename": "css/app.css"}),
    ("worksheets.step", {"slug": "scan-1-self-awareness", "step_id": "skills-audit"}),
    ("worksheets.step", {"slug": "scan-1-self-awareness", "step_id": "why-now"}),
    ("accounts.sign_in", {"next": "/plan/?appendix=yes"}),
    ("plans.index", {"_anchor": "actions"}),
    ("plans.shared_plan", {"share_id": 7}),
]


def test_each_kept_link_is_the_one_flask_builds(app):
    kept = app.jinja_env.globals["url_for"]
    with app.test_request_context("/plan/"):
        for endpoint, values in LINKS:
            built = flask.url_for(endpoint, **values)
            assert kept(endpoint, **values) == built
            assert kept(endpoint, **values) == built  # kept, the second time
        assert kept("worksheets.step", slug="a", step_id="b") == "/modules/a/steps/b"
        assert kept(".index") == "/plan/"  # relative to the page's blueprint
        assert kept("plans.index", _external=True) == flask.url_for("plans.index",
                                                                    _external=True)
        with pytest.raises(BuildError):
            kept("plans.no_such_page")


def test_a_kept_link_follows_where_the_app_is_mounted(app):
    kept = app.jinja_env.globals["url_for"]
    with app.test_request_context("/plan/"):
        assert kept("static", filename="css/app.css") == "/static/css/app.css"
    with app.test_request_context("/plan/", base_url="http://localhost/careers"):
        assert kept("static", filename="css/app.css") == "/careers/static/css/app.css"


def test_a_page_drawn_with_kept_links_has_the_same_links_twice(client):
    first = client.get("/").get_data(as_text=True)
    second = client.get("/").get_data(as_text=True)
    assert 'href="/static/css/app.css' in first
    assert first.count('href="') == second.count('href="') > 10


def test_query_string_values_and_long_values_are_built_but_not_kept(app):
    kept = app.jinja_env.globals["url_for"]
    paths = kept.__self__._paths
    sent = "/plan/?" + "x" * 5000
    with app.test_request_context("/account/sign-in"):
        for _ in range(2):
            assert kept("accounts.sign_in", next=sent) == flask.url_for("accounts.sign_in",
                                                                        next=sent)
        long_slug = "s" * 200
        assert kept("worksheets.start", slug=long_slug) == f"/modules/{long_slug}/"
        assert kept("plans.shared_plan", share_id=True) == flask.url_for(
            "plans.shared_plan", share_id=True)
    assert not any("xxxx" in path or long_slug in path for path in paths.values())
    assert len(paths) == 0
