"""Security logging: one JSON line per event, with the request's id, and nothing anyone wrote."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from careers_app.accounts.service import find_user_by_email, make_reset_token
from careers_app.clock import uk_today
from careers_app.coaching.models import CoachingApplication
from careers_app.config import ConfigurationError, load_config
from careers_app.content.schema import FieldSpec
from careers_app.extensions import db
from careers_app.logs import HANDLER_NAME, REDACTED, log_event
from careers_app.security import Role, public
from tests.planning import typical_plan
from tests.registration_steps import register_and_confirm
from tests.workshop_steps import marked_value, workshop_form

SCAN1 = "scan-1-self-awareness"
SCAN3 = "scan-3-arriving-at-a-decision"
# Random, so no common-password check can refuse it.
NEW_PASSWORD = f"Kettle-{uuid.uuid4().hex[:12]}-Orbit"


@pytest.fixture(autouse=True)
def _json_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app in this file is built with LOG_FORMAT=json (autouse runs before ``app``)."""
    monkeypatch.setenv("LOG_FORMAT", "json")


class Captured:
    """What the app's configured log handler wrote."""

    def __init__(self, buffer: io.StringIO) -> None:
        self.buffer = buffer

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        # Every line must be one JSON object: json.loads fails on anything else.
        return [json.loads(line) for line in self.text.splitlines()]

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["event"] == name]

    def clear(self) -> None:
        self.buffer.seek(0)
        self.buffer.truncate()


def _configured_handler() -> logging.StreamHandler:  # type: ignore[type-arg]
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert isinstance(handler, logging.StreamHandler)
    return handler


@pytest.fixture
def logs(app: Flask) -> Iterator[Captured]:
    handler = _configured_handler()
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield Captured(buffer)
    handler.setStream(previous)  # type: ignore[arg-type]


@pytest.fixture
def trainee(make_user, sign_in):  # type: ignore[no-untyped-def]
    user = make_user("trainee@example.org", full_name="Alex Trainee")
    sign_in("trainee@example.org")
    return user


def _share_form(coach: str = "coach@example.org") -> dict[str, str]:
    until = uk_today() + dt.timedelta(days=30)
    return {"coach": coach, "mode": "snapshot", "expires_on--day": str(until.day),
            "expires_on--month": str(until.month), "expires_on--year": str(until.year)}


# --- the context of every line --------------------------------------------------------


def test_a_failed_sign_in_writes_exactly_one_json_event_carrying_the_request_id(
        client, make_user, logs):
    user = make_user("sam@example.org")
    response = client.post("/account/sign-in",
                           data={"email": "sam@example.org", "password": "not the password"})
    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    lines = [line for line in logs.lines() if line["request_id"] == request_id]
    assert len(lines) == 1
    (line,) = lines
    assert line["event"] == "sign_in_failed" and line["level"] == "WARNING"
    assert line["target_user_id"] == user.id and line["user_id"] is None
    assert line["method"] == "POST" and line["route"] == "/account/sign-in"
    assert line["endpoint"] == "accounts.sign_in" and line["ip"] == "127.0.0.1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    moment = dt.datetime.fromisoformat(line["time"].replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.UTC) - moment) < dt.timedelta(minutes=1)
    assert "sam@example.org" not in logs.text and "not the password" not in logs.text


def test_a_failed_sign_in_to_no_account_names_nobody(client, logs):
    response = client.post("/account/sign-in",
                           data={"email": "nobody@example.org", "password": "whatever it is"})
    (line,) = logs.events("sign_in_failed")
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["target_user_id"] is None and line["user_id"] is None
    assert "nobody" not in logs.text


def test_sign_in_and_sign_out_name_the_account(client, make_user, sign_in, logs):
    user = make_user("sam@example.org")
    response = sign_in("sam@example.org")
    (signed_in,) = logs.events("sign_in")
    assert signed_in["user_id"] == user.id
    assert signed_in["request_id"] == response.headers["X-Request-ID"]
    client.post("/account/sign-out")
    (signed_out,) = logs.events("sign_out")
    assert signed_out["user_id"] == user.id and signed_out["route"] == "/account/sign-out"


def test_registering_is_logged_with_the_new_account_id_only(app, client, logs):
    response = register_and_confirm(app, client, {
        "full_name": "Robin Newcomer", "email": "robin@example.org", "password": NEW_PASSWORD,
        "professional_group": "doctor_dentist", "region": "london", "training_stage": "core",
    })
    assert response.status_code == 302
    with app.app_context():
        robin = find_user_by_email("robin@example.org")
    (line,) = logs.events("registered")
    assert line["user_id"] == robin.id
    assert "Robin" not in logs.text and "robin@" not in logs.text


