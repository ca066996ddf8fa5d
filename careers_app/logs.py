"""Structured logs: one line per event, JSON in production and readable text in development.

Every line carries the same context: UTC time, level, event name, request id, the signed-in
person's id, client address, method, and the route as its URL rule and endpoint. The rule,
not the path: password-reset tokens travel in paths, and query strings carry what people
typed. Events name people and objects by id only; ``log_event`` refuses free text, so what
anyone wrote, email addresses, passwords and tokens never reach a log line.

The JSON formatter is the standard library's ``json.dumps`` over a fixed list of fields: a
dependency would save a dozen lines but not the request context, the UTC ``Z`` time or the
field order, which are ours either way. JSON escapes CR, LF and every non-ASCII character,
so nothing written into a field can start a forged line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from sqlalchemy import inspect
from werkzeug.wrappers import Response

REQUEST_ID_HEADER = "X-Request-ID"
HANDLER_NAME = "careers_app"
CONTEXT_FIELDS = ("request_id", "user_id", "ip", "method", "route", "endpoint", "object_ids")
# Names every line already has: an event field may not shadow them.
RESERVED_FIELDS = frozenset({"time", "level", "event", "logger", "message", "exception",
                             *CONTEXT_FIELDS})
REDACTED = "[redacted]"

# A caller's request id is kept only if it cannot carry anything but an identifier.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
# Event field text is limited to identifiers (role names, modes, formats), never prose.
_SAFE_TEXT = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_PLAIN_TEXT = re.compile(r"[^\s\"'=\\]+")
_REQUEST_ID_KEY = "careers_app.request_id"
_EVENTS_KEY = "careers_app.logged_events"
# The dev server's per-request line ('"GET /path?query HTTP/1.1" 200 -') quotes the full
# path and query string: reset tokens and search terms. The events below replace it.
_DEV_SERVER_REQUEST_LINE = '"%s" %s %s'

events = logging.getLogger("careers_app.events")

FieldValue = int | bool | str | None | dict[str, int]


def log_event(event: str, level: int = logging.INFO, **fields: FieldValue) -> None:
    """Write one event line: ``log_event("share_revoked", share_id=share.id)``.

    Field values are ids, flags and short identifiers; any other text is replaced by
    "[redacted]", so a careless call cannot log what someone wrote.
    """
    clashing = fields.keys() & RESERVED_FIELDS
    if clashing:
        raise TypeError(f"log_event fields {sorted(clashing)} are set on every line already")
    safe = {name: _safe_value(value) for name, value in fields.items()}
    if has_request_context():
        request.environ.setdefault(_EVENTS_KEY, []).append(event)
    events.log(level, event, extra={"event": event, "event_fields": safe})


def _safe_value(value: object) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return str(value) if _SAFE_TEXT.fullmatch(value) else REDACTED
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()
                if _SAFE_TEXT.fullmatch(str(key)) and isinstance(item, int)}
    return REDACTED


def request_id() -> str:
    """This request's id: the caller's X-Request-ID if it is a safe short token, else new.

    Kept in the WSGI environ rather than ``g``, which a test's app context can share
    between requests.
    """
    environ = request.environ
    if _REQUEST_ID_KEY not in environ:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        environ[_REQUEST_ID_KEY] = (
            incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        )
    return environ[_REQUEST_ID_KEY]


def _signed_in_user_id() -> int | None:
    # Only the person Flask-Login has already loaded for this request, read from the
    # identity map: a log line never queries the database, which may be what just failed.
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or not state.identity:
        return None
    return state.identity[0]


def _request_context() -> dict[str, Any]:
    if not has_request_context():
        return dict.fromkeys(CONTEXT_FIELDS)
    rule = request.url_rule
    return {
        "request_id": request_id(),
        "user_id": _signed_in_user_id(),
        "ip": request.remote_addr,  # already the client's address behind ProxyFix
        "method": request.method,
        "route": rule.rule if rule is not None else None,
        "endpoint": request.endpoint,
        # The ids in the URL (share_id, application_id...): which object, never any text.
        "object_ids": _object_ids() or None,
    }


def _utc_time(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


def _entry(record: logging.LogRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": _utc_time(record.created),
        "level": record.levelname,
        "event": getattr(record, "event", "log"),
        **_request_context(),
    }
    fields = getattr(record, "event_fields", None)
    if fields is None:
        # A library's or a module's own message: kept, with where it came from.
        entry["logger"] = record.name
        entry["message"] = record.getMessage()
    else:
        entry.update(fields)
    if record.exc_info:
        entry["exception"] = _where_it_failed(record.exc_info)
    return entry


def _where_it_failed(exc_info: Any) -> str:
    """The exception's type and the code it passed through, without its message: a
    message can quote what someone typed ("invalid literal for int(): '<their text>'")."""
    kind, _error, trace = exc_info
    frames = "".join(traceback.format_list(traceback.extract_tb(trace)))
    name = getattr(kind, "__qualname__", str(kind))
    return f"Traceback (most recent call last):\n{frames}{name} (message not logged)"


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_entry(record), default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL event key=value ...`` for reading in a terminal; CR and LF escaped."""

    def format(self, record: logging.LogRecord) -> str:
        entry = _entry(record)
        exception = entry.pop("exception", None)
        if entry["request_id"] is None:  # start-up and command lines: no request to describe
            entry = {key: value for key, value in entry.items() if value is not None}
        head = f"{entry.pop('time')} {entry.pop('level'):<7} {entry.pop('event')}"
        line = " ".join([head, *(f"{key}={_text_value(value)}" for key, value in entry.items())])
        return f"{line}\n{exception}" if exception else line


