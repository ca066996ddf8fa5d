"""Session limits: 30 minutes idle, 12 hours from signing in, the warning's endpoints,
and the session cookie's name in production."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from careers_app.config import ConfigurationError
from careers_app.extensions import db
from tests.conftest import build_app, csrf_token_from
from tests.redis_databases import redis_url
from tests.session_steps import session_contents

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
STEP_AUTOSAVE = "/modules/scan-3-arriving-at-a-decision/steps/your-decision/autosave"
JSON = {"Accept": "application/json"}
STRONG_SECRET = "Zq3v8LmP0xR7tY2wK9nB4cD6fG1hJ5sA"


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def trainee(make_user, sign_in, clock):  # type: ignore[no-untyped-def]
    """Signed in at START (the clock is frozen there until a test moves it)."""
    user = make_user("trainee@example.org")
    sign_in("trainee@example.org")
    return user


def wait(clock, **delta: float) -> None:  # type: ignore[no-untyped-def]
    clock.shift(dt.timedelta(**delta))


def is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_29_minutes_idle_is_still_signed_in(client, trainee, clock):
    wait(clock, minutes=29)
    assert is_signed_in(client)


def test_31_minutes_idle_signs_out_and_says_why(client, trainee, clock):
    wait(clock, minutes=31)
    response = client.get("/plan/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sign-in?next=%2Fplan%2F"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity" in page
    wait(clock, minutes=-31)  # the session was cleared, not just judged old
    assert not is_signed_in(client)


def test_the_reason_is_kept_for_the_sign_in_page_when_a_public_page_came_first(
        client, trainee, clock):
    wait(clock, minutes=31)
    assert client.get("/").status_code == 200  # the session ends here, unannounced
    response = client.get("/dashboard")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity" in page
    again = client.get(client.get("/dashboard").headers["Location"]).get_data(as_text=True)
    assert "without activity" not in again and "Sign in to continue." in again


def test_the_idle_clock_counts_from_the_last_request(client, trainee, clock):
    for _ in range(3):
        wait(clock, minutes=25)
        assert is_signed_in(client)
    wait(clock, minutes=31)
    assert not is_signed_in(client)


def test_twelve_hours_after_signing_in_activity_no_longer_keeps_the_session(
        client, trainee, clock):
    for _ in range(71):  # a request every 10 minutes up to 11 h 50 min
        wait(clock, minutes=10)
        assert is_signed_in(client)
    wait(clock, minutes=15)  # 12 h 5 min after signing in, 15 minutes after the last
    response = client.get("/dashboard")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had been signed in for 12 hours" in page


def test_a_background_autosave_counts_as_activity(client, trainee, clock):
    version = 0
    for _ in range(4):
        wait(clock, minutes=20)
        saved = client.post(STEP_AUTOSAVE, json={"version": version,
                                                 "answers": {"first-choice": "GP"}},
                            headers=JSON)
        assert saved.status_code == 200
        version = saved.json["version"]
    wait(clock, minutes=31)
    ended = client.post(STEP_AUTOSAVE, json={"version": version, "answers": {}}, headers=JSON)
    assert ended.status_code == 401 and ended.is_json


def test_asking_how_long_is_left_does_not_count_as_activity(client, trainee, clock):
    wait(clock, minutes=20)
    assert client.get("/account/session", headers=JSON).json["seconds_left"] == 10 * 60
    wait(clock, minutes=9)
    assert client.get("/account/session", headers=JSON).json["seconds_left"] == 60
    wait(clock, minutes=2)
    assert client.get("/account/session", headers=JSON).status_code == 401


def test_stay_signed_in_extends_the_session(client, trainee, clock):
    wait(clock, minutes=29)
    extended = client.post("/account/session/extend", headers=JSON)
    assert extended.status_code == 200
    assert extended.json["seconds_left"] == 30 * 60
    assert extended.json["expires_at"] == "2026-11-02T09:59:00+00:00"
    wait(clock, minutes=29)
    assert is_signed_in(client)


def test_stay_signed_in_cannot_pass_the_absolute_limit(client, trainee, clock):
    for _ in range(35):  # activity every 20 minutes up to 11 h 40 min
        wait(clock, minutes=20)
        assert client.post("/account/session/extend", headers=JSON).status_code == 200
    wait(clock, minutes=10)
    assert client.post("/account/session/extend", headers=JSON).json["seconds_left"] == 10 * 60


def test_stay_signed_in_needs_the_csrf_header(csrf_app, make_user):
    make_user("trainee@example.org")
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/account/sign-in").get_data(as_text=True))
    client.post("/account/sign-in", data={"email": "trainee@example.org",
                                          "password": "correct horse battery staple",
                                          "csrf_token": token})
    page = client.get("/dashboard").get_data(as_text=True)
    assert client.post("/account/session/extend", headers=JSON).status_code == 400
    accepted = client.post("/account/session/extend",
                           headers={**JSON, "X-CSRFToken": csrf_token_from(page)})
    assert accepted.status_code == 200


def test_signed_out_the_endpoints_answer_401_json(client):
    assert client.get("/account/session", headers=JSON).status_code == 401
    assert client.post("/account/session/extend", headers=JSON).status_code == 401


def test_activity_is_written_to_the_cookie_at_most_once_a_minute(app, client, trainee, clock):
    client.get("/plan/")  # the first page also adds a CSRF token to the session
    wait(clock, seconds=30)
    assert "Set-Cookie" not in client.get("/plan/").headers
    wait(clock, seconds=31)
    (stored,) = session_contents(app, client.get("/plan/").headers.getlist("Set-Cookie"))
    assert stored["last_seen"] == int((START + dt.timedelta(seconds=61)).timestamp())
    assert stored["signed_in_at"] == int(START.timestamp())


def test_a_session_without_times_is_treated_as_signed_out(client, trainee):
    with client.session_transaction() as session:
        del session["signed_in_at"]
    response = client.get("/dashboard")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sign in to continue." in page


def test_signed_in_pages_carry_the_timing_and_the_warning(client, trainee, clock):
    wait(clock, minutes=5)
    page = client.get("/dashboard").get_data(as_text=True)
    meta = re.search(r'<meta name="app-session" content="(\d+)"([^>]*)>', page)
    assert meta and meta.group(1) == str(30 * 60)
    assert 'data-idle-seconds="1800"' in meta.group(2)
    assert 'data-warn-seconds="120"' in meta.group(2)
    assert f'data-absolute-seconds-left="{12 * 3600 - 300}"' in meta.group(2)
    assert "js/session-timeout.js" in page
    assert "<dialog" in page and "Stay signed in" in page and "You will be signed out soon" in page


def test_signed_out_pages_have_no_timing(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="app-session"' not in page and "<dialog" not in page


def test_the_limits_are_settings(database_url, monkeypatch, clock):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("SESSION_MAX_HOURS", "1")
    app = build_app(database_url)
    assert app.config["SESSION_IDLE_MINUTES"] == 5 and app.config["SESSION_MAX_HOURS"] == 1
    with app.app_context():
        db.create_all()
        from tests.factories import make_account

        make_account("short@example.org")
    client = app.test_client()
    client.post("/account/sign-in", data={"email": "short@example.org",
                                          "password": "correct horse battery staple"})
    wait(clock, minutes=6)
    response = client.get("/dashboard")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 5 minutes without activity" in page
    with app.app_context():
        db.drop_all()


@pytest.mark.parametrize("value", ["0", "ten", "-3"])
def test_a_limit_that_is_not_a_whole_number_is_refused(database_url, monkeypatch, value):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", value)
    with pytest.raises(ConfigurationError, match="SESSION_IDLE_MINUTES must be a whole number"):
        build_app(database_url)


def production_app(database_url, monkeypatch, **overrides):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("APP_ENV", "production")
    settings = {"SECRET_KEY": STRONG_SECRET, "MAIL_BACKEND": "smtp", "DEBUG": False,
                "WTF_CSRF_ENABLED": True,  # the sign-in page's token starts a session
                "RATELIMIT_STORAGE_URI": redis_url("test_sessions_limits"),
                "EXTERNAL_URL": "https://careers.test", "TRUSTED_HOSTS": ["careers.test"],
                "SUPPORT_EMAIL": "careers-unit@careers.test"}
    return build_app(database_url, **{**settings, **overrides})


def test_production_session_cookie_is_a_host_cookie(database_url, monkeypatch):
    app = production_app(database_url, monkeypatch)
    response = app.test_client().get("/account/sign-in", base_url="https://careers.test")
    (cookie,) = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("__Host-careers_session=")
    attributes = [part.strip() for part in cookie.split(";")[1:]]
    assert "Secure" in attributes and "Path=/" in attributes and "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert not [part for part in attributes if part.lower().startswith("domain")]


@pytest.mark.parametrize("overrides", [{"SESSION_COOKIE_NAME": "careers_session"},
                                       {"SESSION_COOKIE_DOMAIN": "example.org"}])
def test_production_refuses_a_session_cookie_other_sites_could_set(
        database_url, monkeypatch, overrides):
    with pytest.raises(ConfigurationError, match="__Host-"):
        production_app(database_url, monkeypatch, **overrides)
