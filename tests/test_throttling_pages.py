"""Join codes and reset requests are throttled with a proper page; Redis down is no 500."""

from __future__ import annotations

import logging
import re
import threading

import pytest

import careers_app.workshops.service as workshop_service
from careers_app.mail import outbox
from careers_app.security import Role
from tests.conftest import build_app
from tests.factories import DEFAULT_PASSWORD
from tests.workshop_steps import the_workshop, workshop_form

CLOSED_PORT = "redis://127.0.0.1:1/0"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every join code actually looked up in the database."""
    seen: list[str] = []
    lock = threading.Lock()
    real = workshop_service.find_by_code

    def counting(typed: str):  # type: ignore[no-untyped-def]
        with lock:
            seen.append(typed)
        return real(typed)

    monkeypatch.setattr(workshop_service, "find_by_code", counting)
    return seen


def signed_in(app, make_user, sign_in, email: str, roles=()):  # type: ignore[no-untyped-def]
    make_user(email, roles=roles)
    client = app.test_client()
    sign_in(email, test_client=client)
    return client


# -- join codes ---------------------------------------------------------------------------

def test_wrong_join_codes_are_limited_and_the_page_keeps_the_code(
    app, make_user, sign_in, lookups
):
    trainee = signed_in(app, make_user, sign_in, "guesser@example.org")
    statuses = [trainee.post("/workshops/join", data={"code": f"AAA{n:03d}"}).status_code
                for n in range(60)]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    assert len(lookups) == 10
    refused = trainee.post("/workshops/join", data={"code": "KTR-4MP"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = text_of(refused)
    assert "There is a problem" in page
    assert "too many wrong workshop codes" in page
    assert 'value="KTR-4MP"' in page
    assert "Join a workshop" in page


def test_a_join_link_counts_like_a_typed_code(app, make_user, sign_in, lookups):
    trainee = signed_in(app, make_user, sign_in, "linker@example.org")
    for n in range(10):
        assert trainee.get(f"/workshops/join?code=BBB{n:03d}").status_code == 200
    assert trainee.get("/workshops/join?code=CCC000").status_code == 429
    assert len(lookups) == 10


def test_right_codes_do_not_count_and_other_people_are_not_affected(
    app, make_user, sign_in, lookups
):
    facilitator = signed_in(app, make_user, sign_in, "f@example.org", roles=(Role.FACILITATOR,))
    assert facilitator.post("/workshops/new", data=workshop_form()).status_code == 302
    code = the_workshop(app).join_code
    trainee = signed_in(app, make_user, sign_in, "member@example.org")
    # Looking at the same workshop again and again (a shared link) is never refused.
    for _ in range(15):
        assert trainee.get(f"/workshops/join?code={code}").status_code == 200
    guesser = signed_in(app, make_user, sign_in, "guesser@example.org")
    for n in range(11):
        guesser.post("/workshops/join", data={"code": f"DDD{n:03d}"})
    assert guesser.post("/workshops/join", data={"code": code}).status_code == 429
    joined = trainee.post("/workshops/join", data={"code": code, "action": "confirm"})
    assert joined.status_code == 302


# -- password reset requests --------------------------------------------------------------

def test_reset_requests_for_one_email_are_limited_whether_or_not_it_has_an_account(
    app, client, make_user
):
    make_user("known@example.org")
    for email in ("known@example.org", "nobody@example.org"):
        for _ in range(3):
            assert client.post("/account/reset-password",
                               data={"email": email}).status_code == 200
        refused = client.post("/account/reset-password", data={"email": email})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 60
        page = text_of(refused)
        assert "too many requests to reset a password" in page
        assert f'value="{email}"' in page
    with app.app_context():
        sent = [message["To"] for message in outbox()]
    # One email per allowed request, whether or not the address has an account.
    assert sent == ["known@example.org"] * 3 + ["nobody@example.org"] * 3


def test_reset_requests_from_one_address_are_limited(app, client):
    statuses = [client.post("/account/reset-password",
                            data={"email": f"person{n}@example.org"}).status_code
                for n in range(11)]
    assert statuses == [200] * 10 + [429]


# -- Redis unavailable --------------------------------------------------------------------

@pytest.fixture
def redis_down(app, database_url):  # type: ignore[no-untyped-def]
    """The same database, with the throttle's Redis on a port where nothing listens."""
    return build_app(database_url, RATELIMIT_STORAGE_URI=CLOSED_PORT)


def test_redis_down_sign_in_still_answers_and_still_throttles(
    redis_down, make_user, caplog
):
    make_user("someone@example.org")
    make_user("other@example.org")
    client = redis_down.test_client()
    assert client.get("/account/sign-in").status_code == 200
    with caplog.at_level(logging.WARNING, logger="careers_app.throttling"):
        statuses = [client.post("/account/sign-in", data={
            "email": "someone@example.org", "password": "not the password"}).status_code
            for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "throttle store unavailable (ConnectionError): counting in this process" in caplog.text
    response = client.post("/account/sign-in", data={
        "email": "other@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_redis_down_join_reset_register_and_pdf_still_answer(
    redis_down, make_user, sign_in
):
    client = redis_down.test_client()
    assert client.post("/account/reset-password",
                       data={"email": "x@example.org"}).status_code == 200
    assert client.get("/account/register").status_code == 200
    make_user("member@example.org")
    sign_in("member@example.org", test_client=client)
    assert client.post("/workshops/join", data={"code": "ZZZ999"}).status_code == 200
    assert client.get("/workshops/join?code=ZZZ998").status_code == 200
    # The plan PDF, counted per person, answers too.
    assert client.get("/plan/pdf").status_code == 200
