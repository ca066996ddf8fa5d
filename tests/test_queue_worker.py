"""Emails sent by a real worker process (not immediate mode): on SQLite with the SQLite
queue, and with TEST_DATABASE_URL on PostgreSQL with the queue in Redis (db 9)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from careers_app.extensions import db
from careers_app.outbox.models import OutboxEmail
from careers_app.security import Role
from tests.coaching_steps import apply, only_application
from tests.conftest import fresh_app
from tests.queue_worker import (
    empty_queue,
    free_port,
    kill,
    start_sink,
    start_worker,
    stop,
    wait_for,
    worker_environment,
)
from tests.redis_databases import redis_url

REDIS_TEST_URL = redis_url("test_queue_worker")
ALLOCATED = "A careers coach has been allocated to you"


@pytest.fixture
def queue_url(database_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return empty_queue(database_url, tmp_path, REDIS_TEST_URL)


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app(database_url: str, queue_url: str, smtp_port: int):  # type: ignore[no-untyped-def]
    """The web side: enqueues into the real queue, and sends nothing itself."""
    with fresh_app(database_url, QUEUE_IMMEDIATE=False, QUEUE_URL=queue_url,
                   MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port,
                   MAIL_USE_TLS=False) as app:
        yield app


@pytest.fixture
def worker(database_url: str, queue_url: str, smtp_port: int, tmp_path):  # type: ignore[no-untyped-def]
    """``worker()`` starts a worker process (stopped after the test); its log in tmp_path."""
    env = worker_environment(database_url, queue_url, smtp_port)
    started = []

    def start():  # type: ignore[no-untyped-def]
        process = start_worker(env, tmp_path / "worker.log")
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def emails(app, subject: str | None = None) -> list[OutboxEmail]:  # type: ignore[no-untyped-def]
    with app.app_context():
        query = select(OutboxEmail).order_by(OutboxEmail.id)
        if subject:
            query = query.where(OutboxEmail.subject == subject)
        rows = list(db.session.execute(query).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def test_allocation_with_the_mail_server_down_succeeds_at_once_and_is_emailed_once_it_is_back(
        app, make_user, sign_in, worker, smtp_port):
    make_user("t@example.org", full_name="Alex Trainee")
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    trainee, coordinator = app.test_client(), app.test_client()
    sign_in("t@example.org", test_client=trainee)
    sign_in("co@example.org", test_client=coordinator)
    assert apply(trainee).status_code == 302

    started = time.monotonic()
    response = coordinator.post(f"/coaching/queue/{only_application(app).id}", data={
        "action": "allocate", "allocate-coach": str(coach.id)})
    took = time.monotonic() - started
    assert response.status_code == 302
    assert only_application(app).status == "allocated"
    # The request tried to send nothing itself: the emails (the trainee's "received" and
    # "allocated", the coach's "allocated") wait, untried, for a worker (the bound only
    # catches a request that waited on the mail server's timeout).
    assert [(e.status, e.attempts) for e in emails(app)] == [("pending", 0)] * 3
    assert took < 5, took
    worker()
    # The worker tries, the server is not there, and it tries again later. Each
    # look is one snapshot of the row: read twice, the worker could claim it for
    # its next attempt in between and the second read would say "sending".
    waiting: list[OutboxEmail] = []

    def failed_twice() -> bool:
        waiting[:] = emails(app, ALLOCATED)
        return any(e.attempts >= 2 and e.status == "pending" for e in waiting)

    wait_for(failed_twice, 20, "two failed attempts, waiting for the next")
    assert [e.last_error for e in waiting] == ["ConnectionRefusedError"]

    sink, controller = start_sink(smtp_port)
    try:
        # The application's received email, written before, arrives too; each on its
        # own schedule of retries.
        wait_for(lambda: len(sink.to("t@example.org")) >= 2, 30, "both emails")
        time.sleep(2)  # time for a second copy, were one coming
        allocated = [m for m in sink.to("t@example.org") if ALLOCATED.encode() in m]
        assert len(allocated) == 1
        assert b"Sam Coach" in allocated[0]
        assert len(sink.to("t@example.org")) == 2
        wait_for(lambda: len(sink.to("coach@example.org")) == 1, 30, "the coach's email")
        # The worker marks an email sent once the server has said it took it.
        wait_for(lambda: [e.status for e in emails(app)] == ["sent"] * 3, 10,
                 "all three marked sent")
    finally:
        controller.stop()


def test_a_worker_killed_while_sending_leaves_no_duplicate_after_a_restart(
        app, make_user, worker, smtp_port, client):
    make_user("t@example.org")
    sink, controller = start_sink(smtp_port)
    try:
        sink.hold = True
        first = worker()
        assert client.post("/account/reset-password",
                           data={"email": "t@example.org"}).status_code == 200
        wait_for(lambda: sink.holding == 1, 20, "the worker to be mid-send")
        kill(first)
        # Released only once the server has seen the client go: released sooner, the
        # held message could be accepted in the moment before it noticed.
        wait_for(lambda: sink.dropped == 1, 10, "the server to drop the held message")
        sink.hold = False
        [claimed] = emails(app)
        assert claimed.status == "sending" and claimed.attempts == 1

        worker()
        wait_for(lambda: sink.to("t@example.org"), 20, "the email after the restart")
        time.sleep(3)  # longer than the lease: a second send would have happened by now
        assert len(sink.to("t@example.org")) == 1
        [sent] = emails(app)
        assert sent.status == "sent" and sent.attempts == 2
    finally:
        controller.stop()


def test_healthz_reports_the_queue_and_the_workers_heartbeat(app, client, worker):
    before = client.get("/healthz").get_json()
    assert before["queue"] == "ok"
    worker()
    wait_for(lambda: client.get("/healthz").get_json()["worker_heartbeat_age_seconds"]
             is not None, 20, "a heartbeat")
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json()["worker_heartbeat_age_seconds"] <= 5
