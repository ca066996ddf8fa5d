#!/usr/bin/env python3
"""Wall time to render the action-plan PDF afresh, and to serve it again from the cache.

Two trainees answer every step of the ten SCAN and foundation modules through the
worksheet service: a realistic one and one with the largest answers the forms accept
(a stress case). For each, the default plan and the plan with "Everything I wrote" as an
appendix are rendered in this process, warm (fonts and stylesheets loaded by a first
render), and timed; then ``GET /plan/pdf`` is timed through the Flask test client once
the PDF is stored (cached). Figures only, never pass/fail; the targets are printed
beside them. Run from the project root. See bench/README.md.

    .venv/bin/python bench/plans.py [--runs 20] [--database-url sqlite:////tmp/x.sqlite3]
    .venv/bin/python bench/plans.py --profile     # also where the appendix's render goes
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import math
import os
import platform
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # careers_app and tests, whatever the working folder
os.environ["APP_ENV"] = "test"  # as tests/conftest.py does, before careers_app loads

from flask import Flask, render_template  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.test import TestResponse  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.content.schema import FieldSpec, Module  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.pdf import render_pdf  # noqa: E402
from careers_app.plans import service  # noqa: E402
from careers_app.plans import views as plan_views  # noqa: E402
from careers_app.throttling import Rule  # noqa: E402
from careers_app.worksheets.service import find_answer, save_step  # noqa: E402
from tests.e2e.long_answers import paragraph, text  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_account  # noqa: E402

DEFAULT_TARGET, APPENDIX_TARGET, CACHED_TARGET = 0.3, 1.5, 0.020  # seconds
MODULES = ("scan-1-self-awareness", "scan-2-career-exploration",
           "scan-3-arriving-at-a-decision", "scan-4-next-steps",
           "foundation-choosing-a-specialty", "foundation-f3-and-other-routes",
           "specialty-interview-preparation", "consultant-interview",
           "networking-for-clinicians", "reflective-practice")
TODAY = dt.date(2026, 12, 5)
# A realistic answer: a free-text answer fills about half the words it may have, at most
# 450 characters (about 75 words: a considered paragraph, not an essay); anything else
# typed (a short answer, a row's cell, an action, an option's name) is a phrase or a
# sentence of at most 100 characters.
PARAGRAPH_SHARE, PARAGRAPH_CHARACTERS, PHRASE_CHARACTERS = 0.5, 450, 100
SUMMARY = ("I want to train in general practice, where I can look after the same patients "
           "over years and keep teaching. Over the next year I will test that choice with a "
           "taster week and conversations with GP trainees, and keep a back-up plan ready.")


class BenchError(RuntimeError):
    """Setting up or serving failed; the message says what happened."""


def realistic(spec: FieldSpec) -> Any:
    """The answer of a trainee who did the work: the sample's usual size (three rows,
    three options, a 3 x 3 matrix), in prose of the lengths above."""
    most = (PARAGRAPH_CHARACTERS if spec.type == "long_text" else PHRASE_CHARACTERS)
    return spec.kind.sample(
        spec, lambda limit, n: text(min(int(limit * PARAGRAPH_SHARE), most), n), TODAY)


def largest(spec: FieldSpec) -> Any:
    """The stress case: every row, option and factor the field allows, every piece of
    text at its length in prose, and each long text as near its word limit as whole
    sentences come."""
    if spec.type == "long_text" and spec.max_words:
        return paragraph(spec.max_words)
    return spec.kind.sample(spec, lambda limit, n: text(limit, n), TODAY, full=True)


TRAINEES: dict[str, Callable[[FieldSpec], Any]] = {
    "realistic": realistic, "every field at its largest": largest}


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


def save_modules(app: Flask, user_id: int, answer: Callable[[FieldSpec], Any]) -> int:
    """Every step of the ten modules saved through the worksheet service; words saved."""
    registry = app.extensions["modules"]
    words = 0
    for slug in MODULES:
        module: Module = registry.get(slug)
        for step in module.steps:
            answers = {spec.id: answer(spec) for spec in step.fields}
            current = find_answer(user_id, slug, step.id)
            outcome = save_step(user_id, module, step, answers,
                                current.version if current else 0, confirm=True)
            if outcome.status != "saved":
                raise BenchError(f"{slug}/{step.id} was not saved: {outcome.errors}")
            words += words_in(answers)
    return words


def words_in(value: Any) -> int:
    """Words of text in an answer, however it nests."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, dict):
        return sum(words_in(part) for part in value.values())
    if isinstance(value, list):
        return sum(words_in(part) for part in value)
    return 0


@dataclass
class Rendered:
    label: str
    times: list[float]  # wall seconds
    cpu: list[float]  # this process's CPU seconds, less moved by other work on the machine
    pages: int
    kib: float
    html: str


