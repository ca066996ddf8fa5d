"""Reading preferences: the form, where the choice is kept (cookie or account), and the
<html> attributes every page is drawn with."""

from __future__ import annotations

import re

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.extensions import db
from tests.conftest import csrf_token_from

CHOICE = {"text_size": "largest", "line_spacing": "wide", "letter_spacing": "wide",
          "typeface": "opendyslexic", "colours": "cream", "motion": "reduce"}
STANDARD = {"text_size": "default", "line_spacing": "default", "letter_spacing": "default",
            "typeface": "default", "colours": "default", "motion": "default"}


def html_tag(client, path="/") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r"<html[^>]*>", page)
    assert match
    return match.group(0)


def stored(app, email="trainee@example.org"):
    with app.app_context():
        return db.session.execute(
            select(User.reading_preferences).where(User.email == email)).scalar_one()


def cookie_value(client) -> str | None:
    cookie = client.get_cookie("reading", domain="careers.test")
    return cookie.value if cookie else None


def set_cookie(client, value: str) -> None:
    client.set_cookie("reading", value, domain="careers.test")


def test_the_page_is_public_and_linked_from_header_and_footer(client):
    page = client.get("/account/reading")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Reading preferences" in text and "OpenDyslexic" in text
    home = client.get("/").get_data(as_text=True)
    header, _, footer = home.partition("</header>")
    assert 'href="/account/reading"' in header and 'href="/account/reading"' in footer


def test_every_page_is_standard_before_any_choice(client):
    tag = html_tag(client)
    assert 'data-reading-typeface="default"' in tag
    assert 'data-reading-text-size="default"' in tag
    assert 'data-reading-colours="default"' in tag


def test_signed_out_choice_is_kept_in_a_cookie_and_drawn_on_every_page(client):
    response = client.post("/account/reading", data=CHOICE)
    assert response.status_code == 302
    assert cookie_value(client)
    tag = html_tag(client, "/eligibility")
    assert 'data-reading-typeface="opendyslexic"' in tag
    assert 'data-reading-text-size="largest"' in tag
    assert 'data-reading-line-spacing="wide"' in tag
    assert 'data-reading-letter-spacing="wide"' in tag
    assert 'data-reading-colours="cream"' in tag
    assert 'data-reading-motion="reduce"' in tag
    # The form shows what was chosen.
    page = client.get("/account/reading").get_data(as_text=True)
    assert re.search(r'value="opendyslexic"\s+checked', page)


def test_choosing_the_standard_settings_removes_the_cookie(client):
    client.post("/account/reading", data=CHOICE)
    client.post("/account/reading", data=STANDARD)
    assert cookie_value(client) is None
    assert 'data-reading-typeface="default"' in html_tag(client)


def test_a_value_not_offered_is_refused_with_the_error_summary_and_keeps_the_rest(client):
    posted = {**CHOICE, "typeface": "comic-sans", "colours": ""}
    response = client.post("/account/reading", data=posted)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#typeface"' in page and "Choose a typeface" in page
    assert "Choose colours" in page
    assert "comic-sans" not in page  # the value sent is never quoted back
    # What was chosen correctly is still chosen.
    assert re.search(r'value="largest"\s+checked', page)
    assert cookie_value(client) is None


def test_a_tampered_cookie_falls_back_to_the_standard_settings(client):
    client.post("/account/reading", data=CHOICE)
    value = cookie_value(client)
    payload, _, signature = value.rpartition(".")
    set_cookie(client, payload + "." + signature[::-1])
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-reading-typeface="default"' in html_tag(client)
    for junk in ("", "not-a-cookie", "x" * 1000, "\u00e9\u00e9", "e30.e30.e30"):
        set_cookie(client, junk)
        assert client.get("/account/reading").status_code == 200
        assert 'data-reading-colours="default"' in html_tag(client)


def test_a_signed_cookie_with_unknown_values_keeps_only_the_known_ones(app, client):
    from itsdangerous import URLSafeSerializer

    signer = URLSafeSerializer(app.config["SECRET_KEY"], salt="reading-preferences")
    set_cookie(client, signer.dumps(
        {"typeface": "atkinson", "colours": "neon", "text_size": 3, "extra": "x"}))
    tag = html_tag(client)
    assert 'data-reading-typeface="atkinson"' in tag
    assert 'data-reading-colours="default"' in tag
    assert 'data-reading-text-size="default"' in tag


