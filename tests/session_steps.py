"""Helpers for session tests: sign in through the real form, read a page's form as a
browser would post it, end a session by removing its cookie, read the session cookie."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD

HOST = "careers.test"


class _PostForms(HTMLParser):
    """Every POST form of a page (except sign-out forms), as its action and the
    (name, value) pairs a browser would send without pressing a button."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attributes}
        if tag == "form" and found.get("method", "").lower() == "post" and not found.get(
                "action", "").endswith("/account/sign-out"):
            self._fields = []
            self.forms.append((found.get("action", ""), self._fields))
        if self._fields is None or "name" not in found:
            return
        if tag == "input" and found.get("type") not in {"submit", "button"}:
            if found.get("type") in {"radio", "checkbox"} and "checked" not in found:
                return
            self._fields.append((found["name"], found.get("value", "")))
        elif tag == "textarea":
            self._textarea = found["name"]
            self._fields.append((found["name"], ""))
        elif tag == "select":
            self._select = found["name"]
        elif tag == "option" and self._select and "selected" in found:
            self._fields.append((self._select, found.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._fields:
            name, value = self._fields[-1]
            self._fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea" and self._textarea is not None and self._fields:
            name, value = self._fields[-1]
            # A browser drops one newline straight after <textarea>.
            self._fields[-1] = (name, value.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _PostForms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str) -> tuple[str, list[tuple[str, str]]]:
    """The first POST form that has a field of this name."""
    for action, fields in post_forms(html):
        if any(name == field_name for name, _ in fields):
            return action, fields
    raise AssertionError(f"no form with a field named {field_name!r}")


def replaced(fields: list[tuple[str, str]], **values: str) -> MultiDict[str, str]:
    """The fields, ready to post, with some values replaced or added."""
    kept = [(name, value) for name, value in fields if name not in values]
    return MultiDict(kept + list(values.items()))


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    """A client signed in through the real sign-in form, CSRF token and all."""
    client = app.test_client()
    # As a browser marks the posts made from this site's own pages.
    client.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"
    token = csrf_token_from(client.get("/account/sign-in").get_data(as_text=True))
    response = client.post("/account/sign-in", data={
        "email": email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def remove_session_cookie(app: Flask, client: FlaskClient) -> None:
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"], domain=HOST)


def sign_in_on_page(client: FlaskClient, html: str, email: str,
                    password: str = DEFAULT_PASSWORD):  # type: ignore[no-untyped-def]
    """Fill in the sign-in form of a page and post it where the page says."""
    action, fields = form_with(html, "password")
    return client.post(action, data=replaced(fields, email=email, password=password))


def session_contents(app: Flask, set_cookie_headers: list[str]) -> list[dict[str, object]]:
    """What each Set-Cookie header for the session holds, decoded with the app's key."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    name = app.config["SESSION_COOKIE_NAME"] + "="
    contents = []
    for header in set_cookie_headers:
        if header.startswith(name):
            value = header[len(name):].split(";", 1)[0]
            if value:
                contents.append(serializer.loads(value))
    return contents
