"""Browser-test harness: a live server, the system Chromium, and axe on every page.

Every test in this folder is marked ``e2e`` (``pytest -m "not e2e"`` leaves them out).

The application runs in a background thread (``werkzeug.serving.make_server`` on a
free port of 127.0.0.1) with its own SQLite file built by the Alembic migrations,
the in-memory mail backend and CSRF protection on, exactly as a browser meets it.
The browser refuses requests for any other host (the NHS font CDN, for example:
``OFF_SITE_PROXY``), so the tests never depend on the internet.

Accessibility: every page a test visits is checked with axe
-----------------------------------------------------------
``assert_accessible(page)`` runs axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) on
the current document and fails listing each violation. It is applied
automatically, in three layers, so a test cannot visit a page without axe
checking it:

1. ``page.goto``, ``page.reload``, ``page.go_back`` and ``page.go_forward`` are
   wrapped on the ``page`` fixture: each runs axe once the new document has loaded.
2. Navigations caused by an action (a click, a key press, a form submission) are
   written inside ``with navigates(page):``, which waits for the new document's
   ``load`` event and then runs axe on it::

       with navigates(page):
           page.get_by_role("button", name="Sign in").click()

3. A safety net catches whatever the first two miss. A ``load`` listener records
   every document the page loads. Each axe run marks the documents loaded so far
   as covered; if an earlier document was loaded and left without a check (say,
   a click that navigated outside ``navigates``), the next check fails and names
   it. When the test ends, the page it is on is checked if it was not already,
   and any document left unchecked fails the test at teardown. (Not re-checked
   when the test itself already failed, so the report shows the first problem.)

Reflow and resized text (WCAG 2.2 1.4.10, 1.4.4, 1.4.12): each of those checks also
lays the document out 1280 px wide with text at 200 %, then 320 px wide with a reader's
wider line, letter, word and paragraph spacing and without it, and fails if it is wider
than the window (naming the widest elements) or, with that spacing, if a box cuts off
its text. Tables must reflow or scroll inside themselves. The page is then put back
as it was.

A document identical to one that passed every check earlier in the run (the same markup
but for its CSRF token, in a window of the same size) is not checked again.

Colour schemes (issue 19): the first time a kind of page is checked (its path, with ids
as ``<id>``), it is checked again in each colour scheme the reading preferences offer,
with the largest text size: the document's ``data-reading-*`` attributes are switched
as the server would draw them, axe's colour rules run, and the page is laid out 320 px
wide. Worksheet steps share one template: their colours are checked once per set of
field types on the page, their layout at the largest text on every step.
``tests/e2e/test_states_in_every_scheme.py`` sets the schemes through the
preferences themselves, for the states a page passes through.

A module whose tests need the lists every test writes to (the coaching queue) to start
empty runs on a database of its own: it overrides ``live_app`` and ``live_url`` with
``module_live_app`` and ``module_live_url`` (in a ``--stack`` run, still the stack's).

Tests reach these helpers as fixtures (``assert_accessible``, ``navigates``,
``create_account``, ``save_screenshot``), so no test imports this module.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import logging_preserved
from tests.factories import DEFAULT_PASSWORD, make_account

E2E_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = E2E_DIR.parent.parent
SCREENSHOTS_DIR = PROJECT_ROOT / "docs" / "screenshots"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Nothing from the internet (fonts, trackers) may load: every request for another host
# goes to a proxy on a port where nothing listens, and fails at once. Loopback, where
# the live server and the stack listen, goes direct. A route on each context would do it
# too, but Playwright turns the HTTP cache off while routing, and every page then
# fetched and parsed the stylesheets and scripts afresh: about a sixth of the CPU a page
# load took.
OFF_SITE_PROXY = {"server": "http://127.0.0.1:1", "bypass": "127.0.0.1,localhost"}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    # Only violations carry the node details we report; skipping the rest is faster.
    "resultTypes": ["violations"],
}

# Checked again in each scheme (see the module docstring): the rules a page's colours
# decide, which are the ones a scheme can break.
SCHEMES = ("cream", "blue", "dark")
SCHEME_AXE_OPTIONS = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}

# Environment variables that would change how the app under test behaves; they are
# hidden while the app reads its configuration, so a developer's shell cannot make
# the browser tests pass or fail (a secure-only cookie is never sent over http://).
_HIDDEN_FROM_APP = (
    "DATABASE_URL",
    "FLASK_DEBUG",
    "SESSION_COOKIE_SECURE",
    "PROXY_FIX_X_FOR",
    "PROXY_FIX_X_PROTO",
    "REDIS_URL",
    "SECRET_KEY",
    "MAIL_BACKEND",
)



# --------------------------------------------------------------------------- marker


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder (and below) ``e2e``; leave out the tests marked
    ``stack`` unless the run is against the production-shaped stack (``--stack``), and
    those marked ``in_process_server`` when it is.

    They are deselected rather than skipped: a run under CI must skip nothing.
    """
    in_stack_run = config.getoption("--stack")
    kept, left_out = [], []
    for item in items:
        if E2E_DIR == item.path.parent or E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("stack") and not in_stack_run:
            left_out.append(item)
        elif item.get_closest_marker("in_process_server") and in_stack_run:
            left_out.append(item)  # it changes the server from inside the test
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
    # Checks over what the whole run did (the POST routes reached) go last.
    items[:] = sorted(kept, key=lambda item: bool(item.get_closest_marker("after_all_journeys")))


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Remember whether the test body failed, for the ``page`` fixture's final check."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


