#!/usr/bin/env python3
"""Do the everyday pages stay as fast when the database holds a region's worth of data?

Two databases hold the same signed-in people with the same data of their own; bulk
inserts add to the second 20,000 other trainees with 400,000 step answers and their
earlier versions, 2,000 coaching applications, 300 workshops of 40 members and 1,000 plan
shares (``--scale 0.1`` for a tenth). Per page and database: the p50 of ``--requests``
requests through the Flask test client, alternating between the two, and the SQL
statements each request ran. Target: full at most 1.5 x empty and under 50 ms, with the
same number of statements. Figures only, never pass/fail.
Run from the project root. See bench/README.md.

    .venv/bin/python bench/scale.py [--scale 0.1] [--requests 50] [--explain] \
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/careers_scale]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # careers_app and tests, whatever the working folder
os.environ["APP_ENV"] = "test"  # no SMTP, Redis or TLS needed; production-like below

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import Connection, make_url  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User, UserRole, UserSearchTerm  # noqa: E402
from careers_app.accounts.passwords import hash_password  # noqa: E402
from careers_app.accounts.search_terms import terms_for  # noqa: E402
from careers_app.coaching.models import (  # noqa: E402
    Appointment,
    CoachingApplication,
    CoachNote,
)
from careers_app.content.loader import ModuleRegistry  # noqa: E402
from careers_app.content.schema import Module  # noqa: E402
from careers_app.db import utcnow  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.plans.models import ActionPlan, PlanAction, PlanShare  # noqa: E402
from careers_app.security import Role  # noqa: E402
from careers_app.worksheets.models import ModuleProgress, StepAnswer, StepRevision  # noqa: E402
from careers_app.worksheets.service import complete_module, find_answer, save_step  # noqa: E402
from careers_app.workshops.models import Assignment, Membership, Workshop  # noqa: E402
from tests.e2e.long_answers import long_answers  # noqa: E402

PASSWORD = "bench scale password 2026"  # noqa: S105 (bench accounts in a throwaway database)
SCAN = ("scan-1-self-awareness", "scan-2-career-exploration",
        "scan-3-arriving-at-a-decision", "scan-4-next-steps")
STEP_PAGE = "/modules/scan-1-self-awareness/steps/skills-audit"
SEARCH = "patel"
# Found among the measured people only (44 in either database): the search as it grows
# with the accounts stored, not with the number of rows on the page.
SEARCH_SAME = "bench"
BATCH = 5000
TARGET_MS = 50.0
TARGET_RATIO = 1.5
# Full size, multiplied by --scale.
TRAINEES = 20_000
STEP_ANSWERS = 400_000
APPLICATIONS = 2_000
WORKSHOPS = 300
MEMBERS = 40
SHARES = 1_000
COACHES = 25
FACILITATORS = 30
# Coaching applications by status, as a share of all of them.
STATUS_MIX = (("draft", 10), ("submitted", 5), ("allocated", 15), ("active", 25),
              ("closed", 30), ("declined", 5), ("withdrawn", 10))
FIRST = ("Amara", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hassan", "Isla", "Jun",
         "Kofi", "Leah", "Mohammed", "Nia", "Oliver", "Priya", "Rhys", "Sofia", "Tom", "Zara")
LAST = ("Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Green", "Hughes",
        "Iqbal", "Jones", "Khan", "Lewis", "Murphy", "Nowak", "Okafor", "Patel", "Quinn",
        "Roberts", "Smith", "Taylor", "Walker", "Williams", "Wilson", "Wright", "Young")


@dataclass
class People:
    """The signed-in people each page is measured as, and what their pages need."""

    trainee: str
    coach: str
    coordinator: str
    facilitator: str
    workshop_id: int


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # attribute of People
    path: str


def pages(people: People) -> list[Page]:
    workshop = f"/workshops/{people.workshop_id}"
    return [
        Page("dashboard", "trainee", "/dashboard"),
        Page("catalogue", "trainee", "/modules/"),
        Page("step page", "trainee", STEP_PAGE),
        Page("plan", "trainee", "/plan/"),
        Page("coaching queue", "coordinator", "/coaching/queue"),
        Page("caseload", "coach", "/coaching/caseload"),
        Page("users, everyone", "coordinator", "/admin/users"),
        Page(f"user search '{SEARCH}'", "coordinator", f"/admin/users?q={SEARCH}"),
        Page(f"user search '{SEARCH_SAME}'", "coordinator", f"/admin/users?q={SEARCH_SAME}"),
        Page("workshop matrix", "facilitator", workshop),
        Page("workshop CSV", "facilitator", f"{workshop}/progress.csv"),
    ]


# -- rows ---------------------------------------------------------------------------------


def batched(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def bulk(connection: Connection, model: type[db.Model], rows: Iterator[dict[str, Any]]) -> int:
    """Insert the rows in batches (one executemany each); how many there were."""
    count = 0
    for chunk in batched(rows):
        connection.execute(insert(model.__table__), chunk)
        count += len(chunk)
    return count


def new_ids(connection: Connection, model: type[db.Model], count: int,
            rows: Iterator[dict[str, Any]]) -> list[int]:
    """Insert ``count`` rows and return their ids (the highest ``count`` ids after)."""
    bulk(connection, model, rows)
    table = model.__table__
    found = connection.execute(select(table.c.id).order_by(table.c.id.desc()).limit(count))
    return sorted(found.scalars())


def new_accounts(connection: Connection, count: int,
                 rows: Iterator[dict[str, Any]]) -> list[int]:
    """Insert ``count`` accounts and the words they are found by (the app writes those
    when the ORM saves an account; a Core insert must write them itself)."""
    ids = new_ids(connection, User, count, rows)
    table = User.__table__
    for start in range(0, len(ids), BATCH):
        people = connection.execute(select(table.c.id, table.c.full_name, table.c.email)
                                    .where(table.c.id.in_(ids[start:start + BATCH])))
        bulk(connection, UserSearchTerm, iter(
            [{"user_id": person_id, "term": term, "full_name": name}
             for person_id, name, email in people for term in sorted(terms_for(name, email))]))
    return ids


def user_rows(prefix: str, count: int, password_hash: str, now: dt.datetime,
              start: int = 0) -> Iterator[dict[str, Any]]:
    for number in range(start, start + count):
        yield {"email": f"{prefix}-{number}@example.org",
               "full_name": f"{FIRST[number % len(FIRST)]} {LAST[number * 7 % len(LAST)]}",
               "password_hash": password_hash, "professional_group": "doctor_dentist",
               "region": "london" if number % 2 else "kss", "training_stage": "core",
               "session_token": secrets.token_urlsafe(32), "created_at": now,
               "password_changed_at": now, "last_signed_in_at": now}


def application_row(user_id: int, status: str, coach_id: int | None, now: dt.datetime,
                    number: int) -> dict[str, Any]:
    sent = status not in ("draft",)
    allocated = coach_id is not None
    return {"user_id": user_id, "status": status, "professional_group": "doctor_dentist",
            "region": "london", "training_number": f"LDN/ABC/{1000000 + number}/D",
            "workforce_scheme": "", "current_post": "ST3 in paediatrics", "stage": "core",
            "hopes": "To choose between two specialties and plan how to apply. " * 4,
            "preferred_format": "video", "availability": "Tuesday afternoons", "consent": sent,
            "snapshot_id": None, "coach_id": coach_id, "decline_reason": "",
            "created_at": now - dt.timedelta(days=60 + number % 90), "updated_at": now,
            "submitted_at": now - dt.timedelta(days=30 + number % 60) if sent else None,
            "allocated_at": now - dt.timedelta(days=20 + number % 30) if allocated else None,
            "finished_at": now - dt.timedelta(days=number % 20)
            if status in ("closed", "declined", "withdrawn") else None}


def appointment_row(application_id: int, coach_id: int, now: dt.datetime,
                    days: int) -> dict[str, Any]:
    return {"application_id": application_id, "coach_id": coach_id,
            "starts_at": now + dt.timedelta(days=days), "minutes": 60, "format": "video",
            "where": "https://video.example.org/room", "status":
            "booked" if days > 0 else "attended", "late": False, "waived": False,
            "cancel_reason": "", "cancelled_at": None, "sequence": 0, "created_at": now}


def note_row(application_id: int, coach_id: int, now: dt.datetime) -> dict[str, Any]:
    return {"application_id": application_id, "author_id": coach_id, "created_at": now,
            "body": "Talked through the two specialties and the taster weeks. " * 5}


def share_row(owner_id: int, coach_id: int, now: dt.datetime) -> dict[str, Any]:
    return {"owner_id": owner_id, "coach_id": coach_id, "mode": "live", "snapshot_id": None,
            "created_at": now, "expires_on": now.date() + dt.timedelta(days=30),
            "revoked_at": None, "last_viewed_at": None, "with_appendix": False}


def earlier_draft(answers: dict[str, Any]) -> dict[str, Any]:
    """The same answers with each piece of free text cut to half, as an earlier save."""
    return {key: value[: len(value) // 2].strip() or value
            if isinstance(value, str) and " " in value else value
            for key, value in answers.items()}


def answer_samples(registry: ModuleRegistry, today: dt.date
                   ) -> list[tuple[Module, str, dict[str, Any], dict[str, Any]]]:
    """Every step of every module with a realistic answer and a shorter earlier draft."""
    samples = []
    for module in registry:
        full = long_answers(module, today)
        for step in module.steps:
            answers = full[step.id]
            samples.append((module, step.id, answers, earlier_draft(answers)))
    return samples


# -- the people measured, and the nearly empty database -----------------------------------


def seed_people(app: Flask, password_hash: str) -> People:
    """The measured people with typical data of their own; nothing else."""
    registry: ModuleRegistry = app.extensions["modules"]
    now = utcnow()
    today = now.date()
    with app.app_context():
        connection = db.session.connection()
        names = ["trainee", "coach", "coordinator", "facilitator"]
        ids = dict(zip(names, new_accounts(connection, len(names), iter(
            {**row, "email": f"bench-{name}@example.org"}
            for name, row in zip(names, user_rows("bench", len(names), password_hash, now),
                                 strict=True))), strict=True))
        bulk(connection, UserRole, iter([
            {"user_id": ids["coach"], "role": Role.COACH, "granted_at": now},
            {"user_id": ids["coordinator"], "role": Role.COORDINATOR, "granted_at": now},
            {"user_id": ids["facilitator"], "role": Role.FACILITATOR, "granted_at": now}]))
        members = new_accounts(connection, MEMBERS,
                               user_rows("bench-member", MEMBERS, password_hash, now))
        workshop_id = new_ids(connection, Workshop, 1, iter([{
            "facilitator_id": ids["facilitator"], "title": "Choosing a specialty, spring",
            "starts_at": now + dt.timedelta(days=14), "format": "online",
            "description": "Bring your SCAN 1 answers.", "join_code": "BENCHSCALE01",
            "created_at": now, "archived_at": None}]))[0]
        workshop_rows(connection, [workshop_id], [members], now)
        samples = answer_samples(registry, today)
        filler_answers(connection, members, samples, per_person=20, now=now)
        # The coach's caseload and the coordinator's queue come from the members.
        statuses = ["allocated", "active", "active", "active", "allocated", "active"]
        applications = new_ids(connection, CoachingApplication, len(statuses) + 5, iter(
            [application_row(members[n], s, ids["coach"], now, n)
             for n, s in enumerate(statuses)]
            + [application_row(members[10 + n], "submitted", None, now, 10 + n)
               for n in range(5)]))
        bulk(connection, Appointment, iter(
            appointment_row(a, ids["coach"], now, days) for a in applications[:len(statuses)]
            for days in (-14, 7)))
        bulk(connection, CoachNote, iter(note_row(a, ids["coach"], now)
                                         for a in applications[:len(statuses)]))
        bulk(connection, PlanShare, iter(share_row(members[n], ids["coach"], now)
                                         for n in range(3)))
        db.session.commit()
        # The measured trainee: all of SCAN 1 to 4 at length, through the real service,
        # each step saved twice (so each has an earlier version), and three actions.
        for slug in SCAN:
            module = registry.get(slug)
            assert module is not None, slug
            full = long_answers(module, today)
            for step in module.steps:
                for attempt in (1, 2):
                    stored = find_answer(ids["trainee"], slug, step.id)
                    answers = full[step.id] if attempt == 2 else earlier_draft(full[step.id])
                    outcome = save_step(ids["trainee"], module, step, answers,
                                        stored.version if stored else 0, confirm=True)
                    assert outcome.status == "saved", (slug, step.id, outcome.errors)
            assert complete_module(ids["trainee"], module), slug
        connection = db.session.connection()
        bulk(connection, ActionPlan, iter([plan_row(ids["trainee"], now)]))
        bulk(connection, PlanAction, plan_action_rows(ids["trainee"], now))
        db.session.commit()
    return People(trainee="bench-trainee@example.org", coach="bench-coach@example.org",
                  coordinator="bench-coordinator@example.org",
                  facilitator="bench-facilitator@example.org", workshop_id=workshop_id)


def plan_row(user_id: int, now: dt.datetime) -> dict[str, Any]:
    return {"user_id": user_id, "summary": "General practice in north-east London, with "
            "emergency medicine as my back-up.", "updated_at": now}


def plan_action_rows(user_id: int, now: dt.datetime) -> Iterator[dict[str, Any]]:
    for position, words in enumerate(("Book a taster week in a GP surgery",
                                      "Talk to two GP trainees about the rota",
                                      "Ask my supervisor for a reference")):
        yield {"user_id": user_id, "position": position, "text": words,
               "measure": "Done and written up", "support": "Educational supervisor",
               "target_date": now.date() + dt.timedelta(days=30 * (position + 1)),
               "status": "not_started", "source_key": None, "created_at": now,
               "updated_at": now}


def workshop_rows(connection: Connection, workshop_ids: Sequence[int],
                  members: Sequence[Sequence[int]], now: dt.datetime) -> None:
    bulk(connection, Assignment, iter(
        {"workshop_id": w, "module_slug": slug, "due_on": None, "days_from_workshop": days}
        for w in workshop_ids for slug, days in zip(SCAN[:3], (-7, 0, 14), strict=True)))
    bulk(connection, Membership, iter(
        {"workshop_id": w, "user_id": u, "joined_at": now - dt.timedelta(minutes=n)}
        for w, group in zip(workshop_ids, members, strict=True) for n, u in enumerate(group)))


def filler_answers(connection: Connection, user_ids: Sequence[int],
                   samples: Sequence[tuple[Module, str, dict[str, Any], dict[str, Any]]],
                   per_person: int, now: dt.datetime) -> int:
    """``per_person`` step answers each (version 2, with version 1 kept as a revision),
    a run of consecutive steps starting at a different place for each person, and the
    matching progress rows. Returns the number of step answers."""
    answered_at_cache: dict[int, dict[str, str]] = {}
    picks: list[tuple[int, int]] = []  # (user id, sample index)
    for number, user_id in enumerate(user_ids):
        start = number * 7 % len(samples)
        picks.extend((user_id, (start + k) % len(samples)) for k in range(per_person))

    def answers() -> Iterator[dict[str, Any]]:
        stamp = now.isoformat()
        for user_id, index in picks:
            module, step_id, full, _draft = samples[index]
            times = answered_at_cache.setdefault(index, dict.fromkeys(full, stamp))
            yield {"user_id": user_id, "module_slug": module.slug, "step_id": step_id,
                   "answers": full, "version": 2, "completed": True, "updated_at": now,
                   "answered_at": times}

    first_id = (connection.execute(select(func.max(StepAnswer.id))).scalar() or 0) + 1
    count = bulk(connection, StepAnswer, answers())
    ids = connection.execute(select(StepAnswer.id).where(StepAnswer.id >= first_id)
                             .order_by(StepAnswer.id)).scalars().all()
    assert len(ids) == count, (len(ids), count)
    bulk(connection, StepRevision, iter(
        {"step_answer_id": answer_id, "version": 1, "answers": samples[index][3],
         "conflict": False, "saved_at": now - dt.timedelta(days=1)}
        for answer_id, (_user, index) in zip(ids, picks, strict=True)))
    # Progress: per person and module, the steps answered and the last one.
    progress: dict[tuple[int, str], tuple[int, str]] = {}
    for user_id, index in picks:
        module, step_id, _full, _draft = samples[index]
        done, _last = progress.get((user_id, module.slug), (0, step_id))
        progress[(user_id, module.slug)] = (done + 1, step_id)
    steps = {module.slug: len(module.steps) for module, *_rest in samples}
    bulk(connection, ModuleProgress, iter(
        {"user_id": user_id, "module_slug": slug, "started_at": now, "updated_at": now,
         "last_step_id": last, "steps_completed": done,
         "completed_at": now if done >= steps[slug] else None}
        for (user_id, slug), (done, last) in progress.items()))
    return count


def fill(app: Flask, scale: float, password_hash: str) -> dict[str, int]:
    """Bulk inserts of everyone else: what the full database holds beside the measured."""
    registry: ModuleRegistry = app.extensions["modules"]
    now = utcnow()
    rng = random.Random(2026)  # noqa: S311 (repeatable filler, nothing secret)
    sized = {name: max(1, round(full * scale)) for name, full in (
        ("trainees", TRAINEES), ("applications", APPLICATIONS), ("workshops", WORKSHOPS),
        ("shares", SHARES), ("coaches", COACHES), ("facilitators", FACILITATORS))}
    per_person = max(1, round(STEP_ANSWERS / TRAINEES))
    with app.app_context():
        connection = db.session.connection()
        trainees = new_accounts(connection, sized["trainees"],
                                user_rows("trainee", sized["trainees"], password_hash, now))
        coaches = new_accounts(connection, sized["coaches"],
                               user_rows("coach", sized["coaches"], password_hash, now))
        facilitators = new_accounts(connection, sized["facilitators"],
                                    user_rows("facilitator", sized["facilitators"],
                                              password_hash, now))
        bulk(connection, UserRole, itertools.chain(
            ({"user_id": u, "role": Role.COACH, "granted_at": now} for u in coaches),
            ({"user_id": u, "role": Role.FACILITATOR, "granted_at": now}
             for u in facilitators)))
        answers = filler_answers(connection, trainees, answer_samples(registry, now.date()),
                                 per_person, now)
        db.session.commit()
        connection = db.session.connection()
        statuses = [s for s, share in STATUS_MIX for _ in range(share)]
        applicants = rng.sample(trainees, min(sized["applications"], len(trainees)))
        chosen = [(u, statuses[n % len(statuses)], rng.choice(coaches))
                  for n, u in enumerate(applicants)]
        applications = new_ids(connection, CoachingApplication, len(chosen), iter(
            application_row(u, s, c if s in ("allocated", "active", "closed") else None,
                            now, n) for n, (u, s, c) in enumerate(chosen)))
        coached = [(a, c) for a, (_u, s, c) in zip(applications, chosen, strict=True)
                   if s in ("active", "closed")]
        bulk(connection, Appointment, iter(appointment_row(a, c, now, days)
                                           for a, c in coached for days in (-21, -7, 7)))
        bulk(connection, CoachNote, iter(note_row(a, c, now) for a, c in coached))
        workshops = new_ids(connection, Workshop, sized["workshops"], iter(
            {"facilitator_id": facilitators[n % len(facilitators)],
             "title": f"Career planning workshop {n}",
             "starts_at": now + dt.timedelta(days=n % 60 - 30), "format": "in_person",
             "description": "", "join_code": f"FILL{n:08d}", "created_at": now,
             "archived_at": None} for n in range(sized["workshops"])))
        workshop_rows(connection, workshops,
                      [rng.sample(trainees, min(MEMBERS, len(trainees))) for _ in workshops],
                      now)
        bulk(connection, PlanShare, iter(share_row(rng.choice(trainees), rng.choice(coaches),
                                                   now) for _ in range(sized["shares"])))
        planners = trainees[::4]
        bulk(connection, ActionPlan, iter(plan_row(u, now) for u in planners))
        bulk(connection, PlanAction, itertools.chain.from_iterable(
            plan_action_rows(u, now) for u in planners))
        db.session.commit()
    return {**sized, "step answers": answers}


def table_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {model.__tablename__: db.session.execute(
            select(func.count()).select_from(model)).scalar_one()
            for model in (User, StepAnswer, StepRevision, ModuleProgress, CoachingApplication,
                          Appointment, Workshop, Membership, PlanShare, PlanAction,
                          UserSearchTerm)}


# -- measuring ----------------------------------------------------------------------------


class StatementCounter:
    """Counts the SQL statements the app's engine sends (``before_cursor_execute``), and
    keeps them while ``keep`` is set."""

    def __init__(self) -> None:
        self.count = 0
        self.keep = False
        self.kept: list[tuple[str, Any]] = []

    def __call__(self, _conn: object, _cursor: object, statement: str, parameters: Any,
                 *_args: object) -> None:
        self.count += 1
        if self.keep:
            self.kept.append((statement, parameters))


def explain(app: Flask, page: Page, statements: list[tuple[str, Any]]) -> None:
    """Print the database's plan for each statement one request of the page ran."""
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        print(f"\n== {page.name} ({page.path}): {len(statements)} statements")
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = db.session.connection().exec_driver_sql(prefix + statement, parameters)
            print("  " + " ".join(statement.split())[:160])
            for row in rows:
                print("      " + (str(row[-1]) if sqlite else str(row[0])))
        db.session.rollback()


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A client signed in through the real form, CSRF token included."""
    client = app.test_client()
    form = client.get("/account/sign-in")
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      form.get_data(as_text=True))
    assert match, "no CSRF token on the sign-in page"
    response = client.post("/account/sign-in", data={
        "email": email, "password": PASSWORD, "csrf_token": match.group(1)})
    assert response.status_code == 302, (email, response.status_code)
    return client


class Measured:
    """One database's app, with its statement counter and a signed-in client per person."""

    def __init__(self, app: Flask, people: People) -> None:
        self.app = app
        self.counter = StatementCounter()
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self.counter)
        self.clients = {who: signed_in(app, getattr(people, who))
                        for who in ("trainee", "coach", "coordinator", "facilitator")}

    def get(self, page: Page) -> tuple[float, int]:
        """One request: milliseconds and SQL statements."""
        self.counter.count = 0
        begin = time.perf_counter()
        response = self.clients[page.who].get(page.path)
        took = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, (page.path, response.status_code)
        return took, self.counter.count

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self.counter)


