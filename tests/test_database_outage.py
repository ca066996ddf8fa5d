"""The database refused, silent, locked or gone mid-request: every page is a 503 with
Retry-After in the service layout and no stack trace; autosave gets 503 JSON; a form
post that could not be saved shows back what was typed, without logging it."""

from __future__ import annotations

import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from careers_app.extensions import db
from careers_app.security import public
from careers_app.worksheets.models import StepAnswer
from tests.conftest import build_app
from tests.factories import DEFAULT_PASSWORD, make_account
from tests.queue_worker import wait_for

SCAN3 = "scan-3-arriving-at-a-decision"
STEP = f"/modules/{SCAN3}/steps/your-decision"
AUTOSAVE = f"{STEP}/autosave"
SIGNED_IN_PAGES = ["/dashboard", STEP, "/plan/", "/coaching/apply"]
FIRST_CHOICE = "Paediatrics </textarea><script>alert(1)</script> & more"
BACK_UP = "A year in a clinical fellow post,\nthen apply again"
STEP_POST = {"version": "0", "action": "continue", "first-choice": FIRST_CHOICE,
             "back-up-plan": BACK_UP, "csrf_token": "token-value-not-shown"}


class FieldsOnPage(HTMLParser):
    """Labels and read-only text areas, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self.textareas: dict[str, str] = {}
        self.readonly: set[str] = set()
        self._in: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label" and found.get("for"):
            self._in = ("label", found["for"] or "")
        elif tag == "textarea":
            self._in = ("textarea", found.get("id") or "")
            if "readonly" in found:
                self.readonly.add(found.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"label", "textarea"}:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            return
        kind, target = self._in
        store = self.labels if kind == "label" else self.textareas
        store[target] = store.get(target, "") + data

    def shown_back(self) -> dict[str, str]:
        """{label: text} of every read-only text area; the parser keeps the newline
        that browsers drop after <textarea>, so it is dropped here too."""
        return {self.labels[i].strip(): self.textareas.get(i, "").removeprefix("\n")
                for i in self.readonly}


def shown_back(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    parser = FieldsOnPage()
    parser.feed(response.get_data(as_text=True))
    return parser.shown_back()


def assert_outage_page(response) -> None:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sorry, the service is unavailable" in page
    assert 'class="nhsuk-header' in page and "nhsuk-footer" in page  # the service layout
    for leak in ("Traceback", "psycopg", "sqlalchemy", "OperationalError", "sqlite3"):
        assert leak not in page


def assert_outage_json(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response.is_json and response.get_json() == {
        "error": "The service is temporarily unavailable"}
    assert response.headers["Retry-After"] == "30"


def assert_text_shown_back(response) -> None:  # type: ignore[no-untyped-def]
    assert_outage_page(response)
    page = response.get_data(as_text=True)
    assert "Your changes have not been saved" in page
    assert "Try again in a minute" in page
    assert shown_back(response) == {"Your first choice": FIRST_CHOICE,
                                    "Your back-up plan": BACK_UP}
    assert "<script>alert(1)" not in page
    assert "token-value-not-shown" not in page


def assert_nothing_typed_logged(caplog: pytest.LogCaptureFixture) -> None:
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "database unavailable" in logged
    assert "Paediatrics" not in logged and "clinical fellow" not in logged


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def signed_in_cookie(app: Flask, make_user, client: FlaskClient, sign_in) -> str:  # type: ignore[no-untyped-def]
    """The session cookie of a trainee signed in while the database worked."""
    make_user("trainee@example.org")
    sign_in("trainee@example.org")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain="careers.test")
    assert cookie is not None
    return cookie.value


def client_during_outage(app: Flask, cookie: str, database_url: str,
                         **overrides: object) -> FlaskClient:
    """The same service (same secret, so the same session) on a database that fails."""
    outage_app = build_app(database_url, SECRET_KEY=app.config["SECRET_KEY"], **overrides)
    outage_client = outage_app.test_client()
    outage_client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie, domain="careers.test")
    return outage_client


@dataclass
class SilentServer:
    port: int
    accepted: list[socket.socket]


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A port that accepts connections and never says anything, like a hung server; the
    connections it accepted are counted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def accept_forever() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    threading.Thread(target=accept_forever, daemon=True).start()
    yield SilentServer(listener.getsockname()[1], accepted)
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_closed_port_gives_503_pages_json_and_the_typed_text(app, signed_in_cookie, caplog):
    dead = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x"
    outage = client_during_outage(app, signed_in_cookie, dead)
    caplog.set_level(logging.INFO)
    for path in SIGNED_IN_PAGES:
        assert_outage_page(outage.get(path))
    assert_outage_json(outage.post(AUTOSAVE, json={"version": 0,
                                                   "answers": {"first-choice": FIRST_CHOICE}}))
    assert_text_shown_back(outage.post(STEP, data=STEP_POST))
    assert_nothing_typed_logged(caplog)


def test_an_unknown_address_for_a_signed_in_person_is_503_not_a_500(app, signed_in_cookie):
    dead = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x"
    outage = client_during_outage(app, signed_in_cookie, dead)
    # The 404 page asks who is signed in, and that needs the database.
    assert_outage_page(outage.get("/no-such-page"))


def test_a_refused_security_token_during_an_outage_is_503_not_signed_out(app,
                                                                          signed_in_cookie):
    dead = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x"
    outage = client_during_outage(app, signed_in_cookie, dead, WTF_CSRF_ENABLED=True)
    # Who is signed in cannot be known: not "your session has ended", which would send
    # the autosave to the sign-in page.
    assert_outage_json(outage.post(AUTOSAVE, json={"version": 0, "answers": {}},
                                   headers={"X-CSRFToken": "stale"}))
    assert_text_shown_back(outage.post(STEP, data=STEP_POST))


def test_a_refused_sign_in_shows_the_email_back_but_never_the_password():
    outage = build_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    response = outage.test_client().post("/account/sign-in", data={
        "email": "someone@example.org", "password": "the-password-typed-in"})
    assert_outage_page(response)
    assert shown_back(response) == {"Email": "someone@example.org"}
    assert "the-password-typed-in" not in response.get_data(as_text=True)


def test_a_carried_sign_in_during_an_outage_shows_the_text_not_the_bookkeeping():
    outage = build_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    response = outage.test_client().post(
        "/modules/scan-3-arriving-at-a-decision/steps/your-decision",
        headers={"Sec-Fetch-Site": "same-origin"},
        data={"email": "someone@example.org", "password": "the-password-typed-in",
              "carried_target": "/modules/scan-3-arriving-at-a-decision/steps/your-decision",
              "carried_owner": "signed-owner", "carried:reasons": "Nights suit me"})
    assert_outage_page(response)
    shown = shown_back(response)
    assert shown["Email"] == "someone@example.org"
    assert "Nights suit me" in shown.values()
    assert not any("arried" in label for label in shown)
    assert "signed-owner" not in response.get_data(as_text=True)


def test_healthz_answers_503_at_once_when_the_port_is_closed():
    outage = build_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    started = time.monotonic()
    response = outage.test_client().get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}
    assert response.headers["Retry-After"] == "30"


def test_a_server_that_never_answers_costs_seconds_not_a_worker(app, signed_in_cookie,
                                                                silent_server, capsys):
    silent = f"postgresql+psycopg://postgres@127.0.0.1:{silent_server.port}/x"
    outage = client_during_outage(app, signed_in_cookie, silent, DATABASE_CONNECT_TIMEOUT=2)
    timings, connections = {}, {}
    for label, request in [
        ("dashboard", lambda: outage.get("/dashboard")),
        ("step page", lambda: outage.get(STEP)),
        ("autosave", lambda: outage.post(AUTOSAVE, json={"version": 0, "answers": {}})),
        ("step post", lambda: outage.post(STEP, data=STEP_POST)),
        ("healthz", lambda: outage.get("/healthz")),
    ]:
        accepted_before = len(silent_server.accepted)
        started = time.monotonic()
        response = request()
        timings[label] = time.monotonic() - started
        assert response.status_code == 503, label
        assert response.headers["Retry-After"] == "30"
        wait_for(lambda before=accepted_before: len(silent_server.accepted) > before, 5,
                 "the connection")
        connections[label] = len(silent_server.accepted) - accepted_before
    with capsys.disabled():
        print("\nsilent database, seconds to a 503:",
              ", ".join(f"{label} {seconds:.1f}" for label, seconds in timings.items()))
    # One connect timeout each (2 s): nothing in the request asks the database twice. The
    # time has room for a busy machine; the connections counted are the exact check.
    assert connections == dict.fromkeys(timings, 1)
    assert all(seconds < 2 + 5 for seconds in timings.values())


def test_waiting_for_a_pooled_connection_is_bounded_and_gives_503(database_url,
                                                                  signed_in_cookie, app):
    # One connection in the pool, held elsewhere: the request waits 0.5 s, then 503.
    crowded = client_during_outage(app, signed_in_cookie, database_url,
                                   SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0,
                                                              "pool_timeout": 0.5})
    crowded_app = crowded.application
    with crowded_app.app_context():
        held = db.engine.connect()
        try:
            started = time.monotonic()
            response = crowded.get("/dashboard")
            assert time.monotonic() - started < 3
        finally:
            held.close()
    assert_outage_page(response)
    assert crowded.get("/dashboard").status_code == 200


def test_a_locked_sqlite_database_refuses_the_save_then_takes_it_when_released(tmp_path,
                                                                               caplog):
    path = tmp_path / "locked.sqlite3"
    locked_app = build_app(f"sqlite:///{path}", DATABASE_BUSY_TIMEOUT=0.5)
    with locked_app.app_context():
        db.create_all()
        make_account("trainee@example.org")
    browser = locked_app.test_client()
    assert browser.post("/account/sign-in", data={
        "email": "trainee@example.org", "password": DEFAULT_PASSWORD}).status_code == 302
    caplog.set_level(logging.INFO)

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        refused = browser.post(STEP, data=STEP_POST)
        waited = time.monotonic() - started
        assert_outage_json(browser.post(AUTOSAVE, json={
            "version": 0, "answers": {"first-choice": FIRST_CHOICE}}))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_text_shown_back(refused)
    assert 0.4 < waited < 5  # the busy timeout was waited out, and no longer
    assert_nothing_typed_logged(caplog)

    assert browser.post(STEP, data=STEP_POST).status_code == 302
    with locked_app.app_context():
        stored = db.session.execute(select(StepAnswer)).scalar_one()
        assert stored.answers["first-choice"] == FIRST_CHOICE


def test_the_busy_timeout_setting_reaches_sqlite(tmp_path):
    quick = build_app(f"sqlite:///{tmp_path / 'quick.sqlite3'}", DATABASE_BUSY_TIMEOUT=0.25)
    with quick.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar_one() == 250


def engine_of(flask_app: Flask) -> Engine:
    with flask_app.app_context():
        return db.engine


def libpq_url(engine: Engine) -> str:
    """The engine's database as a URL psycopg takes, for a separate admin connection."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgresql_only(database_url: str) -> str:
    """The PostgreSQL URL; tests using it carry the ``postgresql_only`` mark, which leaves
    them out of runs on SQLite (see tests/conftest.py)."""
    assert database_url.startswith("postgresql"), "mark the test postgresql_only"
    return database_url


