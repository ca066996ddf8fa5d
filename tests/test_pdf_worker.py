"""Plan PDFs made by a real worker process (not immediate mode), each render in a child
process with its limits: a plan too long for the time limit fails with the clear message
and the same worker goes on to make the next person's PDF. On SQLite with the SQLite
queue, and with TEST_DATABASE_URL on PostgreSQL with the queue in Redis (db 12)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.plans import service as plans_service
from careers_app.plans.models import PdfRender
from tests.conftest import fresh_app
from tests.e2e import long_answers
from tests.planning import SCAN3, answer
from tests.queue_worker import (
    empty_queue,
    free_port,
    start_worker,
    stop,
    wait_for,
    worker_environment,
)
from tests.redis_databases import redis_url

REDIS_TEST_URL = redis_url("test_pdf_worker")
# The longest plan the modules allow, with everything written, renders in 5 to 8 s on a
# 2-core machine (over 100 pages); a one-answer plan in 0.2 to 0.4 s. The limit sits
# between them with room for a busy machine: the child renders at a lower priority, and
# in CI the browser tests render PDFs on the same cores.
TIME_LIMIT = "2.5"


@pytest.fixture
def queue_url(database_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return empty_queue(database_url, tmp_path, REDIS_TEST_URL)


@pytest.fixture
def app(database_url: str, queue_url: str):  # type: ignore[no-untyped-def]
    """The web side: it enqueues renders into the real queue and renders nothing."""
    with fresh_app(database_url, QUEUE_IMMEDIATE=False, QUEUE_URL=queue_url) as app:
        yield app


@pytest.fixture
def worker(database_url: str, queue_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """``worker(**settings)`` starts a worker process with those PDF settings."""
    started = []

    def start(**settings: str):  # type: ignore[no-untyped-def]
        env = {**worker_environment(database_url, queue_url, free_port()),
               "PDF_RETRY_DELAY": "0.2", "PDF_PRERENDER_DELAY": "3600", **settings}
        process = start_worker(env, tmp_path / "worker.log")
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def fullest_plan(app, user_id: int) -> None:  # type: ignore[no-untyped-def]
    """Every step of every module answered at the longest its limits allow."""
    today = uk_today()
    for module in app.extensions["modules"]:
        for step in module.steps:
            answers = {spec.id: (long_answers.paragraph(spec.max_words or 200)
                                 if spec.type == "long_text"
                                 else long_answers.field_answer(spec, today))
                       for spec in step.fields}
            answer(app, user_id, module.slug, step.id, answers)


def rows(app) -> list[PdfRender]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = list(db.session.execute(select(PdfRender).order_by(PdfRender.id)).scalars())
        for row in found:
            db.session.expunge(row)
        return found


def status(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    return str(client.get(f"/plan/pdf/status{query}").get_json()["status"])


# The longest PDF a trainee can ask for: their plan with everything they wrote.
EVERYTHING = "?appendix=yes"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def signed_in(app, make_user, sign_in, email: str, name: str):  # type: ignore[no-untyped-def]
    user = make_user(email, full_name=name)
    client = app.test_client()
    sign_in(email, test_client=client)
    return user, client


def test_a_plan_past_the_time_limit_fails_clearly_and_the_worker_makes_the_next_pdf(
        app, make_user, sign_in, worker, monkeypatch):
    long_user, long_client = signed_in(app, make_user, sign_in, "long@example.org",
                                       "Lee Longplan")
    short_user, short_client = signed_in(app, make_user, sign_in, "short@example.org",
                                         "Sam Shortplan")
    fullest_plan(app, long_user.id)
    answer(app, short_user.id, SCAN3, "your-decision", {"first-choice": "Renal medicine"})
    process = worker(PDF_RENDER_SECONDS=TIME_LIMIT, PDF_RENDER_ATTEMPTS="3")

    rendered_in_the_request: list[str] = []
    monkeypatch.setattr(plans_service, "render_isolated",
                        lambda html, *limits: rendered_in_the_request.append(html))
    response = long_client.get("/plan/pdf" + EVERYTHING)
    assert response.status_code == 303
    assert rendered_in_the_request == []  # the worker renders it, not the request
    assert "Preparing your PDF" in text_of(long_client.get("/plan/pdf/preparing" + EVERYTHING))
    wait_for(lambda: status(long_client, EVERYTHING) == "failed", 60,
             "the long plan's render to fail")
    page = text_of(long_client.get("/plan/pdf/preparing" + EVERYTHING))
    assert "Your plan is too long to turn into a PDF in one go" in page
    assert "What you can do" in page
    (failed,) = rows(app)
    assert failed.failure == "timeout" and failed.attempts == 3  # tried twice more, no more

    assert short_client.get("/plan/pdf").status_code == 303
    wait_for(lambda: status(short_client) == "ready", 60, "the next person's PDF")
    download = short_client.get("/plan/pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(download.data)).pages)
    assert "Renal medicine" in text and "Sam Shortplan" in text
    assert process.poll() is None  # the same worker, still running


def test_a_render_past_the_memory_limit_fails_as_memory_and_the_worker_carries_on(
        app, make_user, sign_in, worker, tmp_path):
    long_user, long_client = signed_in(app, make_user, sign_in, "long@example.org",
                                       "Lee Longplan")
    fullest_plan(app, long_user.id)
    process = worker(PDF_RENDER_MEMORY_MB="120", PDF_RENDER_ATTEMPTS="3")

    assert long_client.get("/plan/pdf" + EVERYTHING).status_code == 303
    wait_for(lambda: status(long_client, EVERYTHING) == "failed", 60, "the render to fail")
    (failed,) = rows(app)
    assert failed.failure == "memory" and failed.attempts == 1  # not worth another try
    waiting_page = long_client.get("/plan/pdf/preparing" + EVERYTHING)
    assert "too long to turn into a PDF" in text_of(waiting_page)
    assert process.poll() is None
    # The worker still takes jobs: the changed plan's render is taken up too.
    answer(app, long_user.id, SCAN3, "your-decision", {"first-choice": "Renal medicine"})
    assert long_client.get("/plan/pdf").status_code == 303
    wait_for(lambda: status(long_client) != "queued", 60, "the worker to take the next job")
    log = (tmp_path / "worker.log").read_text()
    assert "Renal medicine" not in log and "Lee Longplan" not in log
    assert "pdf render failed: render id" in log and "memory" in log
