#!/usr/bin/env python3
"""careers_app under wrk, beside a minimal Flask app, on SQLite and on PostgreSQL.

Both apps are served by gunicorn as deploy/prod_like.py serves careers_app (sync workers,
production settings), plain HTTP on loopback, with the headers nginx would add. Trainees
who have answered all of SCAN 1 to 4 at length (tests/e2e/long_answers.py) are signed in
through the form; wrk (bench/http_load.lua) then reads the session status (the floor of
a signed-in request: no page drawn), the step page, the dashboard and the plan page, and
autosaves, each at 8 and 32 connections. Figures only, never
pass/fail; the ratio to the minimal app is the figure to compare. Beside it, "CPU ms" is
the CPU time the app's gunicorn (master and workers) spent per request in the run, which
wrk's own share of the two cores does not move (PostgreSQL's and Redis's own CPU is not
in it). See bench/README.md.

    .venv/bin/python bench/http_load.py [--databases sqlite,postgresql] [--duration 10]
        [--connections 8,32] [--workers 4] [--redis-url redis://127.0.0.1:6379/14]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

import serving as shared  # bench/serving.py: servers, Redis, throwaway database
from serving import BenchError

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
os.environ["APP_ENV"] = "test"  # the seeding app in this process; the servers are production

HOST = "localhost"  # as TRUSTED_HOSTS in deploy/prod_like.py
SCAN = ("scan-1-self-awareness", "scan-2-career-exploration", "scan-3-arriving-at-a-decision",
        "scan-4-next-steps")
STEP_PATH = "/modules/scan-1-self-awareness/steps/skills-audit"  # the heaviest step page
# The session status (what a page's timeout warning asks) is the signed-in floor: the
# session, the account, the rate limit and the headers every request pays, no page drawn.
PAGES = (("session status", "/account/session"), ("step page", STEP_PATH),
         ("dashboard", "/dashboard"), ("plan page", "/plan/"))
AUTOSAVE_PATH = f"{STEP_PATH}/autosave"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
WRK = shutil.which("wrk")
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class Account:
    cookie: str
    csrf: str
    version: int


@dataclass
class Figures:
    name: str
    connections: int
    rps: float
    p50: float
    p99: float
    requests: int
    not_ok: dict[int, int]
    socket_errors: str
    load_before: float
    load_after: float
    server_cpu_ms: float  # the gunicorn master's and workers' CPU time per request


# --- accounts ------------------------------------------------------------------------------

def seed(database_url: str, secret_key: str, redis_url: str, count: int) -> list[str]:
    """``count`` trainees who have answered every step of SCAN 1 to 4 at length."""
    from careers_app import create_app
    from careers_app.extensions import db
    from careers_app.worksheets import service as worksheets
    from tests.e2e.long_answers import long_answers
    from tests.factories import make_account

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": secret_key, "QUEUE_IMMEDIATE": False,
                      "QUEUE_URL": redis_url, "MAIL_BACKEND": "memory"})
    today = dt.date.today()
    emails = []
    with app.app_context():
        registry = app.extensions["modules"]
        answers = {slug: long_answers(registry.get(slug), today) for slug in SCAN}
        for number in range(count):
            email = f"bench-http-{number}@example.org"
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


class Browser:
    """Signs in as a browser behind nginx would: Host, X-Forwarded-* and Origin set."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, str]:
        headers = {"Host": HOST, "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https",
                   "Referer": f"https://{HOST}{path}"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": f"https://{HOST}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, text

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def sign_in(self, email: str, password: str) -> None:
        _, page = self.request("GET", "/account/sign-in")
        token = CSRF_INPUT.search(page)
        if token is None:
            raise BenchError("no CSRF token on the sign-in page")
        status, _ = self.request("POST", "/account/sign-in", {
            "csrf_token": token.group(1), "email": email, "password": password})
        if status != 302:
            raise BenchError(f"signing in as {email} answered {status}, not a redirect")

    def account(self) -> Account:
        """The session cookie, and the CSRF token and version the step page holds."""
        status, page = self.request("GET", STEP_PATH)
        token, version = CSRF_INPUT.search(page), VERSION_INPUT.search(page)
        if status != 200 or token is None or version is None:
            raise BenchError(f"{STEP_PATH} answered {status} without a token and version")
        return Account(self.cookie_header, token.group(1), int(version.group(1)))


def write_accounts(path: Path, accounts: list[Account]) -> None:
    path.write_text("".join(f"{a.cookie}\t{a.csrf}\t{a.version}\n" for a in accounts))


# --- wrk -----------------------------------------------------------------------------------

def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and all its descendants still running:
    the gunicorn master and its workers, which live for the whole run."""
    ticks, waiting = 0, [pid]
    while waiting:
        current = waiting.pop()
        with contextlib.suppress(OSError):  # a process that has just ended
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting += [int(child) for child in (task / "children").read_text().split()]
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(name: str, url: str, mode: str, connections: int, seconds: float,
            accounts_file: Path, server_pid: int) -> Figures:
    """One wrk run: a thread per connection, so each connection keeps its own account."""
    command = [str(WRK), "--threads", str(connections), "--connections", str(connections),
               "--duration", f"{seconds:g}s", "--timeout", "30s", "--latency",
               "--script", str(BENCH / "http_load.lua"), url]
    env = os.environ | {"BENCH_ACCOUNTS": str(accounts_file), "BENCH_MODE": mode,
                        "BENCH_HOST": HOST}
    before, cpu_before = os.getloadavg()[0], server_cpu_seconds(server_pid)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    after, cpu_after = os.getloadavg()[0], server_cpu_seconds(server_pid)
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise BenchError(f"wrk failed ({done.returncode}):\n{out}\n{done.stderr}")
    # wrk pads a one-letter unit with a space: "    99%    1.02s ".
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+[a-z]+)\s*$", out, re.MULTILINE))
    if set(percentiles) != {"50", "99"}:
        raise BenchError(f"no p50 and p99 in wrk's output:\n{out}")
    statuses: dict[int, int] = {}
    for code, count in re.findall(r"^bench-status (\d+) (\d+)$", out, re.MULTILINE):
        statuses[int(code)] = statuses.get(int(code), 0) + int(count)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Figures(
        name=name, connections=connections,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50=milliseconds(percentiles["50"]), p99=milliseconds(percentiles["99"]),
        requests=requests,
        not_ok={code: n for code, n in statuses.items() if code != 200},
        socket_errors=socket_errors.group(1) if socket_errors else "",
        load_before=before, load_after=after,
        server_cpu_ms=1000 * (cpu_after - cpu_before) / max(requests, 1))


# --- servers -------------------------------------------------------------------------------

def start_gunicorn(app: str, port: int, env: dict[str, str], work: Path, workers: int
                   ) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """deploy/prod_like.py's command line (sync workers, its timeouts), for either app."""
    label = app.split(":")[0]
    ready, log = work / f"ready-{label}", work / f"gunicorn-{label}.log"
    ready.mkdir()
    command = [str(BIN / "gunicorn"), "--config", str(BENCH / "gunicorn_conf.py"),
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--pythonpath", str(BENCH), "--timeout", "60", "--graceful-timeout", "5",
               "--log-level", "warning", "--no-control-socket", app]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (the venv's own gunicorn)
            command, cwd=ROOT, env=env | {"BENCH_READY_DIR": str(ready)}, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    return process, ready, log


def wait_ready(process: subprocess.Popen[bytes], ready: Path, log: Path, port: int,
               path: str, workers: int, timeout: float = 120) -> None:
    """Until every worker has loaded its app and ``path`` answers 200 for HOST (only the
    names in TRUSTED_HOSTS are answered in production)."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n"
                             + log.read_text(errors="replace")[-3000:])
        if len(list(ready.iterdir())) >= workers:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if Browser(port).request("GET", path)[0] == 200:
                    return
        time.sleep(0.1)
    raise BenchError(f"gunicorn on port {port} was not ready after {timeout:.0f} s:\n"
                     + log.read_text(errors="replace")[-3000:])


def production_env(database_url: str, secret_key: str, redis_url: str) -> dict[str, str]:
    """deploy/prod_like.py's settings, but for the address and the mail server."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return keep | {
        "APP_ENV": "production", "SECRET_KEY": secret_key, "DATABASE_URL": database_url,
        "REDIS_URL": redis_url, "EXTERNAL_URL": f"https://{HOST}", "TRUSTED_HOSTS": HOST,
        "PROXY_FIX_X_FOR": "1", "PROXY_FIX_X_PROTO": "1",
        # Nothing is sent: emails wait in the queue and no job worker runs.
        "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_FROM": "careers@example.org",
        "SUPPORT_EMAIL": "careers-unit@example.org", "PYTHONUNBUFFERED": "1"}


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


# --- the run -------------------------------------------------------------------------------

def measure(kind: str, args: argparse.Namespace) -> list[Figures]:
    """Seed, serve both apps, sign in and run every case against one database."""
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="careers-wrk-")))
        secret_key = secrets.token_urlsafe(48)
        if kind == "postgresql":
            url = f"{args.postgres_server}/careers_http_load_{secrets.token_hex(4)}"
            database = shared.create_postgres(url, stack)
        else:
            url = f"sqlite:///{work / 'careers.sqlite3'}"
            database = f"SQLite {sqlite3.sqlite_version}, file in a temporary folder"
        flush_redis(args.redis_url)
        stack.callback(flush_redis, args.redis_url)
        env = production_env(url, secret_key, args.redis_url)
        shared.flask_cli(env, "db", "upgrade")
        count = max(args.connections)
        started = time.perf_counter()
        emails = seed(url, secret_key, args.redis_url, count)
        seeded = time.perf_counter() - started

        ports = {"careers": shared.free_port(), "minimal": shared.free_port()}
        servers = {"careers": start_gunicorn("careers_app:create_app()", ports["careers"], env,
                                             work, args.workers),
                   "minimal": start_gunicorn("minimal_app:app", ports["minimal"], env, work,
                                             args.workers)}
        for process, _, _ in servers.values():
            stack.callback(shared.stop, process)
        for key, path in (("careers", "/healthz"), ("minimal", "/hello")):
            process, ready, log = servers[key]
            wait_ready(process, ready, log, ports[key], path, args.workers)

        from tests.factories import DEFAULT_PASSWORD

        browsers = [Browser(ports["careers"]) for _ in emails]
        for browser, email in zip(browsers, emails, strict=True):
            browser.sign_in(email, DEFAULT_PASSWORD)
        accounts_file = work / "accounts.tsv"

        def refresh_accounts() -> None:  # the versions autosave moved on, read back
            write_accounts(accounts_file, [browser.account() for browser in browsers])

        refresh_accounts()
        print(f"\n== {kind}: {database}")
        print(f"seeded    {count} trainees, SCAN 1 to 4 answered at length, in {seeded:.1f} s; "
              "each wrk connection signed in as its own trainee", flush=True)

        careers = f"http://127.0.0.1:{ports['careers']}"
        minimal = f"http://127.0.0.1:{ports['minimal']}"
        pids = {"careers": servers["careers"][0].pid, "minimal": servers["minimal"][0].pid}
        cases = [("minimal GET /hello", f"{minimal}/hello", "get"),
                 *((f"careers GET {name}", f"{careers}{path}", "get") for name, path in PAGES),
                 ("minimal POST /echo", f"{minimal}/echo", "post"),
                 ("careers POST autosave", f"{careers}{AUTOSAVE_PATH}", "post")]
        # Unmeasured: every worker compiles its templates and opens its connections first.
        for name, url, mode in cases:
            run_wrk("warm-up", url, mode, min(args.connections), args.warmup, accounts_file,
                    pids[name.split()[0]])
            if mode == "post":
                refresh_accounts()
        results = []
        for connections in args.connections:
            print_header(connections)
            for name, url, mode in cases:
                figures = run_wrk(name, url, mode, connections, args.duration, accounts_file,
                                  pids[name.split()[0]])
                if mode == "post":
                    refresh_accounts()
                results.append(figures)
                print_row(figures, results)
        print_ceilings(results, max(args.connections))
        for process, _, _ in servers.values():
            shared.stop(process)  # flushes the logs before they are read
        for key, (_, _, log) in servers.items():
            for line in log_problems(log):
                print(f"log {key:<7}{line}")
        return results