# ----------------------------------------------------------------------- live server


@contextlib.contextmanager
def _app_environment() -> Iterator[None]:
    """APP_ENV=test while the app reads its settings; the shell's own values restored after."""
    names = ("APP_ENV", *_HIDDEN_FROM_APP)
    saved = {name: os.environ.get(name) for name in names}
    for name in _HIDDEN_FROM_APP:
        os.environ.pop(name, None)
    os.environ["APP_ENV"] = "test"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _stack_run(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--stack"))


@pytest.fixture(scope="session")
def prod_stack(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The production-shaped stack (deploy/prod_like.py): nginx with TLS in front of two
    gunicorn instances in APP_ENV=production, on PostgreSQL and Redis, with an SMTP sink.

    Only in a ``--stack`` run. A missing part is a skip locally and a failure under CI.
    """
    if not _stack_run(request):
        pytest.fail("prod_stack is only available with --stack", pytrace=False)
    from deploy.prod_like import DEFAULT_REDIS_URL, ProdLikeStack, missing_parts

    missing = missing_parts()
    if missing:
        message = f"the production-shaped stack needs {', '.join(missing)}"
        if os.environ.get("CI", ""):
            pytest.fail(f"{message} (CI is set: it must run, never skip)", pytrace=False)
        pytest.skip(message)
    stack = ProdLikeStack(
        postgres_admin_url=os.environ.get("STACK_POSTGRES_URL", "").strip()
        or "postgresql://postgres@127.0.0.1:5432/postgres",
        # A Redis database of its own (flushed at start), as with `make prod-like`.
        redis_url=os.environ.get("STACK_REDIS_URL", "").strip() or DEFAULT_REDIS_URL,
    )
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        kept_logs = os.environ.get("STACK_KEEP_LOGS", "").strip()
        if kept_logs:  # .ci/run keeps them with the results
            stack.keep_logs(Path(kept_logs))
        stack.remove_files()


@contextlib.contextmanager
def _test_app(database_url: str, secret_key: str, *, migrate: bool) -> Iterator[Any]:
    """The application on ``database_url`` with the in-memory mail backend; ``migrate``
    builds the database with the migrations first."""
    import flask_migrate

    from careers_app import create_app
    from careers_app.extensions import db

    with _app_environment():
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_BACKEND": "memory",
                          "SECRET_KEY": secret_key})
    if migrate:
        with logging_preserved(), app.app_context():
            flask_migrate.upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@contextlib.contextmanager
def _served(app: Any) -> Iterator[str]:
    """Serve ``app`` from a background thread; yield its base URL (no trailing slash)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def _app_on(request: pytest.FixtureRequest, folder: Path) -> Iterator[Any]:
    """A migrated SQLite database in ``folder``, or in a ``--stack`` run an application
    object on the stack's PostgreSQL database (the stack's own instances serve the
    browser; tests use it to arrange data)."""
    if _stack_run(request):
        # The stack's database, built by the stack; its secret key, so cookies and
        # tokens made here are good there.
        stack = request.getfixturevalue("prod_stack")
        with _test_app(stack.database_url, stack.secret_key, migrate=False) as app:
            yield app
        return
    database = folder / "careers.sqlite3"
    secret_key = "e2e-" + secrets.token_urlsafe(30)  # 40 random characters
    with _test_app(f"sqlite:///{database}", secret_key, migrate=True) as app:
        yield app


@contextlib.contextmanager
def _url_of(app: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL (no trailing slash) of ``app`` served from a background thread, or of
    the stack's nginx over HTTPS in a ``--stack`` run."""
    if _stack_run(request):
        yield request.getfixturevalue("prod_stack").url
        return
    with _served(app) as url:
        yield url


@pytest.fixture(scope="session")
def live_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The application the live server runs, on its own migrated SQLite database."""
    with _app_on(request, tmp_path_factory.mktemp("e2e-database")) as app:
        yield app


@pytest.fixture(scope="session")
def live_url(live_app, request: pytest.FixtureRequest) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with _url_of(live_app, request) as url:
        yield url


@pytest.fixture(scope="module")
def module_live_app(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Like ``live_app``, on a database of the module's own: a module whose tests need
    lists that every test writes to (the coaching queue) to start empty overrides
    ``live_app`` and ``live_url`` with ``module_live_app`` and ``module_live_url``.
    A ``--stack`` run has one database: there it is the stack's, shared as ever."""
    with _app_on(request, tmp_path_factory.mktemp("e2e-module-database")) as app:
        yield app


@pytest.fixture(scope="module")
def module_live_url(module_live_app, request: pytest.FixtureRequest) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with _url_of(module_live_app, request) as url:
        yield url


# --------------------------------------------------------------------------- browser


def _chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "").strip() or DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """The system Chromium, headless. Missing: a skip locally, a failure under CI."""
    path = _chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = (
            f"Chromium not found at {path}: install it with "
            "`sudo apt-get install chromium` to run the browser tests"
        )
        if os.environ.get("CI", ""):
            pytest.fail(f"{message} (CI is set: browser tests must run, never skip)",
                        pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True, proxy=OFF_SITE_PROXY
        )
    except BaseException:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


# --------------------------------------------------------------------- accessibility


class _Visits:
    """Documents a page has loaded, and how many of them axe has checked."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.checked = 0

    def on_load(self, page: Any) -> None:
        # Called synchronously by Playwright when the main frame fires "load"; it
        # only records, so it never races the test for the page.
        self.loaded.append(page.url)

    def unchecked(self) -> list[str]:
        return self.loaded[self.checked :]

    def mark_all_checked(self) -> list[str]:
        """Cover every document loaded so far; return those loaded before the current
        one that were never checked."""
        skipped = self.loaded[self.checked : -1]
        self.checked = len(self.loaded)
        return skipped


_visits: weakref.WeakKeyDictionary[Any, _Visits] = weakref.WeakKeyDictionary()


@functools.cache
def _axe_source() -> str:
    """axe-core's script, as axe-playwright-python ships it (pinned in the lock)."""
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


def run_axe(page: Any, options: dict[str, Any]) -> dict[str, Any]:
    """axe's results for the page's current document.

    axe-core is put into a document once: a page is checked up to four times (WCAG rules,
    then colours in each scheme), and sending and compiling its half a megabyte of script
    each time was about a fifth of each run (134 against 108 ms a run)."""
    if not page.evaluate("() => window.axe !== undefined && window.axe === window.testsAxe"):
        # Marked as ours: a page's own global named axe is never taken for axe-core.
        page.evaluate(_axe_source())
        page.evaluate("() => { window.testsAxe = window.axe; }")
    # Only what is reported crosses back: the passing and inapplicable rules would be
    # serialised for nothing.
    results: dict[str, Any] = page.evaluate(
        """(options) => axe.run(document, options).then((results) => ({
             violations: results.violations, testEngine: results.testEngine }))""",
        options)
    return results


def _first_targets(node_list: list[dict[str, Any]], limit: int = 3) -> str:
    selectors = []
    for node in node_list[:limit]:
        target = node.get("target") or ["?"]
        selectors.append(" >>> ".join(" ".join(t) if isinstance(t, list) else t for t in target))
    more = len(node_list) - limit
    return ", ".join(selectors) + (f" (+{more} more)" if more > 0 else "")


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}] {violation['help']}: "
            f"{_first_targets(violation['nodes'])}\n  {violation.get('helpUrl', '')}"
        )
    return "\n".join(lines)