@pytest.mark.parametrize("incoming, kept", [
    ("abcDEF12-3456", True),
    ("a" * 64, True),
    ("short", False),                      # fewer than 8 characters
    ("a" * 65, False),                     # too long
    ("abc def 123", False),                # a space
    ("abcdefgh\r\nforged: 1", False),      # a header or log line break
    ("abcdefgh;drop", False),
])
def test_a_callers_request_id_is_kept_only_if_it_is_a_safe_token(client, logs, incoming, kept):
    # Through the environ: the test client itself refuses a header with a line break.
    response = client.post("/account/sign-in", data={"email": "x@example.org", "password": "p"},
                           environ_overrides={"HTTP_X_REQUEST_ID": incoming})
    returned = response.headers["X-Request-ID"]
    if kept:
        assert returned == incoming
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", returned)
    (line,) = logs.events("sign_in_failed")
    assert line["request_id"] == returned


def test_each_request_gets_its_own_id(client):
    first = client.get("/").headers["X-Request-ID"]
    second = client.get("/").headers["X-Request-ID"]
    assert first != second


def test_error_pages_carry_the_request_id(database_url, logs):
    from tests.conftest import build_app

    built = build_app(database_url)

    @public
    def explode() -> str:
        raise RuntimeError("a bug")

    @public
    def database_gone() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    built.add_url_rule("/explode", view_func=explode)
    built.add_url_rule("/database-gone", view_func=database_gone)
    _configured_handler().setStream(logs.buffer)
    client = built.test_client()
    for url, status in (("/explode", 500), ("/database-gone", 503), ("/no-such-page", 404)):
        response = client.get(url, headers={"X-Request-ID": f"probe-{status}-0000"})
        assert response.status_code == status
        assert response.headers["X-Request-ID"] == f"probe-{status}-0000"
    # The application's own error lines are JSON with the same context.
    (crash,) = [line for line in logs.lines() if line["request_id"] == "probe-500-0000"]
    assert crash["level"] == "ERROR" and crash["route"] == "/explode"
    assert "RuntimeError" in crash["exception"]
    (outage,) = [line for line in logs.lines() if line["request_id"] == "probe-503-0000"]
    assert outage["level"] == "ERROR" and outage["route"] == "/database-gone"
    assert not [line for line in logs.lines() if line["request_id"] == "probe-404-0000"]


# --- refusals -------------------------------------------------------------------------


def test_403_is_logged_as_access_refused(client, trainee, logs):
    response = client.get("/shared-with-me/")
    assert response.status_code == 403
    (line,) = logs.events("access_refused")
    assert line["status"] == 403 and line["user_id"] == trainee.id
    assert line["route"] == "/shared-with-me/" and line["level"] == "WARNING"
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_404_on_an_object_route_is_access_refused_but_an_unknown_page_is_not(
        client, trainee, logs):
    assert client.get("/plan/actions/4242").status_code == 404
    (line,) = logs.events("access_refused")
    assert line["status"] == 404 and line["object_ids"] == {"action_id": 4242}
    assert line["route"] == "/plan/actions/<id:action_id>" and line["user_id"] == trainee.id

    assert client.get(f"/modules/{SCAN1}/steps/no-such-step").status_code == 404
    assert logs.events("access_refused")[-1]["route"] == "/modules/<slug>/steps/<step_id>"

    logs.clear()
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    assert logs.events("access_refused") == []


def test_another_coachs_share_is_access_refused(app, make_user, sign_in, logs):
    make_user("t@example.org")
    make_user("coach@example.org", roles=(Role.COACH,))
    other = make_user("coach2@example.org", roles=(Role.COACH,))
    trainee_client, coach_client = app.test_client(), app.test_client()
    sign_in("t@example.org", test_client=trainee_client)
    sign_in("coach2@example.org", test_client=coach_client)
    trainee_client.post("/plan/shares/new", data=_share_form())
    (created,) = logs.events("share_created")
    response = coach_client.get(f"/shared-with-me/{created['share_id']}/pdf")
    assert response.status_code == 404
    (line,) = logs.events("access_refused")
    assert line["user_id"] == other.id and line["object_ids"] == {"share_id": created["share_id"]}


