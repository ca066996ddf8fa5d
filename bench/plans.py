#!/usr/bin/env python3
"""Wall time to render the action-plan PDF afresh, and to serve it again from the cache.

Builds a typical plan (most SCAN 1 and SCAN 3 steps answered through the step forms, a
summary and three actions: 3 A4 pages), then times ``render_plan_pdf`` on its document
(fresh) and ``GET /plan/pdf`` through the Flask test client once the PDF is stored
(cached). Figures only, never pass/fail; the targets are printed beside them. Run from
the project root. See bench/README.md.

    .venv/bin/python bench/plans.py [--runs 20] [--database-url sqlite:////tmp/x.sqlite3]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # careers_app and tests, whatever the working folder
os.environ["APP_ENV"] = "test"  # as tests/conftest.py does, before careers_app loads

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.test import TestResponse  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.extensions import db, limiter  # noqa: E402
from careers_app.plans import service  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_account  # noqa: E402
from tests.test_worksheets_pages import (  # noqa: E402
    SCAN1,
    SCAN3,
    SCAN3_FORMS,
    post_step,
    scan1_forms,
)

FRESH_TARGET, CACHED_TARGET = 0.5, 0.020  # seconds
# Left unanswered so the plan prints on about three A4 pages (every step answered gives
# five): it keeps the values chart, the decision matrix and two other tables.
UNANSWERED = {SCAN1: {"skills-audit", "ways-of-working", "summary"}, SCAN3: {"pros-and-cons"}}
SUMMARY = ("I want to train in general practice, where I can look after the same patients "
           "over years and keep teaching. Over the next year I will test that choice with a "
           "taster week and conversations with GP trainees, and keep a back-up plan ready.")
ACTIONS = [
    ("Book a taster week in a GP surgery", "Week booked in the rota", "Educational supervisor",
     (14, 3, 2027)),
    ("Talk to two GP trainees about the rota and training", "Two conversations written up",
     "Foundation programme director", (2, 4, 2027)),
    ("Draft the GP application's white space questions", "Draft read by my supervisor",
     "Careers coach", (15, 9, 2027)),
]


class BenchError(RuntimeError):
    """Setting up or serving failed; the message says what happened."""


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile, in the values' own unit (nan when there are none)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def expect(response: TestResponse, status: int, what: str) -> None:
    if response.status_code != status:
        raise BenchError(f"{what} answered {response.status_code}, not {status}:\n"
                         f"{response.get_data(as_text=True)[:1000]}")


def build_plan(app: Flask, client: FlaskClient) -> int:
    """Sign in a new trainee and fill in a typical plan through the real forms."""
    email = f"bench-plans-{secrets.token_hex(4)}@example.org"
    with app.app_context():
        user_id = make_account(email, full_name="Alex Bench-Trainee").id
    expect(client.post("/account/sign-in", data={"email": email, "password": DEFAULT_PASSWORD}),
           302, "signing in")
    for slug, forms in ((SCAN1, scan1_forms(app)), (SCAN3, SCAN3_FORMS)):
        for step_id, data in forms.items():
            if step_id in UNANSWERED[slug]:
                continue
            expect(post_step(client, slug, step_id, data), 302, f"{slug}/{step_id}")
    expect(client.post("/plan/summary", data={"summary": SUMMARY}), 302, "the summary")
    for text, measure, support, (day, month, year) in ACTIONS:
        expect(client.post("/plan/actions/new", data={
            "text": text, "measure": measure, "support": support, "status": "not_started",
            "target_date--day": str(day), "target_date--month": str(month),
            "target_date--year": str(year)}), 302, "a new action")
    return user_id


def time_runs(runs: int, call: Callable[[], object], before: Callable[[], object] = lambda: None
              ) -> list[float]:
    """Seconds per call; ``before`` runs untimed ahead of each one."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float], target: float) -> str:
    ms = [1000 * t for t in times]
    median, p90 = statistics.median(ms), percentile(ms, .9)
    share = 100 / (1000 * target)  # percent of the target per millisecond
    return (f"{name:<24}{median:>9.1f}{p90:>9.1f}{min(ms):>9.1f}{max(ms):>9.1f}"
            f"{f'< {1000 * target:g}':>10}{median * share:>14.0f}%{p90 * share:>11.0f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    parser.add_argument("--database-url", help="a database it may write to (tables created if "
                        "missing, one bench account added); default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="careers-bench-plans-") as work:
        url = args.database_url or f"sqlite:///{Path(work) / 'bench.sqlite3'}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "SECRET_KEY": secrets.token_urlsafe(48), "MAIL_BACKEND": "memory",
                          "WTF_CSRF_ENABLED": False, "SERVER_NAME": "careers.test"})
        with app.app_context():
            db.create_all()
        try:
            shown = make_url(url).render_as_string(hide_password=True)
            measure(app, args.runs, shown if args.database_url else f"SQLite file in {work}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def measure(app: Flask, runs: int, database: str) -> None:
    load_before = os.getloadavg()[0]
    client = app.test_client()
    user_id = build_plan(app, client)

    # Fresh: the renderer alone, on the document the view would render.
    with app.test_request_context():
        user = db.session.get(User, user_id)
        assert user is not None
        document = service.assemble(user, app.extensions["modules"]).document
        pdf = service.render_plan_pdf(document)  # warm-up: fonts, stylesheet, imports
        fresh = time_runs(runs, lambda: service.render_plan_pdf(document))
    reader = PdfReader(io.BytesIO(pdf))
    words = len(" ".join(page.extract_text() for page in reader.pages).split())

    # Cached: the real view, once the first request has stored the PDF under its hash.
    # Counting calls to the renderer shows every timed request was served from the cache.
    with mock.patch.object(service, "render_plan_pdf", wraps=service.render_plan_pdf) as spy:
        responses = [client.get("/plan/pdf"), client.get("/plan/pdf")]  # render, warm-up
        renders_before = spy.call_count
        # The view allows 30 a minute per person: emptying the counts before each request
        # (untimed) keeps the limiter's own check in the figure without meeting a 429.
        cached = time_runs(runs, lambda: responses.append(client.get("/plan/pdf")),
                           before=limiter.reset)
        cache_renders = spy.call_count - renders_before
    body = responses[0].get_data()
    for response in responses:
        expect(response, 200, "GET /plan/pdf")
        if not body.startswith(b"%PDF") or response.get_data() != body:
            raise BenchError("a cached response was not the PDF the first request returned")

    box = reader.pages[0].mediabox
    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}; load {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after (1-min average)")
    print(f"software  WeasyPrint {metadata.version('weasyprint')}, pydyf "
          f"{metadata.version('pydyf')}, Flask {metadata.version('flask')}")
    print(f"database  {database}")
    skipped = "; ".join(f"SCAN {slug.split('-')[1]} {', '.join(sorted(steps))}"
                        for slug, steps in UNANSWERED.items())
    print(f"plan      SCAN 1 and SCAN 3 steps answered but {skipped}; a summary; "
          f"{len(document['actions'])} actions ({len(ACTIONS)} added on the plan)")
    print(f"PDF       {len(reader.pages)} pages of {float(box.width):.0f} x "
          f"{float(box.height):.0f} pt (A4 is 595 x 842), {len(pdf) / 1024:.1f} KiB, "
          f"{words} words; the view serves {len(body) / 1024:.1f} KiB")
    print(f"runs      {runs} timed after one warm-up each; renders by the view: "
          f"{renders_before} for the first two requests, {cache_renders} during cached runs\n")
    print(f"{'wall time, ms':<24}{'median':>9}{'p90':>9}{'min':>9}{'max':>9}{'target':>10}"
          f"{'median/target':>15}{'p90/target':>12}")
    print(row("fresh render_plan_pdf", fresh, FRESH_TARGET))
    print(row("cached GET /plan/pdf", cached, CACHED_TARGET))


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"benchmark failed: {error}")
