#!/usr/bin/env python3
"""How many A4 pages the action plan takes, for trainees who have done the work.

Three trainees work through SCAN 1 to 4 (every step saved through the worksheet
service): "typical" answers as typed in tests/e2e/test_scan_thread.py, "long" answers
(tests/e2e/long_answers.py: every field at its length, 150-word paragraphs), and "long"
with a 200-word career aim. Prints the pages of the default plan and of the plan with
everything they wrote as an appendix. Figures only; the target (issue: a coach reads the
plan in two minutes) is at most 2 pages for the default plan.

    .venv/bin/python bench/plan_pages.py
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "test"

from flask import current_app  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.plans import service  # noqa: E402
from careers_app.worksheets.service import find_answer, save_step  # noqa: E402
from tests.e2e.long_answers import long_answers, paragraph  # noqa: E402
from tests.factories import make_account  # noqa: E402
from tests.planning import SCAN1, SCAN3, SCAN4, typical_plan  # noqa: E402

SCAN_MODULES = (SCAN1, "scan-2-career-exploration", SCAN3, SCAN4)
TARGET_PAGES = 2


def save_module(user_id: int, slug: str, answers: dict) -> None:  # type: ignore[type-arg]
    registry = current_app.extensions["modules"]
    module = registry.get(slug)
    for step_id, step_answers in answers.items():
        current = find_answer(user_id, slug, step_id)
        outcome = save_step(user_id, module, module.step(step_id), step_answers,
                            current.version if current else 0, confirm=True)
        assert outcome.status == "saved", (slug, step_id, outcome.errors)


def pages(user: User, appendix: bool) -> int:
    document = service.assemble(user, current_app.extensions["modules"],
                                appendix=appendix).document
    return service.render_plan_pdf(document).pages


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'pages.sqlite3'}",
                      "SECRET_KEY": secrets.token_urlsafe(32), "TESTING": True,
                      "MAIL_BACKEND": "memory", "SERVER_NAME": "careers.test",
                      "EXTERNAL_URL": "https://careers.test"})
    today = dt.date(2026, 12, 5)
    with app.app_context():
        db.create_all()
        registry = app.extensions["modules"]
        people = {}
        typical = make_account("typical@example.org")
        typical_plan(app, typical.id)
        people["typical (tests/planning.py)"] = typical
        for name, aim_words in (("long answers", 0), ("long answers and a 200-word aim", 200)):
            user = make_account(f"{aim_words}@example.org")
            for slug in SCAN_MODULES:
                save_module(user.id, slug, long_answers(registry.get(slug), today))
            if aim_words:
                service.save_summary(user.id, paragraph(aim_words))
            people[name] = user
        print(f"{'trainee':<36} {'default plan':>13} {'with appendix':>14}   target")
        for name, user in people.items():
            user = db.session.get(User, user.id)
            default, everything = pages(user, False), pages(user, True)
            print(f"{name:<36} {default:>7} pages {everything:>8} pages   "
                  f"default <= {TARGET_PAGES}: {'yes' if default <= TARGET_PAGES else 'NO'}")


if __name__ == "__main__":
    main()
