"""How long a password-reset request takes, for an address with an account and without.

Runs the app in this process as production does: the request writes the email to the
outbox and enqueues a job (a SQLite queue here; no worker runs, so no SMTP happens, as
in a production request). It posts the reset form REQUESTS times for each case,
alternating, and prints the median and 90th percentile of each and their difference:

    .venv/bin/python bench/reset_timing.py [--requests 50] [--database-url URL]

Every request uses a new email address and client address, so the throttles (3
requests an hour per email) never answer instead of the view. The database is a
temporary SQLite file unless --database-url names an empty PostgreSQL database (its
tables are created and dropped); nothing leaves the machine. The target: medians within
10 % of each other.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["APP_ENV"] = "test"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careers_app import create_app  # noqa: E402
from careers_app.accounts.models import User  # noqa: E402
from careers_app.extensions import db  # noqa: E402
from careers_app.outbox.models import OutboxEmail  # noqa: E402


def summary(times: list[float]) -> tuple[float, float]:
    """(median, 90th percentile) in milliseconds."""
    milliseconds = [t * 1000 for t in times]
    return statistics.median(milliseconds), statistics.quantiles(milliseconds, n=10)[8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", help="an empty database (default: SQLite file)")
    arguments = parser.parse_args()
    count = arguments.requests

    folder = tempfile.mkdtemp(prefix="reset-timing-")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": arguments.database_url or f"sqlite:///{folder}/bench.sqlite3",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "smtp",
        "QUEUE_IMMEDIATE": False,
        "QUEUE_URL": f"sqlite:///{folder}/jobs.sqlite3",
    })
    with app.app_context():
        db.create_all()
        # The reset view never checks the password, so a placeholder hash will do.
        db.session.add_all(User(email=f"known{n}@example.org", full_name=f"Person {n}",
                                password_hash=f"placeholder-hash-{n:020d}",
                                professional_group="doctor_dentist", region="london",
                                training_stage="core")
                           for n in range(count + 5))
        db.session.commit()

    client = app.test_client()

    def timed(email: str, number: int) -> float:
        started = time.perf_counter()
        response = client.post("/account/reset-password", data={"email": email},
                               environ_base={"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250}"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    for n in range(5):  # warm up: templates compiled, connections opened
        timed(f"known{count + n}@example.org", 1000 + n)
        timed(f"warm{n}@example.org", 2000 + n)
    existing, missing = [], []
    for n in range(count):
        existing.append(timed(f"known{n}@example.org", n))
        missing.append(timed(f"nobody{n}@example.org", 5000 + n))
    with app.app_context():
        written = db.session.query(OutboxEmail).count()
        db.session.remove()
        if arguments.database_url:
            db.drop_all()

    (known_median, known_p90), (none_median, none_p90) = summary(existing), summary(missing)
    print(f"{count} requests each, {written} emails written to the outbox and enqueued")
    print(f"{'':22}{'median ms':>10}{'p90 ms':>10}")
    print(f"{'address with account':22}{known_median:10.2f}{known_p90:10.2f}")
    print(f"{'address without':22}{none_median:10.2f}{none_p90:10.2f}")
    print(f"{'difference':22}{known_median - none_median:10.2f}{known_p90 - none_p90:10.2f}")
    gap = abs(known_median - none_median) / none_median * 100
    print(f"medians differ by {gap:.1f} % (target: under 10 %)")


if __name__ == "__main__":
    main()
