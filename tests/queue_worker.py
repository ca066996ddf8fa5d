"""A real worker process and an SMTP sink that can be down, or hold a message, on demand."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sink:
    """Keeps every message it accepted. With ``hold`` set, a message waits after its
    data has arrived, before the server says 250, until ``hold`` is cleared; a client
    gone by then never had it accepted, and the message is dropped (as a server does)."""

    def __init__(self) -> None:
        self.accepted: list[bytes] = []
        self.hold = False
        self.holding = 0
        self.dropped = 0  # held messages whose client went away while they waited

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.hold:
            self.holding += 1
            try:
                while self.hold:
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:  # the server cancels it when the client goes
                self.dropped += 1
                raise
            transport = server.transport
            if transport is None or transport.is_closing():
                return "451 client gone"
        self.accepted.append(envelope.content)
        return "250 OK"

    def to(self, address: str) -> list[bytes]:
        return [m for m in self.accepted if f"To: {address}".encode() in m]


def start_sink(port: int) -> tuple[Sink, Controller]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller


def empty_queue(database_url: str, folder: Path, redis_url: str) -> str:
    """Where the web side and a worker share jobs: a SQLite file beside a SQLite
    database; beside PostgreSQL, ``redis_url`` emptied first (each test file that runs
    workers has a Redis database number of its own)."""
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{folder / 'jobs.sqlite3'}"
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


def worker_environment(database_url: str, queue_url: str, smtp_port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TZ"}},
        "APP_ENV": "test", "DATABASE_URL": database_url, "QUEUE_URL": queue_url,
        "QUEUE_IMMEDIATE": "0", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port), "MAIL_USE_TLS": "0", "MAIL_RETRY_DELAY": "0.2",
        "MAIL_MAX_ATTEMPTS": "12", "MAIL_SEND_LEASE": "2",
        "EXTERNAL_URL": "https://careers.test", "PYTHONUNBUFFERED": "1",
    }


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "careers_app", "jobs", "worker"],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)


def kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            kill(process)


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")
