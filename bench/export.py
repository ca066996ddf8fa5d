#!/usr/bin/env python3
"""Wall time to build one "Download my data" export for a heavy account.

The account: all ten SCAN and foundation modules answered at length (the answers of
tests/e2e/long_answers.py), every step saved 50 times with changing text (so 50 kept
versions per step), 5 snapshots of the plan with their PDFs, a share with comments,
and a coaching history (application, allocation, three appointments, one cancelled,
notes). Then it times ``build_export`` (the job's whole work: walk the schema, build
data.json and the pages, make the plan's PDF, write the ZIP, store it, write the email)
and prints the figures beside the target (under 30 s). Figures only, never pass/fail.
Run from the project root. See bench/README.md.

    .venv/bin/python bench/export.py [--runs 3] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import secrets
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # careers_app and tests, whatever the working folder
os.environ["APP_ENV"] = "test"  # as tests/conftest.py does, before careers_app loads

from flask import Flask  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.coaching import service as coaching  # noqa: E402
from careers_app.db import utcnow  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.personal_data import service as exports  # noqa: E402
from careers_app.personal_data.models import DataExport  # noqa: E402
from careers_app.plans import rendering, sharing  # noqa: E402
from careers_app.plans.models import PdfRender, ShareMode  # noqa: E402
from careers_app.security import Role  # noqa: E402
from careers_app.worksheets.models import StepRevision  # noqa: E402
from careers_app.worksheets.service import find_answer, save_step  # noqa: E402
from tests.e2e.long_answers import long_answers  # noqa: E402
from tests.factories import make_account  # noqa: E402

TARGET = 30.0  # seconds
VERSIONS = 50
SNAPSHOTS = 5
MODULES = ("scan-1-self-awareness", "scan-2-career-exploration",
           "scan-3-arriving-at-a-decision", "scan-4-next-steps",
           "foundation-choosing-a-specialty", "foundation-f3-and-other-routes",
           "specialty-interview-preparation", "consultant-interview",
           "networking-for-clinicians", "reflective-practice")


def _changed(answers: dict[str, object], number: int) -> dict[str, object]:
    """The same answers with each piece of free text changed, as a later save would be."""
    return {key: f"(Draft {number}) {value}"[: len(value)] if isinstance(value, str)
            and " " in value else value for key, value in answers.items()}


def build_account(app: Flask) -> int:
    registry = app.extensions["modules"]
    today = dt.date.today()
    with app.app_context():
        tag = secrets.token_hex(4)
        person = make_account(f"bench-export-{tag}@example.org", full_name="Bench Person")
        coach = make_account(f"bench-coach-{tag}@example.org", full_name="Bench Coach",
                             roles=(Role.COACH,))
        coordinator = make_account(f"bench-co-{tag}@example.org", full_name="Bench Coordinator",
                                   roles=(Role.COORDINATOR,))
        for slug in MODULES:
            module = registry.get(slug)
            assert module is not None, slug
            full = long_answers(module, today)
            for step in module.steps:
                for number in range(VERSIONS, 0, -1):  # the last save is the full text
                    answers = full[step.id] if number == 1 else _changed(full[step.id], number)
                    stored = find_answer(person.id, slug, step.id)
                    outcome = save_step(person.id, module, step, answers,
                                        stored.version if stored else 0)
                    assert outcome.status == "saved", (slug, step.id, outcome.errors)
        snapshots = [sharing.take_snapshot(person, registry, "share") for _ in range(SNAPSHOTS)]
        db.session.commit()
        for snapshot in snapshots:
            rendering.make_snapshot_pdf(snapshot.id)
        share = sharing.create_share(person, coach, ShareMode.LIVE,
                                     today + dt.timedelta(days=30), registry)
        for section in ("general", "decision", "actions"):
            sharing.add_comment(share, coach, section, "A thoughtful section: " * 20)
        application = coaching.start_or_resume(person)
        coaching.save_answers(application, coaching.ApplicationAnswers(
            professional_group="doctor_dentist", region="london",
            training_number="LDN/ABC/1234567/D", workforce_scheme="",
            current_post="ST3 in paediatrics", stage="core", hopes="Choose a specialty " * 30,
            preferred_format="video", availability="Tuesday afternoons", consent=True))
        coaching.attach_plan(application, person, registry)
        coaching.submit(application, person)
        coaching.allocate(application, coach, coordinator)
        booked = [coaching.book(application, coach, utcnow() + dt.timedelta(days=d), 60,
                                "video", "https://video.example.org/room", utcnow())
                  for d in (3, 10, 17)]
        coaching.cancel_by_coach(booked[2], application, utcnow())
        for number in range(5):
            coaching.add_note(application, coach, f"Session note {number}: " + "notes " * 80)
        return person.id


def measure(app: Flask, runs: int, database: str) -> None:
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    person_id = build_account(app)
    setup = time.monotonic() - started
    registry = app.extensions["modules"]
    times: list[tuple[float, bool]] = []
    content = b""
    with app.app_context():
        person = db.session.get(User, person_id)
        assert person is not None
        revisions = db.session.execute(select(func.count()).select_from(StepRevision)).scalar()
        for run in range(runs):
            if run == 0:  # the first run makes the plan's PDF afresh; later ones find it
                db.session.execute(delete(PdfRender).where(PdfRender.snapshot_id.is_(None)))
                db.session.commit()
            export, _new = exports.request_export(person)
            begin = time.monotonic()
            exports.build_export(export.id, registry)
            times.append((time.monotonic() - begin, run == 0))
            db.session.expire_all()
            done = db.session.get(DataExport, export.id)
            assert done is not None and done.status == "ready", done and done.status
            content = db.session.execute(select(DataExport.archive)
                                         .where(DataExport.id == export.id)).scalar_one()
            if run == 0:  # as the cached runs would: the live plan's PDF is kept
                rendering.make_live_plan_pdf(person_id, registry)
    archive = zipfile.ZipFile(io.BytesIO(content))
    data = json.loads(archive.read("data.json"))
    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}; load {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after (1-min average)")
    print(f"database  {database}")
    print(f"account   {len(MODULES)} modules, {len(data['answers'])} steps x {VERSIONS} saves "
          f"({revisions} versions kept), {len(data['snapshots'])} snapshots, "
          f"{len(data['appointments'])} appointments, {len(data['coach_notes'])} notes, "
          f"{len(data['emails'])} emails; set up in {setup:.0f} s")
    print(f"ZIP       {len(content) / 1024 / 1024:.1f} MiB, {len(archive.namelist())} files; "
          f"data.json {archive.getinfo('data.json').file_size / 1024 / 1024:.1f} MiB")
    for seconds, fresh in times:
        pdf = "plan PDF made afresh" if fresh else "plan PDF already made"
        print(f"build     {seconds:6.2f} s  ({pdf})  target under {TARGET:.0f} s: "
              f"{seconds / TARGET:.2f} of it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="exports built (the first "
                        "makes the plan's PDF afresh)")
    parser.add_argument("--database-url", help="a database it may write to (tables created if "
                        "missing, bench accounts added); default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="careers-bench-export-") as work:
        url = args.database_url or f"sqlite:///{Path(work) / 'bench.sqlite3'}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "SECRET_KEY": secrets.token_urlsafe(48), "MAIL_BACKEND": "memory",
                          "WTF_CSRF_ENABLED": False, "SERVER_NAME": "careers.test",
                          "EXTERNAL_URL": "https://careers.test"})
        with app.app_context():
            db.create_all()
        try:
            shown = make_url(url).render_as_string(hide_password=True)
            measure(app, args.runs, shown if args.database_url else f"SQLite file in {work}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


if __name__ == "__main__":
    main()
