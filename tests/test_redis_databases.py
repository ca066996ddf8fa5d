"""Each test file that empties a Redis database has one of its own, on the server
TEST_REDIS_URL names when it is set: two files running side by side under ``make test``
never empty each other's counters."""

from __future__ import annotations

import pytest

from tests.redis_databases import DATABASES, redis_url


def test_no_two_test_files_share_a_database() -> None:
    assert len(set(DATABASES.values())) == len(DATABASES)
    assert 5 not in DATABASES.values()  # the browser tests' production-shaped stack


def test_the_default_server_is_the_local_redis() -> None:
    assert redis_url("test_throttling") == "redis://127.0.0.1:6379/12"


def test_a_developers_redis_keeps_each_files_own_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_REDIS_URL", "redis://:secret@redis.example.org:6380/3")
    urls = {test_file: redis_url(test_file) for test_file in DATABASES}
    assert urls["test_throttling"] == "redis://:secret@redis.example.org:6380/12"
    assert urls["test_accounts_sign_in"] == "redis://:secret@redis.example.org:6380/15"
    assert len(set(urls.values())) == len(DATABASES)
