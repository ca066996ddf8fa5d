#!/usr/bin/env python3
"""Requests per second and p50/p99 latency of careers_app beside a minimal Flask app.

Both run under gunicorn with the same settings, are driven by the same client in the same
run, and the ratio careers_app / minimal is the figure to compare between commits: the
absolute numbers depend on the machine. Figures only, never pass/fail. See bench/README.md.

    .venv/bin/python bench/worksheets.py [--workers 4] [--concurrency 8] [--duration 10]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/careers_bench]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent  # the venv's python, gunicorn and flask sit together
SLUG, STEP = "scan-1-self-awareness", "skills-audit"  # the heaviest step page
STEP_PATH = f"/modules/{SLUG}/steps/{STEP}"
AUTOSAVE_PATH = f"{STEP_PATH}/autosave"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
SKILLS = ("communication", "team-working", "clinical-reasoning", "practical-skills",
          "under-pressure", "uncertainty", "organisation", "leadership", "teaching",
          "research", "improvement", "digital")
# About 110 words: a realistic draft, well under the field's 250-word limit.
STRENGTHS = " ".join([
    "Communicating with patients and families: last month I explained a new diagnosis to",
    "a frightened family and checked they understood the plan before they went home.",
    "Teaching: I run the weekly teaching for the foundation doctors on the ward and",
    "change each session after reading their feedback, which I enjoy more than I expected.",
    "Staying calm under pressure: during a busy night shift with two sick patients at once",
    "I set priorities, asked for help early and kept the team informed about what I was",
    "doing. Improving services: I led an audit of discharge letters, shared the results",
    "at the departmental meeting and we changed the template, which cut missing",
    "medication details by half within three months.",
])


class BenchError(RuntimeError):
    """Setting up or serving failed; the message says what happened."""


class Client:
    """One connection and, for careers_app, one signed-in account with its own version.

    Cookies are kept by hand (their attributes are ignored, so the production Secure flag
    does not stop them over plain HTTP). gunicorn's sync worker closes the connection after
    each response; http.client then reconnects on the next request, for both apps alike.
    """

    def __init__(self, port: int, timeout: float) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.version = 0
        self.sent = 0
        self.saved = 0

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # start the next request on a fresh connection
            raise
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, data


def _match(pattern: re.Pattern[str], page: bytes, what: str) -> str:
    found = pattern.search(page.decode("utf-8", "replace"))
    if not found:
        raise BenchError(f"no {what} in the page")
    return found.group(1)


def sign_in(client: Client, email: str, password: str) -> int:
    """Sign in through the form, then read the CSRF token and version from the step page."""
    _, page = client.request("GET", "/account/sign-in")
    form = {"csrf_token": _match(CSRF_INPUT, page, "csrf_token"), "email": email,
            "password": password}
    status, _ = client.request("POST", "/account/sign-in", urlencode(form).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise BenchError(f"signing in as {email} answered {status}, not a redirect")
    status, page = client.request("GET", STEP_PATH)
    if status != 200:
        raise BenchError(f"{STEP_PATH} answered {status} after signing in")
    client.csrf = _match(CSRF_INPUT, page, "csrf_token")
    client.version = int(_match(VERSION_INPUT, page, "version input"))
    return len(page)


Call = Callable[[Client], str]  # returns "ok", "409" or a label for the error


def get(path: str) -> Call:
    def call(client: Client) -> str:
        try:
            status, _ = client.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__
        return "ok" if status == 200 else f"HTTP {status}"
    return call


def post_answers(path: str) -> Call:
    """The autosave body the page's script sends: every field of the step, text changing.

    The minimal app echoes the body, so its "version" comes back unchanged; careers_app
    returns the next version, which the client sends with its next save (or the current
    one with a 409)."""
    def call(client: Client) -> str:
        client.sent += 1
        ratings = {skill: 1 + (client.sent + i) % 5 for i, skill in enumerate(SKILLS)}
        answers = {"skills": ratings, "top-strengths": f"{STRENGTHS} (draft {client.sent})"}
        body = json.dumps({"version": client.version, "answers": answers}).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": client.csrf}
        try:
            status, data = client.request("POST", path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__
        if status not in (200, 409):
            return f"HTTP {status}"
        client.version = json.loads(data)["version"]
        client.saved += status == 200
        return "ok" if status == 200 else "409"
    return call


@dataclass
class Result:
    name: str
    ok: int = 0
    conflicts: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    client_cpu: float = 0.0


def run(name: str, clients: list[Client], call: Call, args: argparse.Namespace) -> Result:
    """Warm up, then measure all clients together for --duration seconds or --requests."""
    for client in clients:
        client.connection.close()  # no idle keep-alive connection left from a previous run
    result, lock = Result(name), threading.Lock()
    clock = {"start": 0.0, "cpu": 0.0, "end": 0.0}

    def begin() -> None:  # runs once, when every client has finished warming up
        clock["start"], clock["cpu"] = time.perf_counter(), time.process_time()

    barrier = threading.Barrier(len(clients), action=begin)
    stopping = threading.Event()  # set on Ctrl+C or kill, so clean-up need not wait

    def drive(client: Client, quota: int | None) -> None:
        try:
            warm = Counter(call(client) for _ in range(args.warmup) if not stopping.is_set())
            barrier.wait()
            # Waiting for slower clients may outlast the server's keep-alive timeout (gthread):
            # start measuring on a fresh connection rather than meet a closed one.
            client.connection.close()
        except BaseException:
            barrier.abort()  # release the others instead of leaving them waiting
            raise
        deadline = clock["start"] + args.duration
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        while not stopping.is_set() and ((outcomes.total() < quota) if quota is not None
                                         else (time.perf_counter() < deadline)):
            sent = time.perf_counter()
            outcome = call(client)
            if outcome == "ok":
                latencies.append(time.perf_counter() - sent)
            outcomes[outcome] += 1
        with lock:
            clock["end"] = max(clock["end"], time.perf_counter())
            result.latencies += latencies
            result.ok += outcomes.pop("ok", 0)
            result.conflicts += outcomes.pop("409", 0) + warm.pop("409", 0)
            result.errors.update(outcomes)
            result.errors.update({f"{label} (warm-up)": n for label, n in warm.items()
                                  if label != "ok"})

    quotas: list[int | None] = [None] * len(clients)
    if args.requests:
        share, extra = divmod(args.requests, len(clients))
        quotas = [share + (i < extra) for i in range(len(clients))]
    with ThreadPoolExecutor(len(clients)) as pool:
        futures = [pool.submit(drive, c, q) for c, q in zip(clients, quotas, strict=True)]
        try:
            for future in futures:
                future.result()
        except BaseException:
            stopping.set()
            barrier.abort()
            raise
    result.elapsed = clock["end"] - clock["start"]
    result.client_cpu = (time.process_time() - clock["cpu"]) / result.elapsed
    return result


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds (nan when nothing succeeded)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- servers, database and accounts -------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(app: str, port: int, env: dict[str, str], work: Path,
                   args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """The same command line for both apps but the app and the port."""
    label = app.split(":")[0]
    ready, log = work / f"ready-{label}", work / f"gunicorn-{label}.log"
    ready.mkdir()
    command = [str(BIN / "gunicorn"), "--config", str(BENCH / "gunicorn_conf.py"),
               "--workers", str(args.workers), "--worker-class", args.worker_class,
               "--threads", str(args.threads),
               "--bind", f"127.0.0.1:{port}", "--pythonpath", str(BENCH),
               "--log-level", "warning",
               # gunicorn 27 otherwise takes over ~/.gunicorn/gunicorn.ctl, unlinking the
               # socket of any other gunicorn on the machine, and removes it when it stops.
               "--no-control-socket", app]
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(  # noqa: S603 (the venv's own gunicorn)
            command, cwd=ROOT, env=env | {"BENCH_READY_DIR": str(ready)}, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    return process, ready, log


def wait_ready(process: subprocess.Popen[bytes], ready: Path, log: Path, port: int,
               path: str, workers: int, timeout: float = 120) -> None:
    """Until every worker has loaded the app and one of them answers ``path`` with 200."""
    probe = Client(port, timeout=5)
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n"
                             + log.read_text(errors="replace")[-3000:])
        if len(list(ready.iterdir())) >= workers:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if probe.request("GET", path)[0] == 200:
                    return
        time.sleep(0.1)
    raise BenchError(f"gunicorn on port {port} was not ready after {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # gunicorn's graceful shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only its workers
            process.wait()


def log_problems(log: Path) -> list[str]:
    """Distinct lines gunicorn or the app wrote at warning level or above, with counts."""
    lines = Counter(re.sub(r"^\[[^\]]*\] \[\d+\] ", "", line).strip()
                    for line in log.read_text(errors="replace").splitlines())
    lines.pop("", None)
    return [f"{n:>5} x {line}" for line, n in lines.most_common(15)]


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379),
                                      timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def create_postgres(url: str, stack: contextlib.ExitStack) -> str:
    """Create the database named in ``url`` and drop it at the end; refuse an existing one."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = target.database
    if not name:
        raise BenchError("--database-url must name a database for the benchmark to create")
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (name,)).fetchone():
            raise BenchError(f"database {name!r} already exists: name a new one; the "
                             "benchmark creates it and drops it afterwards")
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        server = str(connection.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                               .format(sql.Identifier(name)))

    stack.callback(drop)
    return f"PostgreSQL {server}, throwaway database {name} (dropped afterwards)"


