"""Registering: validation, kept input, normalised unique emails, eligibility."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from careers_app.accounts.models import User
from careers_app.accounts.passwords import (
    COMMON_PASSWORD_MESSAGE,
    COMMON_PASSWORDS,
    is_common_password,
)
from careers_app.accounts.registration import PendingRegistration
from careers_app.cli import DEMO_PASSWORD
from careers_app.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.registration_steps import emails_to, register_and_confirm

VALID = {
    "full_name": "Priya Shah",
    "professional_group": "healthcare_professional",
    "region": "london",
    "training_stage": "band_5_6",
    "email": "Priya.Shah@Example.org ",
    "password": "a long enough password",
}


def count_users(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(User.id))).scalar_one()


def test_register_confirms_by_email_then_signs_in_and_normalises_email(app, client):
    response = register_and_confirm(app, client, VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    with app.app_context():
        user = db.session.execute(select(User)).scalar_one()
        assert user.email == "priya.shah@example.org"
        assert user.password_hash.startswith("$argon2id$")
    assert "Hello, Priya Shah" in client.get("/dashboard").get_data(as_text=True)


def test_email_is_unique_whatever_its_case(app, client, make_user):
    make_user("priya.shah@example.org")
    response = client.post("/account/register", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/register/check-your-email")
    assert count_users(app) == 1
    (note,) = emails_to(app, "priya.shah@example.org")
    assert "You already have an account" in note.get_content()


def test_empty_form_shows_error_summary_and_every_message(client):
    page = client.post("/account/register", data={}).get_data(as_text=True)
    assert "There is a problem" in page
    for message in (
        "Enter your full name",
        "Select your professional group",
        "Select where you train",
        "Select your training stage",
        "Enter your email address",
        "Enter a password",
    ):
        assert message in page
    assert 'href="#full_name"' in page


def test_errors_keep_what_was_typed_except_the_password(app, client):
    data = dict(VALID, email="not-an-email", password="short")
    page = client.post("/account/register", data=data).get_data(as_text=True)
    assert "Enter an email address in the correct format" in page
    assert "Password must be between 12 and 256 characters" in page
    assert 'value="Priya Shah"' in page
    assert 'value="not-an-email"' in page
    assert 'value="short"' not in page
    assert 'value="healthcare_professional" checked' in page
    assert count_users(app) == 0


def test_password_of_128_characters_with_spaces_is_accepted(app, client):
    password = "x y " * 32
    response = register_and_confirm(app, client, dict(VALID, password=password))
    assert response.status_code == 302
    client.post("/account/sign-out")
    response = client.post(
        "/account/sign-in", data={"email": VALID["email"], "password": password}
    )
    assert response.status_code == 302


def test_kss_foundation_doctors_are_directed_to_their_own_service(app, client):
    data = dict(VALID, region="kss", training_stage="foundation",
                professional_group="doctor_dentist")
    page = client.post("/account/register", data=data).get_data(as_text=True)
    assert "Foundation doctors in Kent, Surrey and Sussex" in page
    assert count_users(app) == 0


def test_choice_outside_the_list_is_refused(app, client):
    page = client.post(
        "/account/register", data=dict(VALID, professional_group="admin")
    ).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert count_users(app) == 0


def test_signed_in_person_visiting_register_goes_to_dashboard(client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    assert client.get("/account/register").headers["Location"].endswith("/dashboard")


COMMON = ["password1234", "123456789012", "PASSWORD1234", "Password1234", "qwertyuiop12",
          "iloveyou2024", "aaaaaaaaaaaa"]


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_and_the_rest_is_kept(app, client, password):
    response = client.post("/account/register", data=dict(VALID, password=password))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert COMMON_PASSWORD_MESSAGE in page
    assert 'href="#password"' in page
    assert 'value="Priya Shah"' in page
    assert 'value="Priya.Shah@Example.org"' in page or 'value="priya.shah@example.org"' in page
    assert f'value="{password}"' not in page
    assert count_users(app) == 0


def test_the_common_list_comes_from_a_package_and_is_large():
    assert len(COMMON_PASSWORDS) >= 10_000
    assert {"password", "123456", "qwerty"} <= COMMON_PASSWORDS


@pytest.mark.parametrize("password", ["a long enough password", DEFAULT_PASSWORD,
                                      DEMO_PASSWORD, "x y " * 32, "Helicopter-Mango-1987"])
def test_uncommon_passwords_are_accepted(password):
    assert not is_common_password(password)


def test_the_waiting_details_and_their_email_are_kept_together_or_not_at_all(
        app, client, monkeypatch):
    """Were writing the email to fail, the details must not be kept without it: the
    person would wait for a link that never comes."""
    def outbox_unavailable(*_args, **_kwargs):
        raise RuntimeError("the outbox could not be written")

    monkeypatch.setattr("careers_app.accounts.emails.send_email", outbox_unavailable)
    assert client.post("/account/register", data=VALID).status_code == 500
    with app.app_context():
        assert db.session.execute(select(func.count(PendingRegistration.id))).scalar_one() == 0