# Documents every check passed this run, by what the checks' results depend on: the
# markup as it stands (attributes the page's scripts set included), less the per-session
# CSRF tokens, and the window's size; the stylesheets are the same all run. About one
# check in eight is of a document already checked (a sign-in page, an empty dashboard).
_documents_passed: set[str] = set()
_DOCUMENT_MARKUP = """() => { const copy = document.documentElement.cloneNode(true);
  for (const token of copy.querySelectorAll('input[name="csrf_token"]')) token.value = "";
  return copy.outerHTML; }"""


def _document_key(page: Any) -> str:
    markup = page.evaluate(_DOCUMENT_MARKUP)
    return hashlib.sha256(f"{page.viewport_size}\n{markup}".encode()).hexdigest()


def assert_accessible(page: Any) -> None:
    """Run axe on the page's current document; fail listing each violation.

    Also fails when a document loaded earlier in this page was never checked.
    """
    page.wait_for_load_state("load")
    visits = _visits.get(page)
    skipped = visits.mark_all_checked() if visits is not None else []
    document = _document_key(page)
    if document in _documents_passed and not skipped:
        return
    results = run_axe(page, AXE_OPTIONS)
    violations = results["violations"]
    problems = []
    if violations:
        problems.append(
            f"axe found {len(violations)} accessibility violation(s) on {page.url} "
            f"(axe-core {results.get('testEngine', {}).get('version', '?')}, "
            f"tags {', '.join(AXE_TAGS)}):\n{describe_violations(violations)}"
        )
    problems += _reflow_problems(page)
    problems += _scheme_problems(page)
    if skipped:
        problems.append(
            "these pages loaded without an accessibility check (navigate with "
            "page.goto or inside `with navigates(page):`):\n"
            + "\n".join(f"- {url}" for url in skipped)
        )
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
    _documents_passed.add(document)


