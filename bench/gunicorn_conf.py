"""Gunicorn settings shared by both apps in the benchmark: only a readiness signal.

Each worker touches a file once its application is loaded. The benchmark waits for one
file per worker, so it never measures while other workers are still importing the app
and taking CPU (the first answered request only proves that one worker is up).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def post_worker_init(worker: Any) -> None:
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        Path(folder, str(worker.pid)).touch()
