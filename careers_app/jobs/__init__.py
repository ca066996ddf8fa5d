"""The job queue: huey, on a SQLite file by default and on Redis in production.

There is one ``huey`` object, as huey's task decorators need; ``init_jobs`` points it at
the storage the app's settings name (``QUEUE_URL``) and switches immediate mode (tests)
on or off. Jobs carry only row ids, never what anyone wrote, so the queue's storage
holds nothing personal. A job runs inside the application that enqueued it (immediate
mode) or inside the worker's own application (``flask --app careers_app jobs worker``).

To add a job: a function in a module of its feature decorated with ``@huey.task()`` (or
``@huey.periodic_task(crontab(...))``) whose body starts ``with job_context():``, and
that module listed in ``TASK_MODULES`` so the worker registers it.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage
from redis import ConnectionPool

TASK_MODULES = ("careers_app.outbox.tasks", "careers_app.reminders.tasks",
                "careers_app.plans.pdf_tasks", "careers_app.personal_data.tasks",
                "careers_app.account_deletion.tasks")
HEARTBEAT_KEY = "careers:worker-heartbeat"

huey = Huey("careers", immediate=True, storage_class=SqliteStorage, filename=":memory:")
_worker_app: Flask | None = None


def init_jobs(app: Flask) -> None:
    """Point the queue at the app's storage and register every task."""
    url = str(app.config["QUEUE_URL"])
    if url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///")
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": filename}
    else:
        # Short timeouts: /healthz and an enqueue after a commit must not hang on Redis.
        pool = ConnectionPool.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"connection_pool": pool, "blocking": True, "read_timeout": 1}
    huey._immediate = bool(app.config["QUEUE_IMMEDIATE"])
    huey.storage = huey.create_storage()
    for name in TASK_MODULES:
        importlib.import_module(name)


def bind_worker(app: Flask) -> None:
    """The application jobs run in when no request has one (the worker process)."""
    global _worker_app
    _worker_app = app


@contextlib.contextmanager
def job_context() -> Iterator[Flask]:
    """The application a job runs in: the enqueuing one (immediate mode) or the worker's."""
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if _worker_app is None:
        raise RuntimeError("no application bound for jobs: call bind_worker(app) first")
    with _worker_app.app_context():
        yield _worker_app


# -- the worker's heartbeat ---------------------------------------------------------------

def write_heartbeat() -> None:
    huey.storage.put_data(HEARTBEAT_KEY, str(time.time()).encode())


@huey.on_startup()
def heartbeat_on_start() -> None:
    write_heartbeat()


@huey.periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Once a minute, so /healthz can say how long ago a worker last ran a job."""
    write_heartbeat()


def queue_health() -> dict[str, object]:
    """Whether the queue's storage answers, and the age of the last heartbeat (seconds)."""
    if huey.immediate:
        return {"queue": "immediate", "worker_heartbeat_age_seconds": None}
    try:
        # peek_data leaves the value; an absent key comes back as EmptyData.
        raw = huey.storage.peek_data(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 (any storage failure means "unreachable")
        return {"queue": "unavailable", "worker_heartbeat_age_seconds": None}
    if not isinstance(raw, bytes):
        return {"queue": "ok", "worker_heartbeat_age_seconds": None}
    return {"queue": "ok",
            "worker_heartbeat_age_seconds": max(round(time.time() - float(raw)), 0)}
