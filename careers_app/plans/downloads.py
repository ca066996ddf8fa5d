"""File downloads with a name built on the server and nothing kept in any cache."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

from careers_app.clock import uk_today
from careers_app.logs import log_event

MEDIA_TYPES = {"pdf": "application/pdf", "ics": "text/calendar; charset=utf-8",
               "csv": "text/csv; charset=utf-8"}
# Every file that leaves the service is logged; the route and ids in the line say whose.
EXPORT_EVENTS = {"pdf": "plan_exported", "ics": "calendar_exported",
                 "csv": "progress_exported"}


def safe_file_name(person: str, what: str, extension: str) -> str:
    """"alex-trainee-action-plan-2026-11-21.pdf": ASCII letters, digits and hyphens only."""
    ascii_name = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    stem = "-".join(part for part in (slug, what, uk_today().isoformat()) if part)
    return f"{stem}.{extension}"


def attachment(body: bytes, person: str, what: str, extension: str) -> Response:
    name = safe_file_name(person, what, extension)
    # content_type, not mimetype: Flask adds "; charset=utf-8" to a text mimetype, and the
    # CSV and calendar files went out with their charset given twice.
    response = Response(body, content_type=MEDIA_TYPES[extension])
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    )
    response.headers["Cache-Control"] = "no-store"
    log_event(EXPORT_EVENTS[extension], what=what, bytes=len(body))
    return response
