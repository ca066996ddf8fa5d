"""The accessibility check itself: it fails on a page that breaks rules, the first time
(axe-core put into the document) and again (axe-core already there), and passes once
the page is put right, so it never reports an earlier run's results. A document that
passed is not checked again while it stays the same, so a change after a pass must be
caught. The layout checks find a page too wide for a phone with the largest text."""

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


# Fits a phone, but not with the largest text a reader can choose: a box that grows with
# the text size and is kept from wrapping.
TOO_WIDE_AT_THE_LARGEST_TEXT = """<!DOCTYPE html><html lang="en-GB"><head>
<title>Largest text</title><style>
  html[data-reading-text-size="largest"] #label { font-size: 64px; }
  #label { display: inline-block; white-space: nowrap; font-size: 16px; }
</style></head><body><main><h1>Largest text</h1>
<p id="label">Seventeen letters</p></main></body></html>"""


def test_a_page_too_wide_for_a_phone_at_the_largest_text_fails_and_is_put_back(
        page: Any) -> None:
    path = "/harness/too-wide-at-the-largest-text"
    page.route(f"**{path}", lambda route: route.fulfill(
        body=TOO_WIDE_AT_THE_LARGEST_TEXT, content_type="text/html"))
    with pytest.raises(pytest.fail.Exception) as failure:
        page.goto(path)  # checked as it loads
    assert f"{path} at 320 px with the largest text is " in str(failure.value)
    assert "wider than the window; widest: <p#label>" in str(failure.value)
    assert page.viewport_size == {"width": 1280, "height": 900}
    assert page.evaluate("() => document.documentElement.dataset.readingTextSize") is None
