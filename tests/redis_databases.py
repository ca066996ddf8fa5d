"""The Redis database each test file may empty, one number per file.

``make test`` runs test files side by side (pytest-xdist), and a file empties its
database before and after its tests, so no two files may share a number. The server is
127.0.0.1:6379, or the one ``TEST_REDIS_URL`` names; its database number is replaced by
the file's own, so a developer's Redis elsewhere still gives each file its own database.
The production-shaped stack of the browser tests uses database 5 (``deploy/prod_like.py``).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DATABASES = {
    "test_queue_worker": 9,
    "test_pdf_worker": 10,
    "test_platform": 11,
    "test_throttling": 12,
    "test_sessions_limits": 14,
    "test_accounts_sign_in": 15,
}


def redis_url(test_file: str) -> str:
    """The Redis URL of ``test_file``'s own database (its module name, without .py)."""
    server = urlsplit(os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(server._replace(path=f"/{DATABASES[test_file]}"))
