"""Every route declares who may call it; every POST needs a CSRF token."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, IntegerConverter

from careers_app.accounts.models import User, UserRole
from careers_app.extensions import db
from careers_app.security import Role
from careers_app.worksheets.models import StepAnswer
from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD

# Flask's own static route serves files from static/ and is public by nature.
BUILT_IN_PUBLIC = {"static"}


def test_every_endpoint_is_public_or_guarded(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in BUILT_IN_PUBLIC and not hasattr(view, "access")
    ]
    assert undeclared == []


def _example_url(rule, app) -> str:
    """A URL for ``rule`` that reaches its view: real module and step ids, else "example"."""
    module = next(iter(app.extensions["modules"]))
    real = {"slug": module.slug, "step_id": module.steps[0].id}
    def value(arg: str) -> object:
        converter = rule._converters[arg]
        if isinstance(converter, IntegerConverter):
            return 1
        if isinstance(converter, AnyConverter):  # one of a fixed set of words
            return sorted(converter.items)[0]
        return real.get(arg, "example")

    values = {arg: value(arg) for arg in rule.arguments}
    return rule.build(values)[1]


def post_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def table_counts(app) -> tuple[int, int, int, str]:
    with app.app_context():
        users = db.session.execute(select(func.count(User.id))).scalar_one()
        answers = db.session.execute(select(func.count(StepAnswer.id))).scalar_one()
        roles = db.session.execute(select(func.count(UserRole.id))).scalar_one()
        secrets = db.session.execute(
            select(User.session_token, User.password_hash, User.full_name).order_by(User.id)
        ).all()
        return users, roles, answers, repr(secrets)


def test_there_are_post_routes_to_check(app):
    assert len(post_rules(app)) >= 6


def test_every_post_without_csrf_token_is_refused_and_changes_nothing(csrf_app, make_user):
    app = csrf_app
    coordinator = make_user("coord@example.org", roles=(Role.COORDINATOR,))
    make_user("b@example.org")
    client = app.test_client()
    page = client.get("/account/sign-in").get_data(as_text=True)
    client.post("/account/sign-in", data={
        "email": "coord@example.org", "password": DEFAULT_PASSWORD,
        "csrf_token": csrf_token_from(page),
    })
    assert client.get("/dashboard").status_code == 200
    before = table_counts(app)
    form = {
        "email": "new@example.org", "password": "a long new password", "full_name": "X",
        "professional_group": "pharmacy", "region": "london", "training_stage": "other",
        "roles": ["coach", "facilitator"], "details-full_name": "Changed",
        "password-current_password": DEFAULT_PASSWORD,
        "password-new_password": "another long password",
    }
    for rule in post_rules(app):
        url = _example_url(rule, app).replace("/users/1/", f"/users/{coordinator.id}/")
        response = client.post(url, data=form)
        assert response.status_code == 400, url
        assert table_counts(app) == before, url
    assert client.get("/dashboard").status_code == 200, "still signed in: sign-out was refused"


def test_csrf_failure_re_shows_the_form_with_what_was_typed(csrf_app):
    client = csrf_app.test_client()
    client.get("/account/register")
    response = client.post("/account/register", data={
        "full_name": "Typed Name", "email": "typed@example.org", "csrf_token": "stale",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page had expired for your security" in page
    assert 'value="Typed Name"' in page
    assert 'value="typed@example.org"' in page
    # The re-shown form carries a fresh token that works.
    response = client.post("/account/register", data={
        "full_name": "Typed Name", "email": "typed@example.org", "password": "long enough pass",
        "professional_group": "pharmacy", "region": "london", "training_stage": "other",
        "csrf_token": csrf_token_from(page),
    })
    assert response.status_code == 302


def test_csrf_token_does_not_expire_within_a_session(csrf_app):
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_json_post_without_token_gets_json_400(csrf_app):
    response = csrf_app.test_client().post("/account/sign-in", json={"email": "x"})
    assert response.status_code == 400
    assert response.is_json


def test_coordinator_page_is_forbidden_to_a_trainee(client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You cannot see this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COACH, Role.FACILITATOR])
def test_other_roles_cannot_manage_users(client, make_user, sign_in, role):
    make_user("a@example.org", roles=(role,))
    sign_in("a@example.org")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/1/roles", data={"roles": ["coordinator"]}).status_code == 403
