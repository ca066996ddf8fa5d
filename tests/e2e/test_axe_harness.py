"""The accessibility check itself: it must fail on a page that breaks a rule, however
many times the same document is checked (axe-core is put into a document only once)."""

from __future__ import annotations

from typing import Any

import pytest

BROKEN = """<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="data:," width="10" height="10">
<p><a href="#x"></a></p></main></body></html>"""


def test_a_page_that_breaks_rules_fails_the_check_every_time(
        page: Any, assert_accessible: Any) -> None:
    page.goto("/")  # a real page first: axe is put into this document, then a new one
    page.set_content(BROKEN)
    for _ in range(2):
        with pytest.raises(pytest.fail.Exception) as failure:
            assert_accessible(page)
        message = str(failure.value)
        assert "image-alt" in message
        assert "link-name" in message
    page.goto("/")  # and back on a page that passes, which the harness checks as usual