def test_throttled_sign_in_is_logged_without_the_address_typed(client, make_user, logs):
    make_user("sam@example.org")
    for _attempt in range(5):
        client.post("/account/sign-in", data={"email": "sam@example.org", "password": "wrong"})
    refused = client.post("/account/sign-in",
                          data={"email": "sam@example.org", "password": "wrong"})
    assert refused.status_code == 429
    assert len(logs.events("sign_in_failed")) == 5
    # One throttle line for the refused request (the view may name it more precisely).
    (line,) = [line for line in logs.lines() if "throttled" in line["event"]]
    assert line["level"] == "WARNING" and line["route"] == "/account/sign-in"
    assert line["request_id"] == refused.headers["X-Request-ID"]
    # The store's key is a keyed hash: nothing logged quotes the address typed.
    assert b"sam@example.org".hex() not in logs.text
    assert "sam@example.org" not in logs.text


def test_throttled_pdf_downloads_are_logged(app, client, trainee, logs):
    typical_plan(app, trainee.id)
    statuses = [client.get("/plan/pdf").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    (line,) = logs.events("throttled")
    assert line["route"] == "/plan/pdf" and line["user_id"] == trainee.id


# --- changes of rights, shares and exports ---------------------------------------------


def test_role_grants_and_removals_are_logged(client, make_user, sign_in, logs):
    coordinator = make_user("coord@example.org", roles=(Role.COORDINATOR,))
    person = make_user("sam@example.org")
    sign_in("coord@example.org")
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["coach", "facilitator"]})
    granted = logs.events("role_changed")
    assert {(line["role"], line["change"]) for line in granted} == {
        ("coach", "granted"), ("facilitator", "granted")}
    assert {line["target_user_id"] for line in granted} == {person.id}
    assert {line["user_id"] for line in granted} == {coordinator.id}
    logs.clear()
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["facilitator"]})
    (removed,) = logs.events("role_changed")
    assert (removed["role"], removed["change"]) == ("coach", "revoked")
    logs.clear()
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["facilitator"]})
    assert logs.events("role_changed") == []  # saving the same roles changes nothing


def test_shares_created_and_revoked_are_logged(app, client, trainee, make_user, logs):
    coach = make_user("coach@example.org", roles=(Role.COACH,))
    typical_plan(app, trainee.id)
    assert client.post("/plan/shares/new", data=_share_form()).status_code == 302
    (created,) = logs.events("share_created")
    assert created["user_id"] == trainee.id and created["coach_id"] == coach.id
    assert created["mode"] == "snapshot"
    client.post(f"/plan/shares/{created['share_id']}/revoke")
    client.post(f"/plan/shares/{created['share_id']}/revoke")  # again: nothing new happens
    (revoked,) = logs.events("share_revoked")
    assert revoked["share_id"] == created["share_id"] and revoked["user_id"] == trainee.id
    assert revoked["object_ids"] == {"share_id": created["share_id"]}


def test_pdf_downloads_are_logged_as_plan_exported(app, make_user, sign_in, logs):
    trainee = make_user("t@example.org")
    coach = make_user("coach@example.org", roles=(Role.COACH,))
    typical_plan(app, trainee.id)
    trainee_client, coach_client = app.test_client(), app.test_client()
    sign_in("t@example.org", test_client=trainee_client)
    sign_in("coach@example.org", test_client=coach_client)
    response = trainee_client.get("/plan/pdf")
    assert response.status_code == 200
    (own,) = logs.events("plan_exported")
    assert own["user_id"] == trainee.id and own["what"] == "action-plan"
    assert own["bytes"] == len(response.data) and own["route"] == "/plan/pdf"
    assert own["request_id"] == response.headers["X-Request-ID"]

    trainee_client.post("/plan/shares/new", data=_share_form())
    (share,) = logs.events("share_created")
    logs.clear()
    assert coach_client.get(f"/shared-with-me/{share['share_id']}/pdf").status_code == 200
    (coach_copy,) = logs.events("plan_exported")
    assert coach_copy["user_id"] == coach.id
    assert coach_copy["object_ids"] == {"share_id": share["share_id"]}


# --- passwords -------------------------------------------------------------------------


