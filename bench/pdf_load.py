#!/usr/bin/env python3
"""Step pages while PDFs are being made, and the time from "Download" to the file.

Runs against the production-shaped stack (deploy/prod_like.py: nginx with TLS, two
gunicorn instances of 2 workers in production mode, PostgreSQL, Redis and one job
worker), with trainees who have worked through SCAN 1 to 4 at length (the answers of
tests/e2e/long_answers.py) and three plan actions each. Figures only, never pass/fail:

    .venv/bin/python bench/pdf_load.py [--renders 10] [--step-clients 4] [--duration 15]

1. The step page alone: ``--step-clients`` signed-in clients read the heaviest step page
   back to back for ``--duration`` seconds (p50/p99).
2. The same, while ``--renders`` other trainees press "Download" at once on plans with
   no PDF made yet (the cache emptied first): each follows what the browser does until
   the file arrives. The step clients carry on until every file has arrived (at least
   ``--duration`` seconds). The goal: p99 no more than double that of (1).
3. One trainee's plan, ``--runs`` times each: "Download" to file when the PDF must be
   made afresh (cache emptied before each run) and when it was made ahead.

Needs what the stack needs (nginx, PostgreSQL on 127.0.0.1:5432, Redis on
127.0.0.1:6379); uses Redis database ``--redis-url`` (emptied first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import math
import os
import platform
import re
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "test"  # the seeding app in this process; the stack is production

from pypdf import PdfReader  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from careers_app import create_app  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.plans.models import PdfRender  # noqa: E402
from careers_app.worksheets import service as worksheets  # noqa: E402
from deploy.prod_like import HOST_NAME, ProdLikeStack  # noqa: E402
from tests.e2e.long_answers import long_answers  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_account  # noqa: E402

SCAN = ("scan-1-self-awareness", "scan-2-career-exploration", "scan-3-arriving-at-a-decision",
        "scan-4-next-steps")
STEP_PATH = "/modules/scan-1-self-awareness/steps/skills-audit"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
POLL_SECONDS = 1.0  # as static/js/pdf-preparing.js
ACTIONS = (
    ("Book a taster week in a GP surgery", "Week booked in the rota", "Educational supervisor"),
    ("Talk to two GP trainees about the rota", "Two conversations written up", "My FPD"),
    ("Draft the GP application's white space answers", "Draft read by my supervisor",
     "Careers coach"),
)


class BenchError(RuntimeError):
    """Setting up or serving failed; the message says what happened."""


class Client:
    """One signed-in person over HTTPS through nginx, cookies kept by hand."""

    def __init__(self, stack: ProdLikeStack) -> None:
        self.stack = stack
        self.cookies: dict[str, str] = {}
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(HOST_NAME, self.stack.https_port, timeout=120,
                                           context=self.stack.ssl_context())

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> http.client.HTTPResponse:
        headers = {"Referer": f"{self.stack.url}{path}"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.stack.url
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.body = response.read()  # type: ignore[attr-defined]
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = self._connect()
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response

    def sign_in(self, email: str) -> None:
        page = self.request("GET", "/account/sign-in").body  # type: ignore[attr-defined]
        token = CSRF_INPUT.search(page.decode())
        if token is None:
            raise BenchError("no CSRF token on the sign-in page")
        response = self.request("POST", "/account/sign-in", {
            "csrf_token": token.group(1), "email": email, "password": DEFAULT_PASSWORD})
        if response.status != 302:
            raise BenchError(f"signing in as {email} answered {response.status}")


def seed(stack: ProdLikeStack, count: int) -> list[str]:
    """``count`` trainees with SCAN 1 to 4 answered at length and three dated actions."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": stack.database_url,
                      "SECRET_KEY": stack.secret_key, "QUEUE_IMMEDIATE": False,
                      "QUEUE_URL": stack.redis_url, "MAIL_BACKEND": "memory"})
    today = dt.date.today()
    emails = []
    with app.app_context():
        registry = app.extensions["modules"]
        answers = {slug: long_answers(registry.get(slug), today) for slug in SCAN}
        for number in range(count):
            email = f"bench-pdf-{number}-{secrets.token_hex(3)}@example.org"
            user = make_account(email, full_name=f"Alex Bench-Trainee {number}")
            for slug in SCAN:
                module = registry.get(slug)
                for step_id, step_answers in answers[slug].items():
                    outcome = worksheets.save_step(user.id, module, module.step(step_id),
                                                   step_answers, 0, confirm=True)
                    if outcome.status != "saved":
                        raise BenchError(f"{slug}/{step_id}: {outcome.errors}")
            emails.append(email)
        db.session.remove()
        db.engine.dispose()
    return emails


def add_actions(client: Client) -> None:
    for days, (text, measure, support) in enumerate(ACTIONS, start=1):
        target = dt.date.today() + dt.timedelta(days=30 * days)
        page = client.request("GET", "/plan/actions/new").body  # type: ignore[attr-defined]
        token = CSRF_INPUT.search(page.decode())
        if token is None:
            raise BenchError("no CSRF token on the new-action page")
        response = client.request("POST", "/plan/actions/new", {
            "csrf_token": token.group(1), "text": text, "measure": measure,
            "support": support, "status": "not_started",
            "target_date--day": str(target.day), "target_date--month": str(target.month),
            "target_date--year": str(target.year)})
        if response.status != 302:
            raise BenchError(f"adding an action answered {response.status}")