# WCAG 2.2 1.4.10 (reflow): content fits 320 CSS px (a 1280 px window zoomed to 400 %).
PHONE_WIDTH = 320
# 1.4.4 (resize text): text at 200 % on a desktop-width window loses nothing.
DESKTOP_WIDTH = 1280
# 1.4.12 (text spacing): the spacing a reader may impose must not clip or overlap text.
TEXT_SPACING_CSS = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""
# Up to ten frames, so resize handlers (the header's menu) have had their turn.
_FITS_SCRIPT = """async () => {
  for (let frame = 0; frame < 10; frame++) {
    await new Promise((done) => requestAnimationFrame(done));
    if (document.documentElement.scrollWidth <= window.innerWidth) return true;
  }
  return false;
}"""
# The outermost elements whose right edge passes the viewport, not counting those
# inside a box that clips or scrolls them (a responsive table's scroll area).
_OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth, found = [];
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + classes.filter(Boolean).map((c) => "." + c).join("");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right + window.scrollX;
    if (right <= width + 0.5 || clipped(el) || found.some((f) => f.el.contains(el))) continue;
    found.push({el, over: Math.ceil(right - width)});
  }
  found.sort((a, b) => b.over - a.over);
  const widest = found.slice(0, 3).map((f) => `<${name(f.el)}> +${f.over} px`);
  return {scroll: document.documentElement.scrollWidth, width, widest};
}"""
# Text the page hides by clipping: a visible box that cuts off its own text (not the
# visually hidden text for screen readers, which is meant to be clipped).
_CLIPPED_TEXT_SCRIPT = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.overflow === "visible" || el.closest(".nhsuk-u-visually-hidden")) continue;
    if (el.clientWidth < 2 || el.clientHeight < 2 || !el.textContent.trim()) continue;
    if (style.overflowY === "hidden" && el.scrollHeight > el.clientHeight + 1
        || style.overflowX === "hidden" && el.scrollWidth > el.clientWidth + 1) {
      found.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim()
        .split(/\\s+/).join(".") : ""));
    }
  }
  return found.slice(0, 3);
}"""