def test_password_reset_requested_and_completed_never_log_the_token(app, client, make_user,
                                                                      logs):
    user = make_user("sam@example.org")
    client.post("/account/reset-password", data={"email": "sam@example.org"})
    client.post("/account/reset-password", data={"email": "nobody@example.org"})
    requested = logs.events("password_reset_requested")
    assert [line["target_user_id"] for line in requested] == [user.id, None]

    with app.app_context():
        token = make_reset_token(find_user_by_email("sam@example.org"), app.config["SECRET_KEY"])
    response = client.post(f"/account/reset-password/{token}",
                           data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    (completed,) = logs.events("password_reset_completed")
    assert completed["target_user_id"] == user.id
    assert completed["route"] == "/account/reset-password/<token>"

    assert client.get(f"/account/reset-password/{token}").status_code == 400  # used up
    (refused,) = logs.events("password_reset_link_refused")
    assert refused["route"] == "/account/reset-password/<token>"
    assert token not in logs.text and token[:20] not in logs.text
    assert "sam@example.org" not in logs.text and "nobody@" not in logs.text
    assert NEW_PASSWORD not in logs.text


def test_password_changes_are_logged(client, trainee, logs):
    from tests.factories import DEFAULT_PASSWORD

    client.post("/account/profile", data={
        "password-current_password": "not my password", "password-new_password": NEW_PASSWORD})
    (refused,) = logs.events("password_change_refused")
    assert refused["user_id"] == trainee.id
    response = client.post("/account/profile", data={
        "password-current_password": DEFAULT_PASSWORD, "password-new_password": NEW_PASSWORD})
    assert response.status_code == 302
    (changed,) = logs.events("password_changed")
    assert changed["user_id"] == trainee.id
    assert DEFAULT_PASSWORD not in logs.text and NEW_PASSWORD not in logs.text


# --- the helper and the formats --------------------------------------------------------


def test_log_event_redacts_free_text_and_refuses_context_names(app, logs):
    with app.test_request_context("/"):
        log_event("probe", role="coach", note="Dear coach, I am struggling", count=3,
                  ids={"share_id": 4, "bad key!": 5, "text": "x"})  # type: ignore[dict-item]
        with pytest.raises(TypeError):
            log_event("probe", user_id=1)
    (line,) = logs.events("probe")
    assert line["role"] == "coach" and line["note"] == REDACTED and line["count"] == 3
    assert line["ids"] == {"share_id": 4}
    assert "struggling" not in logs.text


def test_a_message_with_line_breaks_stays_on_one_line(app, logs):
    logging.getLogger("careers_app.probe").warning("first\r\nforged line\u2028more")
    (line,) = logs.lines()
    assert line["message"] == "first\r\nforged line\u2028more"
    assert line["request_id"] is None and line["user_id"] is None
    assert len(logs.text.splitlines()) == 1


def test_text_format_is_readable_and_escapes_line_breaks(database_url, monkeypatch):
    from tests.conftest import build_app

    monkeypatch.setenv("LOG_FORMAT", "text")
    built = build_app(database_url)
    buffer = io.StringIO()
    _configured_handler().setStream(buffer)
    with built.test_request_context("/plan/pdf", headers={"X-Request-ID": "text-format-1"}):
        log_event("plan_exported", what="action-plan")
        logging.getLogger("careers_app.probe").warning("first\nforged")
    first, second = buffer.getvalue().splitlines()
    time, rest = first.split(" ", 1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", time)
    assert rest == ("INFO    plan_exported request_id=text-format-1 user_id=- ip=- "
                    "method=GET route=/plan/pdf endpoint=plans.pdf object_ids=- "
                    "what=action-plan")
    assert second.endswith('logger=careers_app.probe message="first\\nforged"')


def test_production_logs_json_unless_told_otherwise(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 8 + uuid.uuid4().hex)
    monkeypatch.delenv("LOG_FORMAT")
    assert load_config(tmp_path)["LOG_FORMAT"] == "json"
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert load_config(tmp_path)["LOG_FORMAT"] == "text"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigurationError, match="LOG_FORMAT must be one of json, text"):
        load_config(tmp_path)
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("LOG_FORMAT")
    assert load_config(tmp_path)["LOG_FORMAT"] == "text"


def test_building_the_app_again_keeps_one_handler_and_no_flask_default(database_url):
    from flask.logging import default_handler

    from tests.conftest import build_app

    first, second = build_app(database_url), build_app(database_url)
    assert len([h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]) == 1
    assert default_handler not in first.logger.handlers + second.logger.handlers


def test_the_dev_server_prints_no_request_lines_with_paths(app, logs):
    """Werkzeug's access line would quote the reset token in the path; ours name the rule."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    token = "dev-server-token-" + uuid.uuid4().hex
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(  # noqa: S310 (a loopback URL built here)
                f"http://127.0.0.1:{server.server_port}/account/reset-password/{token}?q=secret",
                timeout=10)
        assert refused.value.code == 400
        refused.value.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    (line,) = logs.events("password_reset_link_refused")
    assert line["route"] == "/account/reset-password/<token>"
    assert token not in logs.text and "secret" not in logs.text
    assert "HTTP/1.1" not in logs.text


# --- the canary: nothing anyone writes reaches a log ------------------------------------


def _step_form(spec: FieldSpec, marker: str) -> dict[str, list[str]]:
    """A posted answer to ``spec`` with ``marker`` in every part a person can type."""
    form: dict[str, list[str]] = {}
    for key, value in spec.kind.to_form(spec, marked_value(spec, marker)):
        form.setdefault(key, []).append(value)
    return form


@pytest.fixture
def everything_logged() -> Iterator[None]:
    """DEBUG on the app's loggers and the root, and SQL statements as echo would log them."""
    loggers = {"": logging.DEBUG, "careers_app": logging.DEBUG,
               "sqlalchemy.engine": logging.INFO}
    previous = {name: logging.getLogger(name).level for name in loggers}
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)
    yield
    for name, level in previous.items():
        logging.getLogger(name).setLevel(level)