def time_runs(runs: int, call: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per call."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def time_render(label: str, document: dict[str, Any], runs: int) -> Rendered:
    """The renderer the job's child runs, called here in-process: the HTML is made once
    (as the job does, before it hands the HTML over), then turned into a PDF ``runs``
    times after one warm-up."""
    html = render_template("pdf/plan.html", doc=document, reading=None)
    first = render_pdf(html)  # warm-up: fonts, stylesheets
    wall, cpu = time_runs(runs, lambda: render_pdf(html))
    return Rendered(label, wall, cpu, first.pages, len(first.pdf) / 1024, html)


def row(rendered: Rendered, target: float | None) -> str:
    ms = [1000 * t for t in rendered.times]
    median, p90 = statistics.median(ms), percentile(ms, .9)
    goal = f"<= {1000 * target:g}" if target else "-"
    share = f"{median / (10 * target):.0f}%" if target else "-"
    return (f"{rendered.label:<44}{rendered.pages:>6}{rendered.kib:>8.0f}{median:>9.0f}"
            f"{p90:>9.0f}{min(ms):>9.0f}{max(ms):>9.0f}"
            f"{1000 * statistics.median(rendered.cpu):>9.0f}{goal:>9}{share:>8}")


def profile(html: str, top: int) -> None:
    """Where a render goes: WeasyPrint's own functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    render_pdf(html)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    parser.add_argument("--stress-runs", type=int, default=3,
                        help="timed runs of the stress case, whose appendix takes seconds")
    parser.add_argument("--database-url", help="a database it may write to (tables created if "
                        "missing, two bench accounts added); default: a temporary SQLite file")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one render of the realistic plan with its appendix")
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
            measure(app, args.runs, args.stress_runs,
                    shown if args.database_url else f"SQLite file in {work}", args.profile)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def measure(app: Flask, runs: int, stress_runs: int, database: str, profiling: bool) -> None:
    tag = secrets.token_hex(4)
    people: dict[str, tuple[int, int]] = {}
    with app.app_context():
        for number, (name, answer) in enumerate(TRAINEES.items()):
            user_id = make_account(f"bench-plans-{tag}-{number}@example.org",
                                   full_name="Alex Bench-Trainee").id
            words = save_modules(app, user_id, answer)
            service.save_summary(user_id, SUMMARY)
            people[name] = (user_id, words)

    load_before = os.getloadavg()[0]
    results: list[tuple[Rendered, float | None]] = []
    with app.test_request_context():
        for name, (user_id, _words) in people.items():
            user = db.session.get(User, user_id)
            assert user is not None
            stress = name != "realistic"
            if stress and not stress_runs:
                continue
            for appendix in (False, True):
                document = service.assemble(user, app.extensions["modules"], TODAY,
                                            appendix=appendix).document
                label = f"{name}, {'with the appendix' if appendix else 'default plan'}"
                target = None if stress else (APPENDIX_TARGET if appendix else DEFAULT_TARGET)
                results.append((time_render(label, document, stress_runs if stress else runs),
                                target))
    load_rendered = os.getloadavg()[0]

    # Cached: the real view, once the first request has stored the PDF under its hash.
    # Counting calls to the renderer shows every timed request was served from the cache.
    client: FlaskClient = app.test_client()
    with app.app_context():
        email = db.session.get(User, people["realistic"][0]).email
    expect(client.post("/account/sign-in", data={"email": email, "password": DEFAULT_PASSWORD}),
           302, "signing in")
    # The view allows 30 a minute per person: a limit far above the runs keeps its check
    # in the figure without meeting a 429.
    roomy = Rule(plan_views.PDF_DOWNLOADS.name, "100000 per minute")
    with mock.patch.object(service, "render_plan_pdf", wraps=service.render_plan_pdf) as spy, \
            mock.patch.object(plan_views, "PDF_DOWNLOADS", roomy):
        responses = [client.get("/plan/pdf"), client.get("/plan/pdf")]  # render, warm-up
        renders_before = spy.call_count
        cached, cached_cpu = time_runs(runs, lambda: responses.append(client.get("/plan/pdf")))
        cache_renders = spy.call_count - renders_before
    body = responses[0].get_data()
    for response in responses:
        expect(response, 200, "GET /plan/pdf")
        if not body.startswith(b"%PDF") or response.get_data() != body:
            raise BenchError("a cached response was not the PDF the first request returned")

    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}; 1-min load {load_before:.2f} before the "
          f"renders, {load_rendered:.2f} after them, {os.getloadavg()[0]:.2f} at the end")
    print(f"software  WeasyPrint {metadata.version('weasyprint')}, pydyf "
          f"{metadata.version('pydyf')}, Flask {metadata.version('flask')}")
    print(f"database  {database}")
    print(f"trainees  every step of {len(MODULES)} modules saved, a career aim; words saved: "
          + ", ".join(f"{name} {words:,}" for name, (_id, words) in people.items()))
    print(f"runs      {runs} timed after one warm-up each ({stress_runs} of the stress case), "
          "in this process (the job renders in a child of the same code)")
    print(f"cached    renders by the view: {renders_before} for the first two requests, "
          f"{cache_renders} during the timed ones\n")
    print(f"{'wall time, ms':<44}{'pages':>6}{'KiB':>8}{'median':>9}{'p90':>9}{'min':>9}"
          f"{'max':>9}{'CPU med':>9}{'target':>9}{'median':>8}")
    for rendered, target in results:
        print(row(rendered, target))
    print(row(Rendered("realistic, cached GET /plan/pdf", cached, cached_cpu, len(
        PdfReader(io.BytesIO(body)).pages), len(body) / 1024, ""), CACHED_TARGET))

    if profiling:
        with app.test_request_context():
            print("\nprofile of one render: realistic, with the appendix")
            profile(results[1][0].html, 35)


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"benchmark failed: {error}")
