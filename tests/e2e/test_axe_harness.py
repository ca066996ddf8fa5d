"""The accessibility check itself: it fails on a page that breaks rules, the first time
(axe-core put into the document) and again (axe-core already there), and passes once
the page is put right, so it never reports an earlier run's results. A document that
passed is not checked again while it stays the same, so a change after a pass must be
caught."""

from __future__ import annotations

from typing import Any

import pytest

BROKEN = """<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img id="picture" src="data:," width="10" height="10">
<p><a id="link" href="#x"></a></p></main></body></html>"""
PUT_RIGHT = """() => { document.getElementById("picture").alt = "A blank square";
  document.getElementById("link").textContent = "Somewhere on this page"; }"""


def test_a_page_that_breaks_rules_fails_the_check_until_it_is_put_right(
        page: Any, assert_accessible: Any) -> None:
    page.set_content(BROKEN)  # a new page: axe-core is not in it yet
    assert page.evaluate("() => typeof window.axe") == "undefined"
    for _ in range(2):
        with pytest.raises(pytest.fail.Exception) as failure:
            assert_accessible(page)
        message = str(failure.value)
        assert "image-alt" in message
        assert "link-name" in message
    page.evaluate(PUT_RIGHT)
    assert_accessible(page)


def test_a_page_that_passed_is_checked_again_once_it_changes(
        page: Any, assert_accessible: Any) -> None:
    page.set_content(BROKEN)
    page.evaluate(PUT_RIGHT)
    assert_accessible(page)
    assert_accessible(page)  # the same document again: still passes
    page.evaluate("() => { document.getElementById('picture').removeAttribute('alt'); }")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    assert "image-alt" in str(failure.value)