def test_nothing_a_trainee_writes_reaches_any_log_line(app, make_user, sign_in, logs, caplog,
                                                        everything_logged):
    canary = "Canary" + uuid.uuid4().hex  # 38 characters: fits every field's limit
    canary_email = f"{canary}@example.org"
    registry = app.extensions["modules"]
    trainee = make_user("t@example.org", roles=(Role.FACILITATOR,))
    make_user("coach@example.org", roles=(Role.COACH,))
    make_user("coord@example.org", roles=(Role.COORDINATOR,))
    clients = {}
    for email in ("t@example.org", "coach@example.org", "coord@example.org"):
        clients[email] = app.test_client()
        sign_in(email, test_client=clients[email])
    me, coach, coordinator = (clients[e] for e in clients)

    # Every step of every module, every field type: the form, the autosave, a conflict and
    # a refusal, so the saved, the stale and the invalid copies all pass through.
    for module in registry:
        for step in module.steps:
            form: dict[str, Any] = {"version": "0", "action": "later"}
            answers: dict[str, Any] = {}
            for spec in step.fields:
                form.update(_step_form(spec, canary))
                answers[spec.id] = marked_value(spec, canary)
            url = f"/modules/{module.slug}/steps/{step.id}"
            assert me.post(url, data=form).status_code in (200, 302)
            me.post(f"{url}/autosave", json={"version": 1, "answers": answers})
            # Other text from an older version: a conflict. The same answers again would
            # be the same save repeated, so a step with no free text is answered 200.
            other = {spec.id: marked_value(spec, canary.lower()) for spec in step.fields}
            stale = me.post(f"{url}/autosave", json={"version": 0, "answers": other})
            expected = (409, 422) if other != answers else (200,)
            assert stale.status_code in expected  # 422 where a suffixed marker is too long
            me.post(f"{url}/autosave", json={"version": 2, "answers": {
                spec.id: {"day": canary} for spec in step.fields}})
    typical_plan(app, trainee.id)

    me.post("/plan/summary", data={"summary": canary})
    action = {"text": canary, "measure": canary, "support": canary,
              "target_date--day": "14", "target_date--month": "3",
              "target_date--year": "2031", "status": "not_started"}
    me.post("/plan/actions/new", data=action)
    me.post("/plan/actions/new", data={**action, "target_date--day": canary})  # refused
    assert me.post("/plan/shares/new", data=_share_form(coach=canary)).status_code == 200
    assert me.post("/plan/shares/new", data=_share_form()).status_code == 302
    (share,) = logs.events("share_created")
    coach.post(f"/shared-with-me/{share['share_id']}", data={"section": "general",
                                                           "body": canary})
    assert coach.get(f"/shared-with-me/{share['share_id']}/pdf").status_code == 200
    assert me.get("/plan/pdf").status_code == 200
    assert me.get("/plan/actions.ics").status_code == 200

    application = {"professional_group": "doctor_dentist", "region": "london",
                   "training_number": canary, "workforce_scheme": "", "current_post": canary,
                   "stage": "core", "hopes": canary, "preferred_format": "video",
                   "availability": canary, "consent": "y"}
    me.post("/coaching/apply/draft", data=application)
    # The canary is no training number: refused with what was typed, then a real one.
    assert me.post("/coaching/apply", data={**application, "action": "submit"}).status_code \
        == 200
    assert me.post("/coaching/apply", data={**application, "action": "submit",
                                            "training_number": "LDN/ABC/1234567/C"}
                   ).status_code == 302
    with app.app_context():
        application_id = db.session.execute(db.select(CoachingApplication.id)).scalar_one()
    coordinator.post(f"/coaching/queue/{application_id}",
                     data={"action": "decline", "decline-reason": canary})
    coordinator.get("/admin/users", query_string={"q": canary})

    me.post("/workshops/new", data=workshop_form(title=canary, description=canary))
    me.post("/workshops/join", data={"code": canary})
    me.post("/account/profile", data={
        "details-full_name": canary, "details-professional_group": "pharmacy",
        "details-region": "kss", "details-training_stage": "pharmacy_foundation"})
    me.post("/account/profile", data={"password-current_password": canary,
                                      "password-new_password": canary + "New"})

    visitor = app.test_client()
    register_and_confirm(app, visitor, {
        "full_name": canary, "email": f"new{canary}@example.org", "password": canary,
        "professional_group": "doctor_dentist", "region": "london", "training_stage": "core"})
    stranger = app.test_client()
    for _attempt in range(6):  # the sixth is throttled
        stranger.post("/account/sign-in", data={"email": canary_email, "password": canary})
    stranger.post("/account/sign-in", data={"email": "t@example.org", "password": canary})
    stranger.post("/account/reset-password", data={"email": canary_email})
    stranger.get(f"/account/reset-password/{canary}")
    stranger.post(f"/account/reset-password/{canary}", data={"password": canary})
    stranger.get(f"/{canary}", query_string={"q": canary})

    # The run logged what it should have, SQL included, so the absence below means something.
    names = {line["event"] for line in logs.lines()}
    assert any("throttled" in name for name in names)
    assert {"sign_in_failed", "share_created", "plan_exported",
            "calendar_exported", "password_reset_requested", "password_reset_link_refused",
            "password_change_refused", "registered"} <= names
    assert any(line.get("logger", "").startswith("sqlalchemy.engine") for line in logs.lines())
    assert len(caplog.records) >= len(logs.lines()) > 50

    written = logs.text.lower()
    for form in (canary, canary_email, canary_email.encode().hex()):
        assert form.lower() not in written
    for record in caplog.records:
        raw = f"{record.getMessage()} {record.__dict__!r}".lower()
        assert canary.lower() not in raw, record.name


