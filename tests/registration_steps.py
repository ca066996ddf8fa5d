"""Registering through the real pages: the form, the email, the confirmation."""

from __future__ import annotations

import re
from email.message import EmailMessage

from flask import Flask
from flask.testing import FlaskClient

from careers_app.mail import outbox

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/account/confirm/[A-Za-z0-9_-]+)")


def emails_to(app: Flask, address: str) -> list[EmailMessage]:
    with app.app_context():
        return [message for message in outbox() if message["To"] == address]


def confirmation_path(app: Flask, address: str) -> str:
    """The path of the latest account-confirmation link emailed to ``address``."""
    for message in reversed(emails_to(app, address)):
        found = CONFIRM_LINK.search(message.get_content())
        if found:
            return found.group(1)
    raise AssertionError(f"no confirmation link was emailed to {address}")


def register_and_confirm(app: Flask, client: FlaskClient, data: dict[str, str],
                         path: str = "/account/register"):  # type: ignore[no-untyped-def]
    """Register, follow the emailed link, press the button: the final response."""
    sent = client.post(path, data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)[-500:]
    assert sent.headers["Location"].endswith("/account/register/check-your-email")
    link = confirmation_path(app, data["email"].strip().lower())
    assert client.get(link).status_code == 200
    return client.post(link, data={"password": data["password"]})