def empty_pdf_cache(stack: ProdLikeStack) -> None:
    """Forget every plan's PDF and the record of its making, as if each plan had just
    changed (so "Download" has to wait for a render job)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": stack.database_url,
                      "SECRET_KEY": stack.secret_key, "QUEUE_IMMEDIATE": False,
                      "QUEUE_URL": stack.redis_url})
    with app.app_context():
        db.session.execute(delete(PdfRender).where(PdfRender.snapshot_id.is_(None)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def read_step_pages(clients: list[Client], keep_going: Callable[[], bool]
                    ) -> tuple[list[float], int]:
    """Each client reads the step page back to back while ``keep_going``; seconds each."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(client: Client) -> None:
        while keep_going():
            started = time.perf_counter()
            status = client.request("GET", STEP_PATH).status
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    times.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors[0]


def download(client: Client) -> tuple[float, bytes]:
    """Press "Download" and do what the browser does until the file has arrived: on the
    "Preparing your PDF" page its script asks for the status once a second and asks for
    the file again once the status is ready. Seconds from the press, and the file."""
    started = time.perf_counter()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        response = client.request("GET", "/plan/pdf")
        body = response.body  # type: ignore[attr-defined]
        if response.status == 200 and body.startswith(b"%PDF"):
            return time.perf_counter() - started, body
        if response.status != 303:
            raise BenchError(f"/plan/pdf answered {response.status}")
        client.request("GET", urlsplit(response.getheader("Location", "")).path)
        status = "queued"
        while status not in ("ready", "start"):
            if status == "failed" or time.monotonic() > deadline:
                raise BenchError(f"the PDF was not made: {status}")
            time.sleep(POLL_SECONDS)
            answer = client.request("GET", "/plan/pdf/status")
            status = json.loads(answer.body)["status"]  # type: ignore[attr-defined]
    raise BenchError("no PDF within three minutes")


def until(deadline: float, also: Callable[[], bool] = lambda: True) -> Callable[[], bool]:
    return lambda: time.monotonic() < deadline or not also()


def ms(values: list[float]) -> str:
    scaled = [1000 * v for v in values]
    return (f"{statistics.median(scaled):9.0f}{percentile(scaled, .99):9.0f}"
            f"{max(scaled):9.0f}{len(scaled):8d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--step-clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()

    with ProdLikeStack(redis_url=args.redis_url) as stack:
        print(f"stack     {stack.url}; seeding {args.renders + args.step_clients + 1} "
              "trainees with SCAN 1-4 answered at length", flush=True)
        emails = seed(stack, args.renders + args.step_clients + 1)
        clients = []
        for email in emails:
            client = Client(stack)
            client.sign_in(email)
            clients.append(client)
        downloaders, readers, single = (clients[:args.renders],
                                        clients[args.renders:-1], clients[-1])
        for client in downloaders + [single]:
            add_actions(client)
        _, pdf = download(single)  # made ahead or now; either way the plan is printable
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        load = os.getloadavg()[0]

        quiet, quiet_errors = read_step_pages(
            readers, until(time.monotonic() + args.duration))

        empty_pdf_cache(stack)
        waits: list[float] = []
        failures: list[str] = []

        def one_download(client: Client) -> None:
            try:
                waits.append(download(client)[0])
            except Exception as error:  # noqa: BLE001 (reported below, not raised)
                failures.append(type(error).__name__ + ": " + str(error)[:200])

        getters = [threading.Thread(target=one_download, args=(c,)) for c in downloaders]
        for thread in getters:
            thread.start()
        busy, busy_errors = read_step_pages(readers, until(
            time.monotonic() + args.duration,
            also=lambda: all(not t.is_alive() for t in getters)))
        for thread in getters:
            thread.join()

        fresh, ready = [], []
        for _ in range(args.runs):
            empty_pdf_cache(stack)
            fresh.append(download(single)[0])
            ready.append(download(single)[0])

    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}; load {load:.2f} before the runs")
    print(f"plan      SCAN 1-4 answered at length, {len(ACTIONS)} actions: "
          f"{pages} A4 pages, {len(pdf) / 1024:.0f} KiB\n")
    print(f"{'step page, ms':<44}{'p50':>9}{'p99':>9}{'max':>9}{'count':>8}")
    print(f"{'alone':<44}{ms(quiet)}")
    print(f"{f'while {args.renders} fresh PDFs are downloaded':<44}{ms(busy)}")
    print(f"p99 with PDFs / p99 alone: "
          f"{percentile(busy, .99) / percentile(quiet, .99):.2f} (goal: 2.00 or less); "
          f"step page errors {quiet_errors} alone, {busy_errors} with PDFs")
    if waits:
        print(f"the {len(waits)} downloads took {min(waits):.1f} to {max(waits):.1f} s "
              f"(all {args.renders} made by one worker, one at a time)")
    for failure in failures:
        print(f"download failed: {failure}")
    print(f"\n{f'Download to file, {pages}-page plan, ms':<44}{'p50':>9}{'p99':>9}"
          f"{'max':>9}{'count':>8}")
    print(f"{'made afresh':<44}{ms(fresh)}")
    print(f"{'made ahead (cached)':<44}{ms(ready)}")


if __name__ == "__main__":
    main()