def test_libraries_write_warnings_but_not_their_info_chatter(app, logs):
    logging.getLogger("alembic.runtime.plugins").info("setup plugin chatter")
    logging.getLogger("weasyprint.progress").info("Step 1 - Fetching and parsing HTML")
    logging.getLogger("careers_app.throttling").warning("throttle store unavailable")
    (line,) = logs.lines()
    assert line["logger"] == "careers_app.throttling" and line["level"] == "WARNING"


def test_behind_the_proxy_the_line_has_the_clients_address(database_url, logs):
    from tests.conftest import build_app

    built = build_app(database_url, PROXY_FIX_X_FOR=1)
    _configured_handler().setStream(logs.buffer)
    built.test_client().post("/account/sign-in",
                             data={"email": "x@example.org", "password": "not it at all"},
                             headers={"X-Forwarded-For": "203.0.113.7"})
    (line,) = logs.events("sign_in_failed")
    assert line["ip"] == "203.0.113.7"


def test_an_unexpected_error_logs_where_it_failed_but_not_its_message(app, logs):
    from flask import request

    from careers_app.security import public

    @public
    def fails() -> str:
        int(request.args["typed"])  # raises ValueError, quoting what was typed
        return "never"

    app.add_url_rule("/fails-on-purpose", view_func=fails)
    response = app.test_client().get("/fails-on-purpose",
                                     query_string={"typed": "what someone wrote about nights"})
    assert response.status_code == 500
    written = logs.buffer.getvalue()
    assert "what someone wrote" not in written
    (line,) = [entry for entry in logs.lines() if "exception" in entry]
    assert "ValueError (message not logged)" in line["exception"]
    assert "in fails" in line["exception"]