def test_signed_in_choice_is_saved_on_the_account(app, client, trainee):
    client.post("/account/reading", data=CHOICE)
    assert stored(app) == CHOICE
    assert cookie_value(client) is None
    assert 'data-reading-typeface="opendyslexic"' in html_tag(client, "/dashboard")
    # Back to standard: nothing is kept.
    client.post("/account/reading", data=STANDARD)
    assert stored(app) is None


def test_at_sign_in_the_account_choice_wins_over_the_cookie(app, client, make_user, sign_in):
    make_user("trainee@example.org")
    sign_in("trainee@example.org")
    client.post("/account/reading", data={**CHOICE, "typeface": "atkinson"})
    client.post("/account/sign-out")
    # Someone chooses OpenDyslexic before signing in to the account that has Atkinson.
    client.post("/account/reading", data=CHOICE)
    assert cookie_value(client)
    response = sign_in("trainee@example.org")
    assert "reading=;" in response.headers.get("Set-Cookie", "").replace('"', "")
    assert cookie_value(client) is None
    assert 'data-reading-typeface="atkinson"' in html_tag(client, "/dashboard")
    assert stored(app)["typeface"] == "atkinson"


def test_signing_in_without_a_reading_cookie_sets_only_the_session_cookie(
        client, make_user, sign_in):
    """A client reading the first Set-Cookie header of a sign-in took a removal of a
    cookie the browser never had for the session (tests/test_worksheets_concurrency.py)."""
    make_user("trainee@example.org")
    response = sign_in("trainee@example.org")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("careers_session="), cookies


def test_an_account_without_a_choice_takes_the_one_made_before_signing_in(
        app, client, make_user, sign_in):
    make_user("trainee@example.org")
    client.post("/account/reading", data=CHOICE)
    sign_in("trainee@example.org")
    assert stored(app) == CHOICE
    assert cookie_value(client) is None
    assert 'data-reading-colours="cream"' in html_tag(client, "/dashboard")


def test_signing_out_clears_the_cookie_and_the_next_person_gets_the_standard_settings(
        client, trainee):
    client.post("/account/reading", data=CHOICE)
    set_cookie(client, "left-over")
    response = client.post("/account/sign-out")
    assert response.status_code == 302
    assert cookie_value(client) is None
    assert 'data-reading-typeface="default"' in html_tag(client)


def test_the_cookie_is_host_only_secure_and_http_only_over_https(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.post("/account/reading", data=CHOICE, base_url="https://careers.test")
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-reading=")
    assert "Secure" in header and "HttpOnly" in header and "Path=/" in header
    assert "Domain" not in header


def test_the_choice_is_in_the_persons_data_export(app, client, trainee):
    from careers_app.db import utcnow
    from careers_app.personal_data.collect import build_data
    from careers_app.personal_data.ownership import person_rows

    client.post("/account/reading", data=CHOICE)
    with app.app_context():
        rows = person_rows(trainee.id, "trainee@example.org", db.metadata)
        data = build_data(trainee.id, rows, app.extensions["modules"], utcnow())
    assert data["profile"]["reading_preferences"] == CHOICE


def test_with_csrf_on_a_post_without_a_token_changes_nothing(csrf_app, client):
    response = client.post("/account/reading", data=CHOICE)
    assert response.status_code == 400
    assert cookie_value(client) is None
    token = csrf_token_from(client.get("/account/reading").get_data(as_text=True))
    assert client.post("/account/reading", data={**CHOICE, "csrf_token": token}
                       ).status_code == 302
    assert cookie_value(client)


def test_a_choice_made_before_registering_is_kept_by_the_new_account(app, client):
    from tests.registration_steps import register_and_confirm

    client.post("/account/reading", data=CHOICE)
    response = register_and_confirm(app, client, {
        "full_name": "Priya Shah", "professional_group": "healthcare_professional",
        "region": "london", "training_stage": "band_5_6", "email": "priya@example.org",
        "password": "a long enough password"})
    assert response.status_code == 302
    assert stored(app, "priya@example.org") == CHOICE
    assert cookie_value(client) is None
    assert 'data-reading-typeface="opendyslexic"' in html_tag(client, "/dashboard")