_ADD_TEXT_SPACING = """(css) => { const style = document.createElement("style");
  style.id = "wcag-text-spacing"; style.textContent = css; document.head.append(style); }"""


# What has been checked this run: kinds of page (path with ids as <id>) laid out 320 px
# wide at the largest text, and (shape, scheme) pairs checked for colours.
_largest_text_checked: set[str] = set()
_schemes_checked: set[tuple[str, str]] = set()
_READING_STATE = """() => { const d = document.documentElement.dataset;
  return [d.readingColours ?? null, d.readingTextSize ?? null]; }"""
_SET_READING = """([colours, size]) => { const d = document.documentElement.dataset;
  if (colours === null) delete d.readingColours; else d.readingColours = colours;
  if (size === null) delete d.readingTextSize; else d.readingTextSize = size; }"""
_FIELD_TYPES = """() => [...new Set([...document.querySelectorAll("[data-field-type]")]
  .map((field) => field.dataset.fieldType))].sort().join(",")"""
_STEP_PATH = re.compile(r"/modules/[^/]+/steps/[^/]+$")


def _page_kind(url: str) -> str:
    parts = urlsplit(url)
    return parts.scheme + ":" + re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)


def _colour_shape(page: Any, kind: str) -> str:
    """What decides a page's colours: its kind, except that the 140 worksheet steps are
    one template whose colours come from the field types on it, not from the module's
    words (which the layout checks still see on every step)."""
    if _STEP_PATH.search(kind):
        return _STEP_PATH.sub("/modules/*/steps/*", kind) + "?fields=" + page.evaluate(
            _FIELD_TYPES)
    return kind


def _scheme_problems(page: Any) -> list[str]:
    """The first time a kind of page is checked, laid out 320 px wide with the largest
    text; the first time a shape of page is checked (see _colour_shape), axe's colour
    rules in each scheme with the largest text. Put back as it was after."""
    kind = _page_kind(page.url)
    if page.viewport_size is None:
        return []
    shape = _colour_shape(page, kind)
    todo = [scheme for scheme in SCHEMES if (shape, scheme) not in _schemes_checked]
    if not todo and kind in _largest_text_checked:
        return []
    _schemes_checked.update((shape, scheme) for scheme in todo)
    before = page.evaluate(_READING_STATE)
    problems = []
    try:
        for scheme in todo:
            page.evaluate(_SET_READING, [scheme, "largest"])
            violations = run_axe(page, SCHEME_AXE_OPTIONS)["violations"]
            if violations:
                problems.append(f"axe found {len(violations)} violation(s) on {page.url} in "
                                f"the {scheme} colour scheme with the largest text:\n"
                                + describe_violations(violations))
        if kind not in _largest_text_checked:
            _largest_text_checked.add(kind)
            page.evaluate(_SET_READING, [before[0], "largest"])
            problems.append(_too_wide(page, PHONE_WIDTH, f"at {PHONE_WIDTH} px with the "
                                                         "largest text"))
    finally:
        page.evaluate(_SET_READING, before)
    return [problem for problem in problems if problem]


