"""The production-shaped stack on loopback: what the HTTPS browser suite runs against.

    nginx (TLS, certificate generated at start-up)
      |-- app instance 1: gunicorn, 2 workers, APP_ENV=production --+-- PostgreSQL
      |-- app instance 2: gunicorn, 2 workers, APP_ENV=production --+-- Redis
    job worker: flask jobs worker, same settings -----------------+-- (queue in Redis)
    (a throwaway PostgreSQL database; one Redis database number, emptied first)
    SMTP sink (aiosmtpd) on loopback, keeping every message in a Maildir (the worker
    sends every email; the instances only write them to the outbox)

By hand: ``make prod-like`` (or ``.venv/bin/python -m deploy.prod_like``) starts it,
prints the address and the sign-in it created, and stops everything on Ctrl+C. The
test suite starts the same stack with ``ProdLikeStack``. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import grp
import mailbox
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import IO

import psycopg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HOST_NAME = "localhost"
INSTANCES = 2
WORKERS_PER_INSTANCE = 2
DEFAULT_POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
START_TIMEOUT_SECONDS = 60
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class StackError(RuntimeError):
    """A part of the stack is missing or did not start; the message says which."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def missing_parts() -> list[str]:
    """What this machine lacks to run the stack (empty when everything is there)."""
    missing = [tool for tool in ("nginx", "openssl") if shutil.which(tool) is None
               and not Path(f"/usr/sbin/{tool}").exists()]
    with contextlib.suppress(OSError):
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            pass
        return missing
    return [*missing, "redis on 127.0.0.1:6379"]


def _executable(name: str) -> str:
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists()
                                   else None)
    if found is None:
        raise StackError(f"{name} is not installed (Debian: apt-get install {name})")
    return found