def measure(empty_app: Flask, full_app: Flask, people: People, requests: int,
            show_plans: bool = False) -> dict[str, tuple[tuple[float, int], tuple[float, int]]]:
    """Per page, for each database: p50 in milliseconds and the statements of a request
    (the most any request ran). Requests alternate between the two databases, so a
    change in the machine's load falls on both alike."""
    empty, full = Measured(empty_app, people), Measured(full_app, people)
    results = {}
    try:
        for page in pages(people):
            for _ in range(3):  # warm-up: templates compiled, caches filled
                empty.get(page)
                full.get(page)
            timed: dict[str, list[tuple[float, int]]] = {"empty": [], "full": []}
            for number in range(requests):
                order = (("empty", empty), ("full", full))
                for name, side in order if number % 2 else reversed(order):
                    timed[name].append(side.get(page))
            results[page.name] = tuple(
                (statistics.median(t for t, _ in timed[name]), max(q for _, q in timed[name]))
                for name in ("empty", "full"))
            if show_plans:
                full.counter.kept, full.counter.keep = [], True
                full.get(page)
                full.counter.keep = False
                explain(full_app, page, full.counter.kept)
    finally:
        empty.close()
        full.close()
    return results  # type: ignore[return-value]


def report(people: People,
           results: dict[str, tuple[tuple[float, int], tuple[float, int]]]) -> None:
    print(f"{'page':<22} {'p50 empty':>10} {'p50 full':>9} {'ratio':>6} "
          f"{'queries empty':>13} {'queries full':>12}  target")
    for page in pages(people):
        (before, q_before), (after, q_after) = results[page.name]
        ratio = after / before
        good = ratio <= TARGET_RATIO and after < TARGET_MS and q_before == q_after
        print(f"{page.name:<22} {before:8.1f} ms {after:6.1f} ms {ratio:6.2f} "
              f"{q_before:>13} {q_after:>12}  {'met' if good else 'MISSED'}")