def _too_wide(page: Any, width: int, what: str) -> str | None:
    """Lay the document out ``width`` px wide and say how far it passes the viewport."""
    size = page.viewport_size
    if size["width"] != width:
        page.set_viewport_size({"width": width, "height": size["height"]})
    try:
        fits = page.evaluate(_FITS_SCRIPT)
        measured = None if fits else page.evaluate(_OVERFLOW_SCRIPT)
    finally:
        if size["width"] != width:
            page.set_viewport_size(size)
    if measured is None or measured["scroll"] <= measured["width"]:
        return None
    return (f"{page.url} {what} is {measured['scroll'] - measured['width']} px wider than "
            f"the window; widest: {', '.join(measured['widest']) or '?'}")


def _reflow_problems(page: Any) -> list[str]:
    """Tables and long words must reflow or scroll inside themselves, never widen the
    page: at 320 px, with text at 200 % on a desktop window, and with a reader's text
    spacing. The page is put back as it was, so the test goes on at its own size.

    The window is narrowed once for both 320 px checks: each resize lays the document
    out again, and resizing twice instead of four times took a quarter off these checks."""
    size = page.viewport_size
    if size is None:
        return []
    problems = []
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    try:
        problems.append(_too_wide(page, DESKTOP_WIDTH, "with text at 200 %"))
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")
    page.evaluate(_ADD_TEXT_SPACING, TEXT_SPACING_CSS)
    try:
        clipped = page.evaluate(_CLIPPED_TEXT_SCRIPT)
        if clipped:
            problems.append(f"{page.url} with wider text spacing cuts off text in: "
                            + ", ".join(clipped))
        if size["width"] != PHONE_WIDTH:
            page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        problems.append(_too_wide(page, PHONE_WIDTH, "with wider text spacing"))
    finally:
        page.evaluate("document.getElementById('wcag-text-spacing').remove()")
    try:
        problems.append(_too_wide(page, PHONE_WIDTH, f"at {PHONE_WIDTH} px"))
    finally:
        if size["width"] != PHONE_WIDTH:
            page.set_viewport_size(size)
    return [problem for problem in problems if problem]


@contextlib.contextmanager
def navigates(page: Any, timeout: float | None = None) -> Iterator[None]:
    """Wrap an action that loads a new document; axe checks that document."""
    with page.expect_event("load", timeout=timeout):
        yield
    assert_accessible(page)


