"""Two tabs saving the same step at once, against real gunicorn workers.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL. Each round both tabs send
an autosave at the same moment, so one of them is usually stale.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from careers_app.extensions import db
from careers_app.worksheets.models import StepAnswer, StepRevision
from tests.factories import DEFAULT_PASSWORD

ROUNDS = 200
STEP = "/modules/scan-3-arriving-at-a-decision/steps/your-decision"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, database_url) -> Iterator[int]:
    """gunicorn with four workers on the test database (tables made by ``app``)."""
    port = free_port()
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": database_url,
           "SECRET_KEY": secrets.token_urlsafe(48), "MAIL_BACKEND": "memory"}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket",
         "--log-level", "warning", "careers_app:create_app()"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                finally:
                    conn.close()
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(process.stdout.read().decode() if process.stdout else "")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
        assert "database is locked" not in output
        assert "Traceback" not in output, output[-3000:]


def sign_in(port: int) -> tuple[str, str]:
    """(cookie, CSRF token) for the trainee, through the real sign-in form."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/account/sign-in")
    response = conn.getresponse()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode())[1]
    body = (f"email=trainee%40example.org&password={DEFAULT_PASSWORD.replace(' ', '+')}"
            f"&csrf_token={token}")
    conn.request("POST", "/account/sign-in", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    assert response.status == 302
    cookie = response.getheader("Set-Cookie").split(";")[0]
    conn.request("GET", STEP, headers={"Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode()
    # The session gains this page's CSRF secret, so the cookie changes too.
    cookie = (response.getheader("Set-Cookie") or cookie).split(";")[0]
    conn.close()
    return cookie, re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def db_name(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


@dataclass
class Tab:
    name: str
    version: int = 0
    acknowledged: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, int]] = field(default_factory=list)
    unexpected: list[tuple[int, str]] = field(default_factory=list)


def run_tab(tab: Tab, port: int, cookie: str, token: str, start: threading.Barrier) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for round_number in range(ROUNDS):
        text = f"{tab.name} draft {round_number}"
        body = json.dumps({"version": tab.version, "answers": {"reasons": text}})
        start.wait()
        conn.request("POST", f"{STEP}/autosave", body=body, headers={
            "Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read().decode()
        if response.status == 200:
            new_version = json.loads(raw)["version"]
            assert new_version == tab.version + 1
            tab.acknowledged.append((new_version, text))
            tab.version = new_version
        elif response.status == 409:
            server_version = json.loads(raw)["version"]
            tab.refused.append((tab.version, server_version))
            tab.version = server_version  # "keep my answers": send again on top of theirs
        else:
            tab.unexpected.append((response.status, raw[:300]))
    conn.close()


def test_two_tabs_interleaving_autosaves_lose_no_acknowledged_save(app, make_user, server):
    user = make_user("trainee@example.org")
    cookie, token = sign_in(server)
    tabs = [Tab("one"), Tab("two")]
    start = threading.Barrier(len(tabs))
    threads = [threading.Thread(target=run_tab, args=(tab, server, cookie, token, start))
               for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert [tab.unexpected for tab in tabs] == [[], []], "no 5xx, no other status"
    acknowledged = sorted(ack for tab in tabs for ack in tab.acknowledged)
    refused = [stale for tab in tabs for stale in tab.refused]
    versions = [version for version, _ in acknowledged]
    assert len(acknowledged) + len(refused) == 2 * ROUNDS
    # Each version was produced by exactly one acknowledged save: none overwrote another.
    assert versions == list(range(1, len(acknowledged) + 1))
    # Every refusal was for a version that really was stale.
    assert all(sent != current for sent, current in refused)
    assert refused, "the two tabs really did collide"
    print(f"\n{db_name(app)}: {len(acknowledged)} saves acknowledged, "
          f"{len(refused)} refused as stale, 0 lost")

    with app.app_context():
        row = db.session.execute(select(StepAnswer).where(StepAnswer.user_id == user.id)
                                 ).scalar_one()
        assert row.version == versions[-1]
        assert row.answers["reasons"] == acknowledged[-1][1]
        history = dict(db.session.execute(
            select(StepRevision.version, StepRevision.answers).where(
                StepRevision.step_answer_id == row.id, StepRevision.conflict.is_(False))
        ).all())
    kept = [(version, text) for version, text in acknowledged if version in history]
    assert len(kept) >= min(50, len(acknowledged)) - 1
    assert all(history[version]["reasons"] == text for version, text in kept)