@pytest.mark.postgresql_only
def test_a_statement_stuck_behind_a_lock_is_cancelled_and_the_text_shown_back(
        postgresql_only, app, signed_in_cookie):
    waiting = client_during_outage(app, signed_in_cookie, postgresql_only,
                                   DATABASE_STATEMENT_TIMEOUT=1)
    with psycopg.connect(libpq_url(engine_of(app))) as locker:
        locker.execute(f"LOCK TABLE {StepAnswer.__table__.name} IN ACCESS EXCLUSIVE MODE")
        # Without a statement timeout the save would wait for ever: let go after 6 s.
        release = threading.Timer(6, locker.rollback)
        release.start()
        started = time.monotonic()
        refused = waiting.post(STEP, data=STEP_POST)
        waited = time.monotonic() - started
        release.cancel()
        locker.rollback()
    assert_text_shown_back(refused)
    assert 0.9 < waited < 5
    assert waiting.post(STEP, data=STEP_POST).status_code == 302


@pytest.mark.postgresql_only
def test_the_statement_timeout_is_set_on_every_postgresql_connection(postgresql_only):
    timed = build_app(postgresql_only, DATABASE_STATEMENT_TIMEOUT=7)
    with timed.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "7s"


@pytest.mark.postgresql_only
def test_a_connection_killed_mid_request_gives_503_and_the_next_request_works(
        postgresql_only, app, signed_in_cookie):
    browser = client_during_outage(app, signed_in_cookie, postgresql_only)
    engine = engine_of(browser.application)

    def kill_own_backend(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if StepAnswer.__table__.name in statement:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(libpq_url(conn.engine), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    event.listen(engine, "before_cursor_execute", kill_own_backend)
    try:
        refused = browser.post(STEP, data=STEP_POST)
    finally:
        event.remove(engine, "before_cursor_execute", kill_own_backend)
    assert_text_shown_back(refused)
    assert browser.get(STEP).status_code == 200


@pytest.mark.postgresql_only
def test_pooled_connections_cut_by_a_restart_are_replaced_without_an_error(
        postgresql_only, app, signed_in_cookie):
    browser = client_during_outage(app, signed_in_cookie, postgresql_only)
    assert browser.get("/dashboard").status_code == 200  # a connection is now pooled
    with psycopg.connect(libpq_url(engine_of(browser.application)),
                         autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                      "AND application_name = ''")
    assert browser.get("/dashboard").status_code == 200


@pytest.mark.parametrize(("error", "status"), [
    (InterfaceError("SELECT 1", {}, Exception("the connection is closed")), 503),
    (DBAPIError("SELECT 1", {}, Exception("server closed the connection"),
                connection_invalidated=True), 503),
    (PoolTimeoutError("QueuePool limit reached"), 503),
    (IntegrityError("INSERT", {}, Exception("duplicate key")), 500),
])
def test_driver_errors_that_mean_an_outage_are_503_and_others_stay_500(database_url, error,
                                                                      status):
    # Errors the drivers raise for a dead connection besides OperationalError, and one
    # that is a bug; raised from a view, as a driver would raise them from a query.
    errors_app = build_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @public
    def fails():  # type: ignore[no-untyped-def]
        raise error

    errors_app.add_url_rule("/fails", view_func=fails)
    response = errors_app.test_client().get("/fails")
    assert response.status_code == status
    assert ("Retry-After" in response.headers) == (status == 503)
    assert "Traceback" not in response.get_data(as_text=True)
