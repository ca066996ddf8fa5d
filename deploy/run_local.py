"""`make run`: the development server and one job worker, stopped together by one Ctrl+C.

Ctrl+C reaches both (they share the terminal's process group); if either stops on its
own, the other is stopped too, so the command never leaves half the service running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main() -> int:
    port = os.environ.get("PORT", "5000")
    flask = [sys.executable, "-m", "flask", "--app", "careers_app"]
    children = [
        subprocess.Popen([*flask, "run", "--host", "127.0.0.1", "--port", port]),
        subprocess.Popen([*flask, "jobs", "worker"]),
    ]
    signal.signal(signal.SIGINT, lambda *_: None)  # the children stop; we wait for them
    signal.signal(signal.SIGTERM, lambda *_: _stop(children))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        _stop(children)
    return max(child.returncode or 0 for child in children)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    for child in children:
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
