"""What the served benchmarks share: free ports, stopping servers, reading their logs,
checking Redis, a throwaway PostgreSQL database and the app's own ``flask`` commands."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's python, gunicorn and flask sit together


class BenchError(RuntimeError):
    """Setting up or serving failed; the message says what happened."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