# -- the database -------------------------------------------------------------------------


@contextmanager
def databases(url: str | None, work: Path) -> Iterator[tuple[str, str]]:
    """Two databases, (nearly empty, full): SQLite files in ``work``, or PostgreSQL
    databases ``url``'s name with ``_empty`` added and ``url`` itself, created here (a
    name that exists already is refused) and dropped afterwards."""
    if not url:
        yield f"sqlite:///{work / 'empty.sqlite3'}", f"sqlite:///{work / 'full.sqlite3'}"
        return
    import psycopg  # only for PostgreSQL

    parsed = make_url(url)
    name = parsed.database
    assert name and re.fullmatch(r"[a-z_][a-z0-9_]*", name), "a plain database name, please"
    names = (f"{name}_empty", name)
    server = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(server, autocommit=True) as admin:
        for each in names:
            if admin.execute("select 1 from pg_database where datname = %s", (each,)).fetchone():
                raise SystemExit(f"database {each} exists already; drop it or name another")
        made = []
        try:
            for each in names:
                admin.execute(f'create database "{each}"')
                made.append(each)
            yield (parsed.set(database=names[0]).render_as_string(hide_password=False), url)
        finally:
            for each in made:
                admin.execute(f'drop database if exists "{each}" with (force)')


def build_app(url: str) -> Flask:
    # Production-like where the test client allows: no TESTING, CSRF on, a fresh secret.
    return create_app({"TESTING": False, "DEBUG": False, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": secrets.token_urlsafe(48), "MAIL_BACKEND": "memory",
                       "WTF_CSRF_ENABLED": True, "SERVER_NAME": "careers.test",
                       "EXTERNAL_URL": "https://careers.test"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of the full data to add (0.1 for a quick run)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--database-url", help="a PostgreSQL database to create and drop; "
                        "default: a SQLite file in a temporary folder")
    parser.add_argument("--explain", action="store_true", help="print the query plan of "
                        "each statement of each page at full size")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="careers-bench-scale-") as work, \
            databases(args.database_url, Path(work)) as (empty_url, url):
        apps = [build_app(empty_url), build_app(url)]
        try:
            password_hash = hash_password(PASSWORD)  # argon2 once, the same hash for all
            people = []
            for app in apps:
                with app.app_context():
                    upgrade(directory=str(ROOT / "migrations"))
                people.append(seed_people(app, password_hash))
            assert people[0] == people[1], people  # the same ids in both
            small = table_counts(apps[0])
            started = time.monotonic()
            added = fill(apps[1], args.scale, password_hash)
            filled_in = time.monotonic() - started
            if make_url(url).get_backend_name() == "postgresql":
                # As autovacuum would soon after a load this size (PostgreSQL 13 and
                # later vacuum a table after inserts, too): statistics, and the visibility
                # map that lets a scan read an index alone. SQLite gathers no statistics
                # by itself and the app never runs ANALYZE, so neither do we.
                for app in apps:
                    with app.app_context(), db.engine.connect() as connection:
                        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                            text("vacuum analyze"))
            results = measure(apps[0], apps[1], people[1], args.requests, args.explain)
            big = table_counts(apps[1])
        finally:
            for app in apps:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    shown = make_url(url).render_as_string(hide_password=True) if args.database_url \
        else "SQLite file"
    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}; load {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after (1-min average)")
    print(f"database  {shown}; scale {args.scale}; filled in {filled_in:.0f} s "
          f"({', '.join(f'{v} {k}' for k, v in added.items())})")
    print("rows      " + ", ".join(f"{name} {small[name]} -> {big[name]}" for name in big))
    print(f"p50 of {args.requests} requests per page, test client; target: full <= "
          f"{TARGET_RATIO} x empty, under {TARGET_MS:.0f} ms, same number of queries\n")
    report(people[1], results)


if __name__ == "__main__":
    main()