def log_problems(log: Path) -> list[str]:
    """What gunicorn or the app logged above info level (production logs every sign-in as
    a JSON line at info level), with counts."""
    quiet = re.compile(r'"level": "(INFO|DEBUG)"')
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if line.strip() and not quiet.search(line)]
    log.write_text("\n".join(lines))
    return shared.log_problems(log)


def print_header(connections: int) -> None:
    print(f"\n{f'{connections} connections':<28}{'rps':>8}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'x minimal rps':>15}{'CPU ms':>8}{'not 200':>9}{'load before/after':>19}",
          flush=True)


def print_row(figures: Figures, results: list[Figures]) -> None:
    method = figures.name.split()[1]
    floor = next((r for r in results if r.connections == figures.connections
                  and r.name.startswith(f"minimal {method}")), None)
    ratio = f"{figures.rps / floor.rps:.3f}" if floor and floor.rps else "-"
    not_ok = ", ".join(f"{n}x{code}" for code, n in sorted(figures.not_ok.items())) or "0"
    print(f"{figures.name:<28}{figures.rps:>8.1f}{figures.p50:>9.2f}{figures.p99:>9.2f}"
          f"{ratio:>15}{figures.server_cpu_ms:>8.2f}{not_ok:>9}"
          f"{figures.load_before:>10.2f} / {figures.load_after:<6.2f}",
          flush=True)
    if figures.socket_errors:
        print(f"{'':<28}socket errors: {figures.socket_errors}")


