"""Headers on every response, cookies, and request limits."""

from __future__ import annotations


def test_security_headers_on_pages_errors_and_assets(client):
    for path in ["/", "/account/sign-in", "/no-such-page", "/healthz",
                 "/static/css/app.css"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers
        response.close()


def test_inline_script_carries_the_nonce_from_the_policy(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://careers.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_signed_in_pages_are_not_stored(client, make_user, sign_in):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make_user("a@example.org")
    sign_in("a@example.org")
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, make_user, sign_in):
    make_user("a@example.org")
    cookie = sign_in("a@example.org").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    from careers_app.config import load_config

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True


def test_request_size_limit(client):
    response = client.post("/account/sign-in", data={"email": "a" * (11 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Too much was sent at once" in response.get_data(as_text=True)


def test_files_for_everyone_need_no_database_query_for_a_signed_in_person(
    app, client, make_user, sign_in
):
    from tests.sql_statements import recorded_statements

    make_user("a@example.org")
    sign_in("a@example.org")
    with recorded_statements(app) as statements:
        for path in ("/static/css/app.css", "/assets/images/favicon.svg"):
            response = client.get(path)
            assert response.status_code == 200
            response.close()
    assert statements == []
