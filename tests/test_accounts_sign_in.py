"""Signing in and out: one message for every failure, throttling, sessions, redirects."""

from __future__ import annotations

import os
import re

import pytest

from careers_app.accounts.views import SIGN_IN_FAILED
from tests.factories import DEFAULT_PASSWORD
from tests.redis_databases import redis_url


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make_user):
    make_user("known@example.org")
    unknown = client.post(
        "/account/sign-in", data={"email": "nobody@example.org", "password": DEFAULT_PASSWORD}
    )
    wrong = client.post(
        "/account/sign-in", data={"email": "known@example.org", "password": "wrong password!"}
    )
    assert unknown.status_code == wrong.status_code == 200
    assert SIGN_IN_FAILED in unknown.get_data(as_text=True)
    assert SIGN_IN_FAILED in wrong.get_data(as_text=True)
    # Apart from the email typed back into the form, the two pages are identical.
    def without_token_and_email(page: str) -> str:
        return re.sub(r'(value|nonce)="[^"]*"', "", page)

    assert without_token_and_email(unknown.get_data(as_text=True)) == without_token_and_email(
        wrong.get_data(as_text=True)
    )


def test_sign_in_is_case_insensitive_on_email_and_lands_on_dashboard(client, make_user):
    make_user("mixed@example.org")
    response = client.post(
        "/account/sign-in", data={"email": " MIXED@Example.ORG", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"].endswith("/dashboard")


def test_sixth_rapid_failure_is_throttled_even_with_right_password(client, app, make_user):
    make_user("target@example.org")
    make_user("other@example.org")
    for _ in range(5):
        response = client.post(
            "/account/sign-in", data={"email": "target@example.org", "password": "not it at all"}
        )
        assert response.status_code == 200
    refused = client.post(
        "/account/sign-in", data={"email": "target@example.org", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429
    assert "too many attempts to sign in to this account" in refused.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302

    other = app.test_client()
    response = other.post(
        "/account/sign-in", data={"email": "other@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_successful_sign_ins_are_not_counted_against_the_account(client, make_user):
    make_user("busy@example.org")
    for _ in range(8):
        response = client.post(
            "/account/sign-in", data={"email": "busy@example.org", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302
        client.post("/account/sign-out")


def test_session_cookie_copied_before_sign_out_is_refused_after(app, client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    assert client.get("/dashboard").status_code == 200
    copied = client.get_cookie("careers_session", domain="careers.test").value

    client.post("/account/sign-out")

    thief = app.test_client()
    thief.set_cookie("careers_session", copied, domain="careers.test")
    response = thief.get("/dashboard")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_sign_out_is_post_only(client, make_user, sign_in):
    make_user("a@example.org")
    sign_in("a@example.org")
    assert client.get("/account/sign-out").status_code == 405
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:/\\/evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "\x08//evil.example/",
        "/%09/evil.example",
        "javascript:alert(1)",
        "http://careers.test\\@evil.example/",
        "\njavascript:alert(1)",
        "https:evil.example",
    ],
)
def test_next_pointing_elsewhere_lands_on_dashboard(client, make_user, target):
    make_user("a@example.org")
    response = client.post(
        "/account/sign-in",
        query_string={"next": target},
        data={"email": "a@example.org", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_next_with_a_local_path_is_followed(client, make_user):
    make_user("a@example.org")
    response = client.post(
        "/account/sign-in",
        query_string={"next": "/account/profile?tab=1"},
        data={"email": "a@example.org", "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/account/profile?tab=1"


def test_guarded_page_sends_anonymous_person_to_sign_in_with_next(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/sign-in?next=%2Faccount%2Fprofile")


def test_throttle_is_shared_between_workers_through_redis(database_url, make_user):
    """Two app instances stand in for two gunicorn workers sharing one Redis."""
    import redis

    from tests.conftest import build_app

    url = redis_url("test_accounts_sign_in")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {url}")
    make_user("shared@example.org")
    # Instances share SECRET_KEY, which also keys the throttle's counters.
    secret = "s" * 20 + "0123456789abcdef"
    workers = [build_app(database_url, RATELIMIT_STORAGE_URI=url, SECRET_KEY=secret).test_client()
               for _ in range(2)]
    for attempt in range(5):
        workers[attempt % 2].post(
            "/account/sign-in", data={"email": "shared@example.org", "password": "wrong one!!"}
        )
    refused = workers[1].post(
        "/account/sign-in", data={"email": "shared@example.org", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429
    redis.Redis.from_url(url).flushdb()