def _checked_navigation(page: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def navigate_then_check(*args: Any, **kwargs: Any) -> Any:
        response = method(*args, **kwargs)
        assert_accessible(page)
        return response

    return navigate_then_check


def _track(page: Any) -> None:
    """Record the page's loads and make its own navigation methods run axe."""
    visits = _Visits()
    _visits[page] = visits
    page.on("load", visits.on_load)
    for name in ("goto", "reload", "go_back", "go_forward"):
        setattr(page, name, _checked_navigation(page, getattr(page, name)))


@pytest.fixture
def page(browser, live_url: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh browser context and page; relative URLs resolve against ``live_url``.

    Every page the test visits is checked with axe (see the module docstring). In a
    ``--stack`` run the browser accepts the stack's certificate, generated at start-up.
    """
    context = browser.new_context(
        base_url=live_url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        ignore_https_errors=_stack_run(request),
    )
    # Playwright's own default. The waits are there to end a hang, not to time the app:
    # with the browser tests and the rest of the suite sharing two busy cores, a page's
    # load event once came after the 10 s this was before.
    context.set_default_timeout(30_000)
    context.on("page", _track)  # pop-ups, if any, are checked too
    browser_page = context.new_page()
    if browser_page not in _visits:
        _track(browser_page)
    try:
        yield browser_page
        if not request.node.stash.get(_CALL_FAILED, False):
            for open_page in context.pages:
                visits = _visits.get(open_page)
                if visits is not None and visits.unchecked():
                    assert_accessible(open_page)
    finally:
        context.close()


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[[Any], None]:
    """``assert_accessible(page)``: run axe now (for a change without navigation)."""
    return assert_accessible


@pytest.fixture(name="navigates")
def navigates_fixture() -> Callable[..., contextlib.AbstractContextManager[None]]:
    """``with navigates(page): <action>``: wait for the new document, then run axe."""
    return navigates


# ------------------------------------------------------------------ accounts, files


@dataclass(frozen=True)
class Account:
    full_name: str
    email: str
    password: str


@pytest.fixture
def create_account(live_app) -> Callable[..., Account]:  # type: ignore[no-untyped-def]
    """Create an account straight in the live app's database (no browser involved).

    ``create_account(full_name="...", roles=(Role.COACH,))``; the email is unique
    per call unless given.
    """
    def create(
        full_name: str = "Alex Trainee",
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        roles: tuple[Any, ...] = (),
    ) -> Account:
        email = email or f"e2e-{uuid.uuid4().hex[:12]}@example.org"
        with live_app.app_context():
            make_account(email, full_name=full_name, password=password, roles=tuple(roles))
        return Account(full_name=full_name, email=email, password=password)

    return create


def _wait_until_sent(live_app: Any, address: str, seconds: float = 30.0) -> None:
    """In the stack a worker sends email after the request: wait until every email in
    the outbox for ``address`` has left it (sent, or parked after its last attempt)."""
    import sqlalchemy as sa

    from careers_app.extensions import db
    from careers_app.outbox.models import EmailStatus, OutboxEmail

    deadline = time.monotonic() + seconds
    with live_app.app_context():
        waiting = sa.select(sa.func.count()).select_from(OutboxEmail).where(
            OutboxEmail.recipient == address,
            OutboxEmail.status.in_((EmailStatus.PENDING, EmailStatus.SENDING)))
        while db.session.execute(waiting).scalar_one():
            db.session.rollback()  # a fresh snapshot for the next look
            if time.monotonic() > deadline:
                raise AssertionError(f"email to {address} still unsent after {seconds} s")
            time.sleep(0.2)
        db.session.rollback()


@pytest.fixture
def emails_to(live_app, request: pytest.FixtureRequest) -> Callable[[str], list[Any]]:  # type: ignore[no-untyped-def]
    """``emails_to(address)``: the messages sent to ``address`` so far, oldest first, as
    the recipient reads them: from the live app's memory backend, or in a ``--stack``
    run from the SMTP sink the production instances sent them to."""

    def sent(address: str) -> list[Any]:
        if _stack_run(request):
            _wait_until_sent(live_app, address)
            messages = request.getfixturevalue("prod_stack").messages()
        else:
            from careers_app.mail import outbox

            with live_app.app_context():
                messages = list(outbox())
        return [message for message in messages if message["To"] == address]

    return sent


@pytest.fixture
def save_screenshot() -> Callable[[Any, str], Path | None]:
    """``save_screenshot(page, "home.png")``: a full-page screenshot into
    docs/screenshots/, only when SCREENSHOTS=1 (normal runs leave the files alone)."""

    def save(page: Any, filename: str) -> Path | None:
        if os.environ.get("SCREENSHOTS", "") != "1":
            return None
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS_DIR / filename
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
