"""Throttles hold under concurrency, across instances, and when Redis is down."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

import careers_app.accounts.service as account_service
import careers_app.accounts.throttle as throttle_rules
from careers_app.accounts.throttle import TOO_MANY_MESSAGE
from careers_app.throttling import Rule
from tests.conftest import build_app
from tests.factories import DEFAULT_PASSWORD
from tests.redis_databases import redis_url

REDIS_URL = redis_url("test_throttling")
CLOSED_PORT = "redis://127.0.0.1:1/0"
SHARED_SECRET = "Zq3v8LmP0xR7tY2wK9nB4cD6fG1hJ5sA-throttle"
BURST = 24


@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password actually checked (argon2 verification) is recorded here."""
    checked: list[str] = []
    lock = threading.Lock()
    real = account_service.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        with lock:
            checked.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(account_service, "verify_password", counting)
    return checked


def instance(database_url: str, storage: str) -> Flask:
    """Another application object, as a second gunicorn instance would be."""
    return build_app(database_url, RATELIMIT_STORAGE_URI=storage, SECRET_KEY=SHARED_SECRET)


def burst(apps: list[Flask], email: str, password: str, size: int = BURST) -> list[int]:
    """``size`` sign-in posts released at the same instant, spread over ``apps``."""
    barrier = threading.Barrier(size)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        client = apps[number % len(apps)].test_client()
        barrier.wait()
        response = client.post("/account/sign-in", data={"email": email, "password": password})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def sign_in(app: Flask, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    return app.test_client().post("/account/sign-in",
                                  data={"email": email, "password": password})


# -- sign-in: a concurrent burst ----------------------------------------------------------

def test_concurrent_burst_on_one_instance_evaluates_at_most_five(
    app, database_url, make_user, redis_url, evaluated
):
    make_user("target@example.org")
    make_user("bystander@example.org")
    one = instance(database_url, redis_url)
    statuses = burst([one], "target@example.org", "wrong password, again")
    assert len(evaluated) <= 5, f"{len(evaluated)} passwords were checked"
    assert statuses.count(200) == len(evaluated)
    assert statuses.count(429) == BURST - len(evaluated)
    # The right password is refused now, without being checked...
    before = len(evaluated)
    assert sign_in(one, "target@example.org").status_code == 429
    assert len(evaluated) == before
    # ...and another account signs in straight away.
    response = sign_in(one, "bystander@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")


def test_concurrent_burst_split_over_two_instances_evaluates_at_most_five(
    app, database_url, make_user, redis_url, evaluated
):
    make_user("target@example.org")
    make_user("bystander@example.org")
    instances = [instance(database_url, redis_url), instance(database_url, redis_url)]
    statuses = burst(instances, "target@example.org", "wrong password, again")
    assert len(evaluated) <= 5, f"{len(evaluated)} passwords were checked"
    assert statuses.count(429) == BURST - len(evaluated)
    assert sign_in(instances[1], "target@example.org").status_code == 429
    assert sign_in(instances[0], "bystander@example.org").status_code == 302


def test_concurrent_burst_with_memory_storage_evaluates_at_most_five(
    app, database_url, make_user, evaluated
):
    make_user("target@example.org")
    statuses = burst([app], "target@example.org", "wrong password, again")
    assert len(evaluated) <= 5, f"{len(evaluated)} passwords were checked"
    assert statuses.count(429) == BURST - len(evaluated)


def test_refusal_says_when_to_try_again(app, make_user):
    make_user("target@example.org")
    for _ in range(5):
        assert sign_in(app, "target@example.org", "not the password").status_code == 200
    refused = sign_in(app, "target@example.org")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    assert TOO_MANY_MESSAGE in page
    assert 'value="target@example.org"' in page
    assert DEFAULT_PASSWORD not in page


# -- what a success does ------------------------------------------------------------------

def test_a_successful_sign_in_clears_the_accounts_failures(app, make_user, evaluated):
    make_user("forgetful@example.org")
    for _ in range(4):
        sign_in(app, "forgetful@example.org", "not the password")
    assert sign_in(app, "forgetful@example.org").status_code == 302
    for _ in range(5):
        assert sign_in(app, "forgetful@example.org", "still not it").status_code == 200
    assert sign_in(app, "forgetful@example.org").status_code == 429


@pytest.fixture
def address_limit_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-address rule with a limit small enough to reach quickly (same kind)."""
    small = Rule(throttle_rules.SIGN_IN_ADDRESS.name, "3 per minute",
                 on_success=throttle_rules.SIGN_IN_ADDRESS.on_success)
    monkeypatch.setattr(throttle_rules, "SIGN_IN_ADDRESS", small)


def test_successes_from_one_address_do_not_use_up_its_allowance(
    app, make_user, address_limit_of_three
):
    """Colleagues behind one hospital address sign in one after another."""
    for number in range(5):
        make_user(f"colleague{number}@example.org")
    for number in range(5):
        assert sign_in(app, f"colleague{number}@example.org").status_code == 302


def test_failures_from_one_address_are_limited_across_accounts(
    app, make_user, evaluated, address_limit_of_three
):
    for number in range(4):
        response = sign_in(app, f"guess{number}@example.org", "Summer2026!!")
        assert response.status_code == (200 if number < 3 else 429), number
    assert len(evaluated) == 3
    # Another address is not affected.
    other = app.test_client().post(
        "/account/sign-in", data={"email": "guess0@example.org", "password": "Summer2026!!"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
