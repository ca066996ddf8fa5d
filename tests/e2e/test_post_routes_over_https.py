"""Every POST route of the app was reached over HTTPS, through nginx, and accepted.

Runs after every other browser test of a ``--stack`` run (see conftest.py) and reads
nginx's access log: each POST route must have been answered below 400 at least once
(a form accepted, a redirect after saving), or be listed below with the reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from werkzeug.exceptions import HTTPException

pytestmark = [pytest.mark.stack, pytest.mark.after_all_journeys]

# Routes no HTTPS test posts to, each with the reason. Keep this list short and honest.
NOT_POSTED_OVER_HTTPS: dict[str, str] = {}

LOG_LINE = re.compile(r'^\S+ \S+ (?P<method>[A-Z]+) "(?P<uri>[^"]*)" (?P<status>\d{3}) ')


def post_routes(app: Any) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}


def accepted_posts(app: Any, access_log: str) -> dict[str, int]:
    """{endpoint: number of POSTs answered below 400} from nginx's access log."""
    adapter = app.url_map.bind("localhost", url_scheme="https")
    accepted: dict[str, int] = {}
    for line in access_log.splitlines():
        match = LOG_LINE.match(line)
        if not match or match["method"] != "POST" or int(match["status"]) >= 400:
            continue
        try:
            endpoint, _arguments = adapter.match(match["uri"], method="POST")
        except HTTPException:
            continue
        accepted[endpoint] = accepted.get(endpoint, 0) + 1
    return accepted


def test_every_post_route_was_reached_over_https(prod_stack, live_app):
    accepted = accepted_posts(live_app, prod_stack.access_log.read_text())
    missing = sorted(post_routes(live_app) - set(accepted) - set(NOT_POSTED_OVER_HTTPS))
    assert not missing, (
        "POST routes no browser test reached over HTTPS (or only with refusals): "
        + ", ".join(missing)
    )
    stale = sorted(set(NOT_POSTED_OVER_HTTPS) - post_routes(live_app))
    assert not stale, f"listed as not posted but no longer routes: {stale}"


def test_no_token_from_an_emailed_link_reached_nginxs_log(prod_stack):
    """The journeys above followed reset and confirmation links; nginx logged neither token."""
    paths = [match["uri"] for match in map(LOG_LINE.match,
                                            prod_stack.access_log.read_text().splitlines())
             if match]
    followed = [path for path in paths if path.startswith(("/account/confirm/",
                                                           "/account/reset-password/"))]
    assert followed, "no journey followed an emailed link"
    assert set(followed) <= {"/account/confirm/<token>", "/account/reset-password/<token>"}
    assert not any("?" in path for path in paths)
