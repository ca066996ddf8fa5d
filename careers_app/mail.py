"""Sending email: printed to the console in development, kept in memory in tests,
sent through SMTP in production."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests read this)."""
    return current_app.extensions.setdefault("mail_outbox", [])


Attachment = tuple[str, bytes, str, str]  # file name, content, main type, subtype


def send_email(to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    """Send a plain-text email, with any attachments, through the configured backend."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)

    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(message)
    elif backend == "console":
        print(f"\n----- email (not sent: console backend) -----\n{message}", file=sys.stderr)
    elif backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")
