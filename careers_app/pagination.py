"""Lists shown a page at a time (NHS.UK pagination: previous and next, "Page n of m").

The views ask ``requested_page()`` which page to show and ``page_count()`` how many
there are; templates draw the links with ``macros/pagination.html``.
"""

from __future__ import annotations

from flask import abort, request

from careers_app.content.fields import small_number

# A page number the list could never reach is a 404 before it becomes an OFFSET that
# overflows the database's integer (a 500 on SQLite and PostgreSQL alike).
MAX_PAGE_DIGITS = 6


def requested_page() -> int:
    """The ``page`` query argument (1 when absent or blank); 404 unless 1 to 999999."""
    page = small_number(request.args.get("page") or "1", MAX_PAGE_DIGITS)
    if page is None or page < 1:
        abort(404)
    return page


def page_count(page: int, total: int, page_size: int) -> int:
    """How many pages ``total`` items fill (at least one, which may be empty); 404 when
    ``page`` is past the last."""
    pages = max((total + page_size - 1) // page_size, 1)
    if page > pages:
        abort(404)
    return pages
