"""No input gives a 500: NUL, lone surrogates and megabyte strings get a message."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.text import NUL_MESSAGE
from tests.factories import DEFAULT_PASSWORD
from tests.registration_steps import register_and_confirm

MEGABYTE = "é" * (1024 * 1024)
NASTY = ["\x00", "a\x00b", MEGABYTE, "<script>alert(1)</script>", "{{7*7}}", "\u202e\u200b"]

REGISTER = {
    "full_name": "Name", "professional_group": "pharmacy", "region": "london",
    "training_stage": "other", "email": "ok@example.org", "password": "long enough password",
}

# (path, form, the fields to poison, needs a signed-in trainee or coordinator)
FORMS = [
    ("/account/register", REGISTER, ["full_name", "email", "password", "training_stage",
                                     "region", "professional_group"], None),
    ("/account/sign-in", {"email": "a@example.org", "password": DEFAULT_PASSWORD},
     ["email", "password"], None),
    ("/account/reset-password", {"email": "a@example.org"}, ["email"], None),
    ("/account/profile", {"details-full_name": "N", "details-professional_group": "pharmacy",
                          "details-region": "london", "details-training_stage": "other"},
     ["details-full_name", "details-training_stage"], "a@example.org"),
    ("/account/profile", {"password-current_password": DEFAULT_PASSWORD,
                          "password-new_password": "a new long password"},
     ["password-current_password", "password-new_password"], "a@example.org"),
    ("/admin/users/{id}/roles", {"roles": "coach"}, ["roles"], "coord@example.org"),
]


@pytest.fixture
def people(make_user):
    from careers_app.security import Role

    return {
        "a@example.org": make_user("a@example.org"),
        "coord@example.org": make_user("coord@example.org", roles=(Role.COORDINATOR,)),
    }


def snapshot(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(User.email, User.full_name, User.password_hash, User.training_stage)
            .order_by(User.id)
        ).all()
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(("path", "form", "fields", "signed_in_as"), FORMS)
def test_nasty_values_never_give_a_server_error(app, people, path, form, fields, signed_in_as):
    client = app.test_client()
    if signed_in_as:
        client.post("/account/sign-in",
                    data={"email": signed_in_as, "password": DEFAULT_PASSWORD})
    path = path.format(id=people["a@example.org"].id)
    for field in fields:
        for value in NASTY:
            before = snapshot(app)
            response = client.post(path, data=dict(form, **{field: value}))
            assert response.status_code < 500, (path, field, value[:20])
            page = response.get_data(as_text=True)
            assert "<script>alert(1)</script>" not in page
            if "\x00" in value and response.status_code == 200 and field != "roles":
                assert NUL_MESSAGE in page or "Not a valid choice" in page, (path, field)
            if value == MEGABYTE and response.status_code == 200:
                assert "There is a problem" in page, (path, field)
            if "\x00" in value or value == MEGABYTE:
                assert snapshot(app) == before, (path, field)


def test_invalid_utf8_and_surrogate_escapes_in_form_bodies(app, client):
    # A browser cannot send a lone surrogate; the nearest it gets is invalid UTF-8.
    body = "full_name=%ED%A0%80&email=x%ED%A0%80%40example.org&password=%ED%A0%80" * 1
    response = client.post(
        "/account/register", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_lone_surrogate_in_a_json_body_is_refused_cleanly(client):
    body = json.dumps({"email": "\ud800@example.org", "password": "\udfff"})
    response = client.post("/account/sign-in", data=body, content_type="application/json")
    assert response.status_code < 500


def test_nul_in_the_name_is_refused_with_a_message_and_nothing_stored(app, client):
    page = client.post(
        "/account/register", data=dict(REGISTER, full_name="Ann\x00e")
    ).get_data(as_text=True)
    assert NUL_MESSAGE in page
    with app.app_context():
        assert db.session.execute(select(func.count(User.id))).scalar_one() == 0


def test_megabyte_name_gets_a_length_message_and_keeps_the_other_answers(client):
    page = client.post(
        "/account/register", data=dict(REGISTER, full_name="x" * 1_000_000)
    ).get_data(as_text=True)
    assert "Full name must be 100 characters or fewer" in page
    assert 'value="ok@example.org"' in page


def test_text_is_stored_nfc_normalised(app, client):
    register_and_confirm(app, client, dict(REGISTER, full_name="Zoe\u0301 Smith"))
    with app.app_context():
        assert db.session.execute(select(User.full_name)).scalar_one() == "Zo\u00e9 Smith"


def test_user_text_is_escaped_everywhere_it_is_shown(app, client):
    register_and_confirm(app, client, dict(REGISTER, full_name="<b>{{7*7}}</b>"))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "&lt;b&gt;{{7*7}}&lt;/b&gt;" in page
    assert "<b>{{7*7}}</b>" not in page and "49" not in page.split("Hello,")[1][:40]


@pytest.mark.parametrize(
    "body",
    ['{"email": ["a@example.org"], "password": {"x": 1}}', "[1, 2]", '"text"', "null",
     '{"email": 5, "password": true}', "{not json"],
)
def test_odd_json_bodies_to_form_pages_never_give_a_server_error(client, body):
    for path in ["/account/sign-in", "/account/register", "/account/reset-password"]:
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code < 500, (path, body)