def print_ceilings(results: list[Figures], connections: int) -> None:
    """What the cores allow each case, from its CPU time per request: at most cores / CPU
    requests a second, and so, by Little's law, a mean latency of at least connections /
    that rate. Bounds worked out from the figures above, not measured; wrk's own share of
    the cores (and, on PostgreSQL, the database's) would only lower the rate further."""
    cores = os.cpu_count() or 1
    rows = [r for r in results if r.connections == connections and r.server_cpu_ms > 0]
    print(f"\nwhat {cores} cores allow at {connections} connections, from the CPU time a "
          "request takes (bounds, not measurements)")
    print(f"{'case':<28}{'CPU ms':>8}{'most rps':>10}{'x minimal rps':>15}"
          f"{'least mean latency ms':>23}")
    for figures in rows:
        most = cores * 1000 / figures.server_cpu_ms
        method = figures.name.split()[1]
        floor = next((r for r in rows if r.name.startswith(f"minimal {method}")), None)
        ratio = f"{most / floor.rps:.3f}" if floor and floor.rps else "-"
        print(f"{figures.name:<28}{figures.server_cpu_ms:>8.2f}{most:>10.0f}{ratio:>15}"
              f"{1000 * connections / most:>23.1f}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--connections", default="8,32",
                        type=lambda text: [int(n) for n in text.split(",")],
                        help="wrk connections per case, comma-separated")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="unmeasured seconds per case before measuring")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per app")
    parser.add_argument("--postgres-server", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="where to create (and drop) a throwaway database")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14",
                        help="rate limits and queue; this Redis database is emptied")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if WRK is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    if not shared.redis_reachable(args.redis_url):
        raise BenchError(f"Redis does not answer at {args.redis_url}: production needs it")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean-up runs on kill too
    print(f"machine   {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"server    gunicorn {metadata.version('gunicorn')}, {args.workers} sync workers per "
          "app, production settings; plain HTTP on loopback with nginx's headers")
    version = subprocess.run([WRK, "--version"], capture_output=True, text=True,  # noqa: S603
                             check=False).stdout.split(" Copyright")[0]
    print(f"client    {version}; "
          f"{args.duration:g} s per case after {args.warmup:g} s unmeasured; threads = "
          "connections, one trainee per connection")
    print(f"load      {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the "
          "start: other work on the machine skews the figures", flush=True)
    everything = {kind: measure(kind, args) for kind in args.databases.split(",")}
    print(f"\nload      {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end")
    if len(everything) > 1:
        print("\nratio to the minimal app's rps, per database")
        names = [f"{r.name} @{r.connections}" for r in next(iter(everything.values()))]
        print(f"{'case':<34}" + "".join(f"{kind:>12}" for kind in everything))
        for index, name in enumerate(names):
            row = ""
            for results in everything.values():
                figures = results[index]
                method = figures.name.split()[1]
                floor = next(r for r in results if r.connections == figures.connections
                             and r.name.startswith(f"minimal {method}"))
                row += f"{figures.rps / floor.rps:>12.3f}"
            print(f"{name:<34}{row}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"benchmark failed: {error}")