def _text_value(value: object) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if _PLAIN_TEXT.fullmatch(text) else json.dumps(text)


class _DropDevServerRequestLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str)
                    and record.msg.endswith(_DEV_SERVER_REQUEST_LINE))


def _finish_response(response: Response) -> Response:
    """Return the request id, and log refusals whichever code path produced them."""
    response.headers[REQUEST_ID_HEADER] = request_id()
    status = response.status_code
    if status == 429:
        # One throttle line per refused request: a view may have named its own already.
        if not any("throttled" in name for name in request.environ.get(_EVENTS_KEY, [])):
            log_event("throttled", logging.WARNING, status=status)
    elif status == 403 or (status == 404 and _is_object_route()):
        log_event("access_refused", logging.WARNING, status=status)
    return response


def _is_object_route() -> bool:
    """A matched route naming an object (share, plan action, application, workshop,
    module step...); a 404 there is a refusal, while an unknown URL or file is just absent."""
    rule = request.url_rule
    return rule is not None and bool(rule.arguments) and "<path:" not in rule.rule


def _object_ids() -> dict[str, int]:
    return {name: value for name, value in (request.view_args or {}).items()
            if isinstance(value, int) and not isinstance(value, bool)}


def init_logging(app: Flask) -> None:
    """Send every log line of the process to stderr in the configured format, once.

    The handler sits on the root logger, so library lines share the format; building the
    app again (tests do) replaces it instead of adding a second one. Gunicorn's own
    loggers do not propagate to the root, so its access log stays as the server sets it.
    """
    formatter: logging.Formatter = (
        JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter()
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    # Our events at INFO; libraries keep the root's WARNING, so their INFO chatter (migration
    # plugins, PDF progress quoting documents) stays out while their warnings come through.
    logging.getLogger("careers_app").setLevel(logging.INFO)
    # Flask's own stderr handler would print the app's lines a second time, unformatted.
    app.logger.removeHandler(default_handler)
    dev_server = logging.getLogger("werkzeug")
    if not any(isinstance(f, _DropDevServerRequestLines) for f in dev_server.filters):
        dev_server.addFilter(_DropDevServerRequestLines())
    app.after_request(_finish_response)
