"""Forgotten passwords and password changes."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from careers_app.accounts.passwords import COMMON_PASSWORD_MESSAGE
from careers_app.accounts.service import RESET_SALT
from careers_app.mail import outbox
from tests.factories import DEFAULT_PASSWORD
from tests.sql_statements import recorded_statements

NEW_PASSWORD = "a brand new passphrase"


def request_reset_link(app, client, email: str) -> str:
    client.post("/account/reset-password", data={"email": email})
    with app.app_context():
        message = outbox()[-1]
    match = re.search(r"https?://\S+/account/reset-password/\S+", message.get_content())
    assert match, message.get_content()
    return match.group(0).split("careers.test", 1)[1]


def test_reset_link_works_once(app, client, make_user):
    make_user("a@example.org")
    path = request_reset_link(app, client, "a@example.org")

    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/sign-in")

    again = client.post(path, data={"password": "another new password"})
    assert again.status_code == 400
    assert "expired or has already been used" in again.get_data(as_text=True)
    assert client.post(
        "/account/sign-in", data={"email": "a@example.org", "password": NEW_PASSWORD}
    ).status_code == 302


def test_reset_link_is_refused_after_expiry(app, client, make_user, monkeypatch):
    make_user("a@example.org")
    path = request_reset_link(app, client, "a@example.org")
    app.config["PASSWORD_RESET_MAX_AGE"] = 60
    real_time = __import__("time").time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() + 61)
    response = client.post(path, data={"password": NEW_PASSWORD})
    assert response.status_code == 400
    assert "expired or has already been used" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert client.post(
        "/account/sign-in", data={"email": "a@example.org", "password": DEFAULT_PASSWORD}
    ).status_code == 302


@pytest.mark.parametrize("token", ["nonsense", "a.b.c", "%00", "x" * 5000])
def test_tampered_reset_tokens_are_refused(client, token):
    assert client.get(f"/account/reset-password/{token}").status_code == 400


def test_token_signed_for_a_missing_account_is_refused(app, client):
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=RESET_SALT).dumps([999, "x"])
    assert client.get(f"/account/reset-password/{token}").status_code == 400


def test_unknown_email_gets_the_same_answer_and_a_note_instead_of_a_link(app, client,
                                                                         make_user):
    make_user("a@example.org")
    known = client.post("/account/reset-password", data={"email": "a@example.org"})
    unknown = client.post("/account/reset-password", data={"email": "b@example.org"})
    assert known.status_code == unknown.status_code == 200
    def page(response) -> str:  # the same but for the address and the script nonce
        return re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))

    assert page(known).replace("a@example.org", "b@example.org") == page(unknown)
    with app.app_context():
        link_email, note = outbox()
    assert (link_email["To"], note["To"]) == ("a@example.org", "b@example.org")
    assert link_email["Subject"] == note["Subject"] == "Reset your password"
    body = note.get_content()
    assert "No account uses this address" in body
    assert "https://careers.test/account/register" in body
    assert "/account/reset-password/" not in body


def test_reset_ends_sessions_signed_in_elsewhere(app, client, make_user, sign_in):
    make_user("a@example.org")
    other_device = app.test_client()
    sign_in("a@example.org", test_client=other_device)
    path = request_reset_link(app, client, "a@example.org")
    client.post(path, data={"password": NEW_PASSWORD})
    assert other_device.get("/dashboard").status_code == 302


def test_change_password_signs_out_other_devices_but_not_this_one(app, client, make_user,
                                                                   sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    other_device = app.test_client()
    sign_in("a@example.org", test_client=other_device)

    response = client.post("/account/profile", data={
        "password-current_password": DEFAULT_PASSWORD,
        "password-new_password": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302


def test_change_password_needs_the_current_one(client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    page = client.post("/account/profile", data={
        "password-current_password": "not my password",
        "password-new_password": NEW_PASSWORD,
    }).get_data(as_text=True)
    assert "Your current password is not correct" in page


def test_profile_details_can_be_changed_and_errors_keep_input(client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    page = client.post("/account/profile", data={
        "details-full_name": "",
        "details-professional_group": "pharmacy",
        "details-region": "kss",
        "details-training_stage": "pharmacy_foundation",
    }).get_data(as_text=True)
    assert "Enter your full name" in page
    assert 'value="pharmacy" checked' in page

    response = client.post("/account/profile", data={
        "details-full_name": "New Name",
        "details-professional_group": "pharmacy",
        "details-region": "kss",
        "details-training_stage": "pharmacy_foundation",
    })
    assert response.status_code == 302
    assert "Hello, New Name" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("password", ["password1234", "123456789012", "PassWord1234"])
def test_reset_refuses_a_common_password_and_keeps_the_old_one(app, client, make_user,
                                                                password):
    make_user("a@example.org")
    path = request_reset_link(app, client, "a@example.org")
    response = client.post(path, data={"password": password})
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and COMMON_PASSWORD_MESSAGE in page
    assert client.post("/account/sign-in", data={
        "email": "a@example.org", "password": password}).status_code != 302
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("password", ["password1234", "123456789012", "PASSWORD1234"])
def test_change_refuses_a_common_password(app, client, make_user, sign_in, password):
    make_user("a@example.org")
    sign_in("a@example.org")
    response = client.post("/account/profile", data={
        "password-current_password": DEFAULT_PASSWORD,
        "password-new_password": password,
    })
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "There is a problem" in page and COMMON_PASSWORD_MESSAGE in page
    assert 'href="#password-new_password"' in page
    client.post("/account/sign-out")
    assert client.post("/account/sign-in", data={
        "email": "a@example.org", "password": DEFAULT_PASSWORD}).status_code == 302


def test_cli_refuses_a_common_password(app, runner):
    result = runner.invoke(args=["users", "create", "p@example.org", "--name", "P",
                                 "--password", "Password1234"])
    assert result.exit_code != 0
    assert "too common" in result.output


def test_reset_runs_the_same_queries_whether_or_not_the_account_exists(app, client,
                                                                        make_user):
    """Timing must not tell whether an address has an account: loading the account once
    cost a second query (its roles) that an unknown address never made."""
    make_user("a@example.org")

    def statements_for(email: str) -> list[str]:
        with recorded_statements(app) as statements:
            assert client.post("/account/reset-password",
                               data={"email": email}).status_code == 200
        return statements

    assert statements_for("a@example.org") == statements_for("b@example.org")


def test_outside_the_test_suite_passwords_are_hashed_at_full_strength():
    """The test suite hashes cheaply (APP_ENV=test); every other environment uses
    argon2-cffi's defaults, RFC 9106's low-memory profile."""
    import os
    import subprocess
    import sys

    for environment in ("production", "development"):
        result = subprocess.run(
            [sys.executable, "-c", "from careers_app.accounts.passwords import hash_password;"
             "print(hash_password('a long enough test password'))"],
            env={**os.environ, "APP_ENV": environment}, capture_output=True, text=True,
            check=True, timeout=60)
        assert result.stdout.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), environment