def _redis_flush(url: str) -> None:
    """Empty the stack's Redis database, so throttling starts from nothing."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


@dataclass
class ProdLikeStack:
    """Start with ``start()``, stop with ``stop()``; or use it as a context manager."""

    postgres_admin_url: str = DEFAULT_POSTGRES_ADMIN_URL
    redis_url: str = DEFAULT_REDIS_URL
    quiet: bool = True
    run_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="careers-stack-")))
    https_port: int = 0
    app_ports: list[int] = field(default_factory=list)
    smtp_port: int = 0
    database_name: str = ""
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    _processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    # ------------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        return f"https://{HOST_NAME}:{self.https_port}"

    @property
    def database_url(self) -> str:
        admin = psycopg.conninfo.conninfo_to_dict(self.postgres_admin_url)
        user = admin.get("user", "postgres")
        host = admin.get("host", "127.0.0.1")
        port = admin.get("port", "5432")
        return f"postgresql+psycopg://{user}@{host}:{port}/{self.database_name}"

    @property
    def certificate(self) -> Path:
        return self.run_dir / "tls" / "cert.pem"

    @property
    def maildir(self) -> Path:
        return self.run_dir / "mail"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "nginx-access.log"

    def app_log(self, instance: int) -> Path:
        return self.run_dir / f"app-{instance}.log"

    def access_log_once_it_has(self, needle: str, seconds: float = 10.0) -> str:
        """The access log, waiting until a line with needle is in it.

        nginx writes a request's line only after the response has gone, so a
        client reading the log straight after its answer can be ahead of it.
        """
        deadline = time.monotonic() + seconds
        while True:
            text = self.access_log.read_text()
            if needle in text or time.monotonic() > deadline:
                return text
            time.sleep(0.05)

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts the stack's own certificate and nothing else."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def environment(self) -> dict[str, str]:
        """The settings every app instance (and the migration) runs with."""
        keep = {name: value for name, value in os.environ.items()
                if name in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "SSL_CERT_FILE"}}
        return {
            **keep,
            "APP_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "EXTERNAL_URL": self.url,
            "TRUSTED_HOSTS": HOST_NAME,
            "PROXY_FIX_X_FOR": "1",
            "PROXY_FIX_X_PROTO": "1",
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.smtp_port),
            "MAIL_USE_TLS": "0",
            "MAIL_FROM": "careers@example.org",
            "SUPPORT_EMAIL": "careers-unit@example.org",
            "PYTHONUNBUFFERED": "1",
        }

    # --------------------------------------------------------------------- start

    def start(self) -> ProdLikeStack:
        missing = missing_parts()
        if missing:
            raise StackError("cannot start the production-shaped stack: missing "
                             + ", ".join(missing))
        try:
            self.https_port = self.https_port or free_port()
            self.smtp_port = free_port()
            self.app_ports = [free_port() for _ in range(INSTANCES)]
            self._make_certificate()
            self._start_smtp_sink()
            self._create_database()
            _redis_flush(self.redis_url)
            self._migrate()
            for instance, port in enumerate(self.app_ports, start=1):
                self._start_app_instance(instance, port)
            self._start_worker()
            self._start_nginx()
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _make_certificate(self) -> None:
        tls = self.run_dir / "tls"
        tls.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [_executable("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-days", "2", "-subj", f"/CN={HOST_NAME}",
             "-addext", f"subjectAltName=DNS:{HOST_NAME},IP:127.0.0.1",
             "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
            check=True, capture_output=True,
        )
        (tls / "key.pem").chmod(0o600)

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None,
               log_path: Path | None = None) -> subprocess.Popen[bytes]:
        log = open(log_path or self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 (kept open)
        self._logs.append(log)
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_end_with_parent,
        )
        self._processes.append((name, process))
        return process

    def _start_smtp_sink(self) -> None:
        mailbox.Maildir(self.maildir, create=True)
        self._spawn("smtp-sink", [
            sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}",
            "-c", "aiosmtpd.handlers.Mailbox", str(self.maildir),
        ], env={**os.environ, "PYTHONUNBUFFERED": "1"})
        _wait_for_port(self.smtp_port, "the SMTP sink", self._processes[-1][1])

    def _create_database(self) -> None:
        self.database_name = "careers_stack_" + secrets.token_hex(6)
        with psycopg.connect(self.postgres_admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{self.database_name}"')

    def _drop_database(self) -> None:
        if not self.database_name:
            return
        with contextlib.suppress(psycopg.Error), psycopg.connect(
            self.postgres_admin_url, autocommit=True, connect_timeout=10
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        self.database_name = ""

    def _migrate(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "careers_app", "db", "upgrade"],
            cwd=PROJECT_ROOT, env=self.environment(), capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise StackError("migrations failed:\n" + result.stdout + result.stderr)

    def _start_app_instance(self, instance: int, port: int) -> None:
        self._spawn(f"app-{instance}", [
            sys.executable, "-m", "gunicorn",
            "--workers", str(WORKERS_PER_INSTANCE),
            "--bind", f"127.0.0.1:{port}",
            "--no-control-socket",
            "--timeout", "60",
            "--graceful-timeout", "5",
            "careers_app:create_app()",
        ], env=self.environment(), log_path=self.app_log(instance))

    def _start_worker(self) -> None:
        """One job worker, with the instances' settings: it sends the emails to the sink."""
        self._spawn("worker", [
            sys.executable, "-m", "flask", "--app", "careers_app", "jobs", "worker",
        ], env=self.environment())

    def _start_nginx(self) -> None:
        for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / folder).mkdir(exist_ok=True)
        user_line = ""
        if os.geteuid() == 0:
            # nginx's workers drop root; they need their temporary folders.
            nobody = pwd.getpwnam("nobody")
            group = grp.getgrgid(nobody.pw_gid).gr_name
            user_line = f"user nobody {group};"
            for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                os.chown(self.run_dir / folder, nobody.pw_uid, nobody.pw_gid)
        # safe_substitute: nginx's own $variables pass through untouched.
        config = string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(
            run_dir=self.run_dir,
            user_line=user_line,
            listen=f"127.0.0.1:{self.https_port}",
            server_name=HOST_NAME,
            upstream_servers="\n".join(
                f"        server 127.0.0.1:{port} max_fails=0;" for port in self.app_ports
            ),
        )
        config_path = self.run_dir / "nginx.conf"
        config_path.write_text(config)
        nginx = _executable("nginx")
        self._spawn("nginx", [nginx, "-p", str(self.run_dir), "-e",
                              str(self.run_dir / "nginx-error.log"), "-c", str(config_path)])

    def _wait_until_ready(self) -> None:
        """Every instance answers /healthz directly, and nginx answers over HTTPS."""
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        targets = [(f"http://127.0.0.1:{port}/healthz", None) for port in self.app_ports]
        targets.append((self.url + "/healthz", self.ssl_context()))
        for target, context in targets:
            while True:
                self._check_running()
                try:
                    request = urllib.request.Request(target, headers={"Host": HOST_NAME})
                    with urllib.request.urlopen(request, timeout=5, context=context) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise StackError(f"{target} did not answer within {START_TIMEOUT_SECONDS} s;"
                                     f" logs in {self.run_dir}")
                time.sleep(0.2)

    def _check_running(self) -> None:
        for name, process in self._processes:
            if process.poll() is not None:
                log = self.run_dir / f"{name}.log"
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise StackError(f"{name} stopped (exit {process.returncode}):\n{tail}")

    # ---------------------------------------------------------------------- use

    def messages(self) -> list[EmailMessage]:
        """Every email the app sent, oldest first, as the recipient's client parses it."""
        import email.policy
        from email.parser import BytesParser

        box = mailbox.Maildir(self.maildir, create=False)
        found = []
        for key in box.keys():
            path = self.maildir / ("new" if (self.maildir / "new" / key).exists() else "cur") / key
            found.append((path.stat().st_mtime_ns, path))
        parser = BytesParser(policy=email.policy.default)
        return [parser.parsebytes(path.read_bytes()) for _, path in sorted(found)]  # type: ignore[misc]

    def stop_instance(self, instance: int) -> None:
        """Stop one app instance (as when a machine goes away)."""
        for name, process in self._processes:
            if name == f"app-{instance}" and process.poll() is None:
                _terminate(process)

    # ---------------------------------------------------------------------- stop

    def stop(self) -> None:
        for _name, process in reversed(self._processes):
            _terminate(process)
        self._processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
        self._drop_database()

    def keep_logs(self, folder: Path) -> None:
        """Copy the logs (nginx's access and error logs, each instance's, the worker's)
        into ``folder``, before remove_files: a failed run can then be read afterwards.
        They hold paths and events, never what anyone typed."""
        folder.mkdir(parents=True, exist_ok=True)
        for log in self.run_dir.glob("*.log"):
            shutil.copy2(log, folder / log.name)

    def remove_files(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> ProdLikeStack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self.remove_files()


def _end_with_parent() -> None:
    """In the child, before it runs: be sent SIGTERM if the launcher dies, so a killed
    test run or launcher leaves no nginx or gunicorn behind (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_for_port(port: int, what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{what} stopped at start-up (exit {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise StackError(f"{what} did not listen on port {port}")


def _create_sign_in(stack: ProdLikeStack, email: str, password: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "careers_app", "users", "create", email,
         "--name", "Stack Coordinator", "--role", "coordinator", "--role", "coach",
         "--role", "facilitator", "--password", password],
        cwd=PROJECT_ROOT, env=stack.environment(), capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise StackError("could not create the sign-in:\n" + result.stdout + result.stderr)


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8443, help="HTTPS port (default 8443)")
    parser.add_argument("--postgres", default=os.environ.get("STACK_POSTGRES_URL",
                                                             DEFAULT_POSTGRES_ADMIN_URL),
                        help="an administrator connection used to create a throwaway database")
    parser.add_argument("--redis", default=os.environ.get("STACK_REDIS_URL", DEFAULT_REDIS_URL),
                        help="the Redis database the stack may empty and use")
    args = parser.parse_args(argv)
    stack = ProdLikeStack(postgres_admin_url=args.postgres, redis_url=args.redis,
                          https_port=args.port)
    email, password = "coordinator@example.org", secrets.token_urlsafe(12)
    # `kill` (SIGTERM) stops the stack as Ctrl+C does, cleaning up on the way out.
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    with stack:
        _create_sign_in(stack, email, password)
        print(f"Production-shaped stack on {stack.url} (certificate {stack.certificate})")
        print(f"  app instances on 127.0.0.1:{stack.app_ports[0]} and 127.0.0.1:"
              f"{stack.app_ports[1]}, {WORKERS_PER_INSTANCE} workers each; "
              f"database {stack.database_name}")
        print(f"  mail is kept in {stack.maildir}; logs in {stack.run_dir}")
        print(f"  sign in as {email} with password {password}")
        print("Stop with Ctrl+C.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(1)
                stack._check_running()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
