"""Links that leave the site (emails, join links to copy): always on the canonical address.

They are built from the EXTERNAL_URL setting, never from the Host header of the request
that caused them, so nobody can make the service email a link to another host, and a
job with no request at all builds the same link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The full address of ``endpoint`` on the service's canonical URL."""
    base = urlsplit(current_app.config["EXTERNAL_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
