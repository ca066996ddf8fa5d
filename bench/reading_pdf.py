#!/usr/bin/env python3
"""What reading preferences cost a plan PDF: render time and pages per typeface and size.

One trainee with the typical SCAN answers (tests/planning.py) and one with every field
at its length (tests/e2e/long_answers.py). Each plan is rendered in this process (no
child, no queue) ``--runs`` times per setting after one warm-up; prints the median time
and the pages. Figures only, never pass/fail.

    .venv/bin/python bench/reading_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "test"

from flask import render_template  # noqa: E402

from bench.plan_pages import SCAN_MODULES, save_module  # noqa: E402
from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.pdf import render_pdf  # noqa: E402
from careers_app.plans import service  # noqa: E402
from careers_app.reading.preferences import ReadingPreferences  # noqa: E402
from tests.e2e.long_answers import long_answers  # noqa: E402
from tests.factories import make_account  # noqa: E402
from tests.planning import typical_plan  # noqa: E402

SETTINGS = {
    "standard": ReadingPreferences(),
    "Atkinson Hyperlegible": ReadingPreferences(typeface="atkinson"),
    "OpenDyslexic": ReadingPreferences(typeface="opendyslexic"),
    "OpenDyslexic, largest, wide, cream": ReadingPreferences(
        typeface="opendyslexic", text_size="largest", line_spacing="wide", colours="cream"),
}


def measure(document: dict, preferences: ReadingPreferences, runs: int) -> tuple[float, int]:  # type: ignore[type-arg]
    html = render_template("pdf/plan.html", doc=document, reading=preferences.for_print())
    render_pdf(html)  # warm-up: fonts parsed once per thread
    times, pages = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        pages = render_pdf(html).pages
        times.append(time.perf_counter() - started)
    return statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'reading.sqlite3'}",
                      "SECRET_KEY": secrets.token_urlsafe(32), "TESTING": True,
                      "MAIL_BACKEND": "memory", "SERVER_NAME": "careers.test",
                      "EXTERNAL_URL": "https://careers.test"})
    with app.app_context():
        db.create_all()
        registry = app.extensions["modules"]
        typical = make_account("typical@example.org")
        typical_plan(app, typical.id)
        long = make_account("long@example.org")
        for slug in SCAN_MODULES:
            save_module(long.id, slug, long_answers(registry.get(slug), dt.date(2026, 12, 5)))
        print(f"{'plan':<10} {'setting':<36} {'median':>8} {'pages':>6}")
        for name, person in (("typical", typical), ("long", long)):
            with app.test_request_context():
                user = db.session.get(User, person.id)
                document = service.assemble(user, registry).document
                for label, preferences in SETTINGS.items():
                    seconds, pages = measure(document, preferences, runs)
                    print(f"{name:<10} {label:<36} {seconds:>7.2f}s {pages:>6}")


if __name__ == "__main__":
    main()
