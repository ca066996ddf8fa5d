"""Registration reveals nothing about who has an account; the emailed link creates it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, update

import careers_app.accounts.throttle as throttle_rules
from careers_app.accounts.models import User
from careers_app.accounts.registration import PendingRegistration
from careers_app.extensions import db
from careers_app.throttling import Rule
from tests.factories import DEFAULT_PASSWORD, make_account
from tests.registration_steps import CONFIRM_LINK, confirmation_path, emails_to

NEW = {
    "full_name": "Sam Newcomer",
    "professional_group": "pharmacy",
    "region": "london",
    "training_stage": "other",
    "email": "sam@example.org",
    "password": "a long enough password",
}


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count(model.id))).scalar_one()


def comparable(page: str, email: str) -> str:
    """The page without what differs by nature: the address typed and per-response nonces."""
    return re.sub(r'(nonce|value)="[^"]*"', "", page.replace(email, "EMAIL"))


def test_new_and_existing_addresses_get_the_same_pages(app, make_user):
    make_user("taken@example.org", full_name="Original Owner")
    answers = {}
    for email in ("sam@example.org", "taken@example.org"):
        client = app.test_client()
        posted = client.post("/account/register", data=dict(NEW, email=email))
        shown = client.get(posted.headers["Location"])
        answers[email] = (posted.status_code, posted.headers["Location"], shown.status_code,
                          comparable(shown.get_data(as_text=True), email))
    assert answers["sam@example.org"] == answers["taken@example.org"]
    status, location, shown_status, page = answers["sam@example.org"]
    assert (status, shown_status) == (302, 200)
    assert location.endswith("/account/register/check-your-email")
    assert "Check your email" in page and "We have sent an email to <strong>EMAIL</strong>" in page


def test_the_owner_of_a_taken_address_is_told_by_email_and_nothing_changes(app, client,
                                                                           make_user):
    owner = make_user("taken@example.org", full_name="Original Owner")
    client.post("/account/register?next=/workshops/join?code=ABC123",
                data=dict(NEW, email="Taken@Example.org"))
    (note,) = emails_to(app, "taken@example.org")
    body = note.get_content()
    assert "Someone tried to create" in body and "Hello Original Owner" in body
    assert "/account/sign-in?next=/workshops/join?code%3DABC123" in body
    assert "/account/reset-password" in body
    assert not CONFIRM_LINK.search(body)
    assert DEFAULT_PASSWORD not in body and NEW["password"] not in body
    with app.app_context():
        kept = db.session.get(User, owner.id)
        assert (kept.full_name, kept.password_hash) == ("Original Owner", owner.password_hash)
    assert count(app, PendingRegistration) == 0
    assert client.post("/account/sign-in", data={
        "email": "taken@example.org", "password": NEW["password"]}).status_code == 200


def test_nothing_signs_in_until_the_link_is_followed(app, client):
    client.post("/account/register", data=NEW)
    assert count(app, User) == 0
    refused = client.post("/account/sign-in",
                          data={"email": NEW["email"], "password": NEW["password"]})
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in refused.get_data(as_text=True)


def test_opening_the_link_only_asks_and_the_button_creates_the_account(app, client):
    client.post("/account/register", data=NEW)
    link = confirmation_path(app, NEW["email"])
    # A mail scanner following the link neither uses it up nor creates the account.
    scanner = app.test_client()
    for _ in range(2):
        page = scanner.get(link)
        assert page.status_code == 200
        assert "Create my account" in page.get_data(as_text=True)
    assert count(app, User) == 0
    created = client.post(link, data={"password": NEW["password"]})
    assert created.status_code == 302 and created.headers["Location"].endswith("/dashboard")
    assert count(app, User) == 1 and count(app, PendingRegistration) == 0
    assert "Your account has been created." in client.get("/dashboard").get_data(as_text=True)
    # The link works once.
    again = app.test_client().post(link, data={"password": NEW["password"]})
    assert again.status_code == 400
    assert "This link has expired or has already been used" in again.get_data(as_text=True)


def test_only_the_token_hash_is_stored(app, client):
    client.post("/account/register", data=NEW)
    token = confirmation_path(app, NEW["email"]).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.execute(select(PendingRegistration.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64


def test_registering_again_replaces_the_details_and_the_first_link_stops_working(app):
    first_client, second_client = app.test_client(), app.test_client()
    first_client.post("/account/register", data=NEW)
    first = confirmation_path(app, NEW["email"])
    second_client.post("/account/register",
                       data=dict(NEW, full_name="Sam Second", password="another long password"))
    second = confirmation_path(app, NEW["email"])
    assert first != second
    assert first_client.post(first, data={"password": NEW["password"]}).status_code == 400
    assert second_client.post(second, data={"password": "another long password"}
                              ).status_code == 302
    with app.app_context():
        assert db.session.execute(select(User.full_name)).scalar_one() == "Sam Second"
    assert app.test_client().post("/account/sign-in", data={
        "email": NEW["email"], "password": "another long password"}).status_code == 302


def test_a_link_older_than_a_day_no_longer_works(app, client):
    client.post("/account/register", data=NEW)
    link = confirmation_path(app, NEW["email"])
    with app.app_context():
        db.session.execute(update(PendingRegistration).values(
            created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)))
        db.session.commit()
    assert client.get(link).status_code == 400
    assert client.post(link, data={"password": NEW["password"]}).status_code == 400
    assert count(app, User) == 0


def test_an_address_that_got_an_account_meanwhile_is_not_registered_twice(app, client):
    client.post("/account/register", data=NEW)
    link = confirmation_path(app, NEW["email"])
    with app.app_context():
        make_account(NEW["email"], full_name="Made By A Coordinator")
    assert client.post(link, data={"password": NEW["password"]}).status_code == 400
    assert count(app, User) == 1 and count(app, PendingRegistration) == 0


def test_a_link_creates_the_account_only_with_the_password_chosen_when_registering(app):
    """Someone who registers the victim's address again gets a link mailed to the
    victim; following it without the password chosen then creates nothing."""
    victim, attacker = app.test_client(), app.test_client()
    victim.post("/account/register", data=NEW)
    attacker.post("/account/register", data=dict(NEW, password="the attackers own phrase"))
    link = confirmation_path(app, NEW["email"])  # the latest email: the attacker's details
    assert "Your password" in victim.get(link).get_data(as_text=True)

    refused = victim.post(link, data={"password": NEW["password"]})
    assert refused.status_code == 400
    assert "Enter the password you chose when you registered" in refused.get_data(as_text=True)
    assert count(app, User) == 0
    empty = victim.post(link, data={"password": ""})
    assert empty.status_code == 400 and count(app, User) == 0


def test_confirming_twice_at_once_creates_one_account_and_no_error(app, client):
    import threading

    client.post("/account/register", data=NEW)
    link = confirmation_path(app, NEW["email"])
    ready = threading.Barrier(2)
    statuses = []

    def confirm() -> None:
        browser = app.test_client()
        ready.wait(timeout=10)
        statuses.append(browser.post(link, data={"password": NEW["password"]}).status_code)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) in ([302, 400], [302, 302]), statuses
    assert count(app, User) == 1 and count(app, PendingRegistration) == 0


def test_unknown_or_odd_tokens_get_the_expired_page(client):
    for token in ("nope", "x" * 300, "%00"):
        assert client.get(f"/account/confirm/{token}").status_code in (400, 404)
        assert client.post(f"/account/confirm/{token}").status_code in (400, 404)


# -- throttling ---------------------------------------------------------------------------

def test_registrations_for_one_email_are_limited_and_the_page_keeps_what_was_typed(app):
    for _ in range(3):
        assert app.test_client().post("/account/register", data=NEW).status_code == 302
    refused = app.test_client().post("/account/register", data=NEW)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 60
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page and "too many attempts to create an account" in page
    assert 'value="Sam Newcomer"' in page and 'value="sam@example.org"' in page
    assert NEW["password"] not in page
    assert len(emails_to(app, NEW["email"])) == 3


def test_registrations_from_one_address_are_limited(app, monkeypatch):
    small = Rule(throttle_rules.REGISTER_ADDRESS.name, "3 per minute")
    monkeypatch.setattr(throttle_rules, "REGISTER_ADDRESS", small)
    statuses = [app.test_client().post(
        "/account/register", data=dict(NEW, email=f"person{n}@example.org")).status_code
        for n in range(4)]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.parametrize("next_path, lands", [
    ("/workshops/join?code=ABC123", "/workshops/join?code=ABC123"),
    ("//evil.example/x", "/dashboard"),
])
def test_the_account_link_returns_to_where_registration_started(app, client, next_path, lands):
    client.post("/account/register", query_string={"next": next_path}, data=NEW)
    response = client.post(confirmation_path(app, NEW["email"]),
                           data={"password": NEW["password"]})
    assert response.headers["Location"] == lands
