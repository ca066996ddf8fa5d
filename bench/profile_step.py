#!/usr/bin/env python3
"""Where the time of one step page request goes, profiled in-process with cProfile.

The app runs with production settings (as bench/http_load.py serves it) on a SQLite file
in a temporary folder, or on a throwaway PostgreSQL database, for a trainee who has
answered all of SCAN 1 to 4 at length. After warm-up requests, ``--requests`` GETs of the
heaviest step page are profiled together and the figures divided by their number. Prints
the functions with the most cumulative time, then the request's own time split into
groups (Jinja, SQL, session and user loading, module registry and markdown, ...), and
the SQL statements a request runs, timed without the profiler. Figures only.

    .venv/bin/python bench/profile_step.py [--requests 50] [--database postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import http_load  # bench/http_load.py: seeding and the production settings
import serving as shared  # bench/serving.py: the throwaway PostgreSQL database

ROOT = Path(__file__).resolve().parent.parent
STEP_PATH = http_load.STEP_PATH
SKILLS = ("communication", "team-working", "clinical-reasoning", "practical-skills",
          "under-pressure", "uncertainty", "organisation", "leadership", "teaching",
          "research", "improvement", "digital")  # as bench/http_load.lua sends them
HEADERS = {"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https"}
BASE_URL = f"http://{http_load.HOST}"  # https as far as the app knows, through ProxyFix

# Groups of a function's own time, by where its code lives. The first match wins, so a
# SQL statement run while loading the user counts as SQL: the groups do not overlap and
# add up to the whole request.
GROUPS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("test client (not in production)", re.compile(r"werkzeug/test\.py")),
    ("SQL (SQLAlchemy, driver)", re.compile(r"sqlalchemy/|psycopg|sqlite3|_sqlite")),
    ("Jinja templates", re.compile(r"jinja2/|markupsafe/|\.html$|\.jinja$|<template>")),
    ("session and user loading", re.compile(
        r"flask_login/|itsdangerous/|flask/sessions\.py|careers_app/accounts/")),
    ("module registry and markdown", re.compile(
        r"careers_app/content/|markdown_it/|careers_app/text\.py|mdurl/|linkify")),
    ("forms and CSRF (WTForms)", re.compile(r"wtforms/|flask_wtf/")),
    ("Flask and Werkzeug", re.compile(r"flask/|werkzeug/")),
    ("rate limits, Redis", re.compile(r"limits/|careers_app/throttling\.py|redis/")),
    ("logging", re.compile(r"logging/|careers_app/logs\.py")),
    ("worksheets code (view, presenters, service)", re.compile(r"careers_app/worksheets/")),
    ("other careers_app code", re.compile(r"careers_app/")),
)


def group_of(filename: str, function: str) -> str:
    where = filename if filename != "~" else function  # builtins: "<method 'execute' ...>"
    for name, pattern in GROUPS:
        if pattern.search(where):
            return name
    return "other (standard library, builtins, not called from the groups above)"


def owners(raw: dict[Any, Any], key: Any, seen: frozenset[Any]) -> dict[str, float]:
    """The groups a function's own time belongs to, as fractions.

    Builtins and the standard library (str.join joining a template's output, the ChainMap
    of Jinja's globals, ...) count with the code that called them, in proportion to their
    time from each caller, going up until a caller belongs to a group."""
    filename, _, function = key
    direct = group_of(filename, function)
    borrowed = filename == "~" or filename.startswith("<frozen") or (
        "/lib/python3" in filename and "site-packages" not in filename)
    callers = raw[key][4]
    if not borrowed or not callers or direct.startswith("SQL"):
        return {direct: 1.0}
    weights = {caller: timing[2] for caller, timing in callers.items() if caller not in seen}
    whole = sum(weights.values())
    if whole <= 0:
        return {direct: 1.0}
    found: Counter[str] = Counter()
    for caller, weight in weights.items():
        for name, fraction in owners(raw, caller, seen | {key}).items():
            found[name] += fraction * weight / whole
    return dict(found) or {direct: 1.0}


def short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="profiled step page GETs")
    parser.add_argument("--path", default=STEP_PATH,
                        help="the page to profile (GET), e.g. /dashboard or /plan/")
    parser.add_argument("--autosave", action="store_true",
                        help="profile the step's autosave POST instead of its GET")
    parser.add_argument("--warmup", type=int, default=20, help="unprofiled GETs before")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14",
                        help="rate limits and queue; this Redis database is emptied")
    parser.add_argument("--top", type=int, default=15, help="functions listed by cumulative time")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="careers-prof-")))
        if args.database == "postgresql":
            url = f"{args.postgres_server}/careers_profile_{secrets.token_hex(4)}"
            shared.create_postgres(url, stack)
        else:
            url = f"sqlite:///{work / 'careers.sqlite3'}"
        secret_key = secrets.token_urlsafe(48)
        http_load.flush_redis(args.redis_url)
        stack.callback(http_load.flush_redis, args.redis_url)
        env = http_load.production_env(url, secret_key, args.redis_url)
        shared.flask_cli(env, "db", "upgrade")
        [email] = http_load.seed(url, secret_key, args.redis_url, 1)
        profile(env, email, args)


def profile(env: dict[str, str], email: str, args: argparse.Namespace) -> None:
    from sqlalchemy import event

    from careers_app import create_app
    from careers_app.extensions import db
    from tests.factories import DEFAULT_PASSWORD

    os.environ.update(env)  # production settings for the app profiled, as the servers get
    app = create_app()
    client = app.test_client()
    page = client.get("/account/sign-in", base_url=BASE_URL, headers=HEADERS).text
    token = http_load.CSRF_INPUT.search(page)
    assert token is not None, "no CSRF token on the sign-in page"
    answer = client.post("/account/sign-in", base_url=BASE_URL,
                         headers=HEADERS | {"Origin": f"https://{http_load.HOST}",
                                            "Referer": f"https://{http_load.HOST}/account/sign-in"},
                         data={"csrf_token": token.group(1), "email": email,
                               "password": DEFAULT_PASSWORD})
    if answer.status_code != 302:
        sys.exit(f"signing in answered {answer.status_code}")

    def get_step_page() -> int:
        response = client.get(args.path, base_url=BASE_URL, headers=HEADERS)
        if response.status_code != 200:
            sys.exit(f"{args.path} answered {response.status_code}")
        return len(response.data)

    # The autosave sends what the page's script sends: every field of the step as JSON,
    # the text changing each time, with the version the last save returned.
    page_html = client.get(STEP_PATH, base_url=BASE_URL, headers=HEADERS).text
    saving = {"csrf": http_load.CSRF_INPUT.search(page_html).group(1),  # type: ignore[union-attr]
              "version": int(http_load.VERSION_INPUT.search(page_html).group(1)), "sent": 0}
    post_headers = HEADERS | {"X-CSRFToken": saving["csrf"],
                              "Referer": f"https://{http_load.HOST}{STEP_PATH}"}

    def autosave() -> int:
        saving["sent"] += 1
        body = {"version": saving["version"], "answers": {
            "skills": {skill: 1 + (saving["sent"] + n) % 5 for n, skill in enumerate(SKILLS)},
            "top-strengths": f"Teaching and staying calm under pressure (draft {saving['sent']})"}}
        response = client.post(http_load.AUTOSAVE_PATH, base_url=BASE_URL, headers=post_headers,
                               json=body)
        if response.status_code != 200:
            sys.exit(f"autosave answered {response.status_code}: {response.text[:200]}")
        saving["version"] = response.json["version"]
        return len(response.data)

    step_page = autosave if args.autosave else get_step_page

    size = max(step_page() for _ in range(args.warmup))

    # Unprofiled: the wall time of a request, and its SQL statements and their time.
    statements: Counter[str] = Counter()
    sql_seconds = [0.0]
    with app.app_context():
        engine = db.engine

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sql_seconds[0] += time.perf_counter() - conn.info.pop("bench_started")
        statements[" ".join(statement.split())[:90]] += 1

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        step_page()
    wall = (time.perf_counter() - started) / args.requests
    cpu = (time.process_time() - cpu_started) / args.requests
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    # The fastest of several small batches: the figure least moved by other work.
    batches = []
    for _ in range(10):
        batch_started = time.perf_counter()
        for _ in range(max(1, args.requests // 10)):
            step_page()
        batches.append((time.perf_counter() - batch_started) / max(1, args.requests // 10))

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        step_page()
    profiler.disable()
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in raw.values())
    n = args.requests

    what = f"autosave POST {http_load.AUTOSAVE_PATH}" if args.autosave else \
        f"GET {args.path} ({size / 1024:.0f} KiB)"
    print(f"{what}, {args.database}, production "
          f"settings, test client in-process, {n} requests after {args.warmup} warm-up")
    print(f"load      {os.getloadavg()[0]:.2f} (1-min average)")
    print(f"wall time {1000 * wall:.1f} ms per request without the profiler; "
          f"{1000 * total / n:.1f} ms with it (cProfile's overhead inflates small calls)")
    print(f"CPU time  {1000 * cpu:.1f} ms per request without the profiler (this process's "
          "own CPU: less moved by other work than the wall time)")
    print(f"best      {1000 * min(batches):.1f} ms per request, the fastest of 10 batches")
    print(f"calls     {stats.total_calls / n:,.0f} Python function calls per request (counted by "  # type: ignore[attr-defined]
          "the profiler: the same on a busy machine as on a quiet one)")
    print(f"SQL       {statements.total() / n:.0f} statements per request, "
          f"{1000 * sql_seconds[0] / n:.1f} ms of wall time in them (without the profiler):")
    for statement, count in statements.most_common(12):
        print(f"  {count / n:>4.0f} x {statement}")

    print(f"\ntop {args.top} by cumulative time (ms per request, share of the request)")
    print(f"{'cumul ms':>9}{'share':>7}{'own ms':>8}{'calls':>8}  function  [group]")
    wrappers = re.compile(r"werkzeug/test\.py|flask/testing\.py|bench/|flask/app\.py|"
                          r"proxy_fix\.py|careers_app/security\.py")
    ranked = [item for item in sorted(raw.items(), key=lambda item: item[1][3], reverse=True)
              if not wrappers.search(item[0][0])]  # the test client and Flask's dispatch
    for (filename, line, function), (_, calls, tottime, cumtime, _) in ranked[:args.top]:
        print(f"{1000 * cumtime / n:>9.2f}{cumtime / total:>7.0%}{1000 * tottime / n:>8.2f}"
              f"{calls / n:>8.0f}  {short(filename)}:{line} {function}  "
              f"[{group_of(filename, function)}]")

    groups: Counter[str] = Counter()
    for key, (_, _, tottime, _, _) in raw.items():
        for name, fraction in owners(raw, key, frozenset()).items():
            groups[name] += tottime * fraction
    print("\nown time by group (each function's own time counted once: the groups add up)")
    for name, seconds in groups.most_common():
        print(f"{1000 * seconds / n:>9.2f} ms {seconds / total:>5.0%}  {name}")

    print("\nown time: the functions that spend it themselves")
    for (filename, line, function), (_, calls, tottime, _, _) in sorted(
            raw.items(), key=lambda item: item[1][2], reverse=True)[:15]:
        print(f"{1000 * tottime / n:>9.2f} ms {tottime / total:>5.0%}  {calls / n:>6.0f} calls  "
              f"{short(filename)}:{line} {function}")

    print("\ntemplates, blocks and macros by cumulative time")
    template = re.compile(r"\.(html|jinja)$")
    for (filename, line, function), (_, calls, _, cumtime, _) in [
            item for item in sorted(raw.items(), key=lambda item: item[1][3], reverse=True)
            if template.search(item[0][0])][:15]:
        print(f"{1000 * cumtime / n:>9.2f} ms {cumtime / total:>5.0%}  {calls / n:>6.0f} calls  "
              f"{short(filename)}:{line} {function}")

    print("\ncumulative time of entry points (these overlap: a template that loads data "
          "includes its SQL)")
    entry_points = (("render_template", "flask/templating.py"),
                    ("load_signed_in_user", "careers_app/accounts/sessions.py"),
                    ("render_markdown", "careers_app/text.py"),
                    ("execute", "sqlalchemy/orm/session.py"),
                    ("get", "careers_app/content/loader.py"))
    for function, where in entry_points:
        found = [(key, value) for key, value in raw.items()
                 if key[2] == function and key[0].endswith(where)]
        for (filename, line, _), (_, calls, _, cumtime, _) in found:
            print(f"{1000 * cumtime / n:>9.2f} ms {cumtime / total:>5.0%}  {calls / n:>5.0f} "
                  f"calls  {short(filename)}:{line} {function}")


if __name__ == "__main__":
    main()
