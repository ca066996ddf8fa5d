"""The browser loads nothing from the internet: a request for any other host, named or
given as an address, is refused by the browser itself, while the live server (or the
stack, on localhost) is reached directly."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

OFF_SITE = (
    "https://assets.nhs.uk/fonts/FrutigerLTW01-55Roman.woff2",  # the NHS font CDN
    "http://192.0.2.1/",  # an address, with no name to look up (TEST-NET-1)
)


def test_other_hosts_are_refused_and_the_live_server_is_reached(
        browser: Any, live_url: str, request: pytest.FixtureRequest) -> None:
    context = browser.new_context(ignore_https_errors=request.config.getoption("--stack"))
    try:
        # A page each: a refused navigation leaves the browser's error page loading.
        for url in OFF_SITE:
            with pytest.raises(PlaywrightError, match="ERR_PROXY_CONNECTION_FAILED"):
                context.new_page().goto(url, timeout=5_000)
        stylesheet = context.new_page().goto(f"{live_url}/static/css/app.css")
        assert stylesheet is not None and stylesheet.ok
        assert "text/css" in stylesheet.headers["content-type"]
    finally:
        context.close()