def flask_cli(env: dict[str, str], *arguments: str) -> None:
    command = [str(BIN / "flask"), "--app", "careers_app", *arguments]
    done = subprocess.run(command, cwd=ROOT,  # noqa: S603 (the venv's own flask)
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(arguments[:2])} failed:\n{done.stderr[-3000:]}")


# --- the run ---------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per app")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="client threads, each with its own connection and account")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    amount.add_argument("--requests", type=int, help="requests per scenario, instead")
    parser.add_argument("--warmup", type=int, default=25,
                        help="unmeasured requests per client before each scenario")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the four scenarios; the median ratio is printed too")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--database-url", help="postgresql+psycopg://.../NEW_DB to create and "
                        "drop; default: a SQLite file in a temporary folder")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0",
                        help="rate-limit storage shared by the workers, if reachable")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    # A plain `kill` runs the clean-up below too: servers stopped, database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="careers-bench-")))
        # Production settings, strong secret; nothing inherited but what finds programs.
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        env |= {"APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1"}  # no mail is sent
        if args.database_url:
            database = create_postgres(args.database_url, stack)
            env["DATABASE_URL"] = args.database_url
        else:
            env["DATABASE_URL"] = f"sqlite:///{work / 'careers.sqlite3'}"
            database = f"SQLite {sqlite3.sqlite_version}, WAL, file in {work}"
        if redis_reachable(args.redis_url):
            env["REDIS_URL"] = args.redis_url
            limits = args.redis_url
        else:
            limits = f"memory:// per worker ({args.redis_url} unreachable)"

        flask_cli(env, "db", "upgrade")
        password = secrets.token_urlsafe(18)
        emails = [f"bench-{i}@example.org" for i in range(args.concurrency)]
        with ThreadPoolExecutor(os.cpu_count() or 2) as pool:  # ~1 s of CPU each
            list(pool.map(lambda e: flask_cli(env, "users", "create", e, "--name",
                                              "Bench Person", "--password", password), emails))

        ports = {"careers": free_port(), "minimal": free_port()}
        servers = {"careers": start_gunicorn("careers_app:create_app()", ports["careers"], env,
                                             work, args),
                   "minimal": start_gunicorn("minimal_app:app", ports["minimal"], env, work,
                                             args)}
        for process, _, _ in servers.values():
            stack.callback(stop, process)
        for key, path in (("careers", "/healthz"), ("minimal", "/hello")):
            process, ready, log = servers[key]
            wait_ready(process, ready, log, ports[key], path, args.workers)

        careers = [Client(ports["careers"], args.timeout) for _ in emails]
        page_size = max(sign_in(client, email, password) for client, email in zip(
            careers, emails, strict=True))
        minimal = [Client(ports["minimal"], args.timeout) for _ in emails]
        start_versions = [client.version for client in careers]

        print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
              f"Python {platform.python_version()}")
        print(f"server    gunicorn {metadata.version('gunicorn')}, {args.workers} "
              f"{args.worker_class} workers per app, {args.threads} thread(s) each")
        print(f"database  {database}")
        print(f"limits    {limits}")
        amount = (f"{args.requests} requests" if args.requests else f"{args.duration:g} s")
        print(f"client    {args.concurrency} threads, one connection and account each; "
              f"{amount} per scenario after {args.warmup} warm-up requests per thread")
        print(f"load      {os.getloadavg()[0]:.2f} (1-min average) before measuring: other "
              "work on the machine skews the figures")
        print(f"pages     GET {STEP_PATH} ({page_size / 1024:.0f} KiB), "
              f"POST {AUTOSAVE_PATH}\n", flush=True)

        # Pairs run back to back so that drift on the machine touches both sides alike.
        rounds: list[list[Result]] = []
        for number in range(1, args.rounds + 1):
            rounds.append([
                run("minimal GET /hello", minimal, get("/hello"), args),
                run("careers GET step page", careers, get(STEP_PATH), args),
                run("minimal POST /echo", minimal, post_answers("/echo"), args),
                run("careers POST autosave", careers, post_answers(AUTOSAVE_PATH), args)])
            print_table(rounds[-1], f"round {number} of {args.rounds}" if args.rounds > 1 else "")
        for process, _, _ in servers.values():
            stop(process)  # flushes the logs before they are read below

        print(f"load      {os.getloadavg()[0]:.2f} (1-min average) at the end, this run "
              "included")
        for kind in ("GET ", "POST"):
            each = [ratios(results)[kind] for results in rounds]
            for number, (rps, p50, p99) in enumerate(each, 1):
                where = f" (round {number})" if args.rounds > 1 else ""
                print(f"ratio {kind} careers_app / minimal{where}: rps {rps:.3f}   "
                      f"p50 {p50:.1f}x   p99 {p99:.1f}x")
            if args.rounds > 1:
                rps, p50, p99 = (statistics.median(column) for column in zip(*each, strict=True))
                print(f"ratio {kind} careers_app / minimal (median): rps {rps:.3f}   "
                      f"p50 {p50:.1f}x   p99 {p99:.1f}x")
        for results in rounds:
            for r in results:
                for label, n in r.errors.most_common():
                    print(f"errors    {r.name}: {n} x {label}")
        consistent = all(c.version == v + c.saved
                         for c, v in zip(careers, start_versions, strict=True))
        print(f"autosave  final version = start + 200s for every account: "
              f"{'yes' if consistent else 'NO (lost or doubled saves)'}")
        for key, (_, _, log) in servers.items():
            for line in log_problems(log):
                print(f"log {key:<7}{line}")


def print_table(results: list[Result], title: str) -> None:
    print(f"{title or 'scenario':<24}{'rps':>9}{'p50 ms':>9}{'p99 ms':>9}{'409s':>6}{'errors':>8}"
          f"{'client CPU':>12}")
    for r in results:
        print(f"{r.name:<24}{r.ok / r.elapsed:>9.1f}{percentile(r.latencies, .5):>9.2f}"
              f"{percentile(r.latencies, .99):>9.2f}{r.conflicts:>6}"
              f"{sum(r.errors.values()):>8}{r.client_cpu:>11.0%}")
    print(flush=True)


def ratios(results: list[Result]) -> dict[str, tuple[float, float, float]]:
    """careers_app / minimal for rps, p50 and p99, per method (nan when one side failed)."""
    found: dict[str, tuple[float, float, float]] = {}
    for kind, small, big in (("GET ", *results[0:2]), ("POST", *results[2:4])):
        rps = (big.ok / big.elapsed) / (small.ok / small.elapsed) if small.ok else math.nan
        found[kind] = (rps,
                       percentile(big.latencies, .5) / percentile(small.latencies, .5),
                       percentile(big.latencies, .99) / percentile(small.latencies, .99))
    return found

if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"benchmark failed: {error}")
