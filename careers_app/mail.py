"""Email: written to the outbox with the change that causes it, sent later by a job.

``send_email`` renders nothing and sends nothing: it adds an ``OutboxEmail`` row to the
current database session, so the caller's commit writes the change and its emails
together, or neither. Once that commit is done a job is enqueued for each new row
(careers_app/outbox/tasks.py); if the enqueue fails, or no worker is running, the
sweeper finds the row later. ``deliver`` is the transport the job uses: printed to the
console in development, kept in memory in tests, SMTP in production.
"""

from __future__ import annotations

import hashlib
import secrets
import smtplib
import sys
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import select

from careers_app.extensions import db
from careers_app.outbox.models import OutboxAttachment, OutboxEmail


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests read this)."""
    return current_app.extensions.setdefault("mail_outbox", [])


Attachment = tuple[str, bytes, str, str]  # file name, content, main type, subtype


def send_email(to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = (),
               key: str | None = None) -> None:
    """Put a plain-text email, with any attachments, in the outbox of this transaction.

    When the address is an account's whose reading preferences are not the standard ones,
    the email also gets an HTML part made from ``body`` in those preferences.
    ``key`` names the cause (say ``appointment:12:3:trainee``): an email whose key is
    already in the outbox is not written again. Without one, every call is a new email.
    Nothing is written until the caller commits.
    """
    if key is not None and db.session.execute(
            select(OutboxEmail.id).where(OutboxEmail.key == key)).first() is not None:
        return
    db.session.add(OutboxEmail(
        key=key or f"email:{secrets.token_hex(16)}", recipient=to, subject=subject, body=body,
        html_body=_html_part(to, subject, body),
        attachments=[OutboxAttachment(filename=name, content=content, maintype=main,
                                      subtype=sub)
                     for name, content, main, sub in attachments]))


def _html_part(address: str, subject: str, body: str) -> str | None:
    """``body`` as HTML in the reading preferences of the account with this address;
    none when no account has it or its preferences are the standard ones (read
    leniently: a stored value this version does not know is the standard setting)."""
    # Imported here: the accounts package sends email (it imports this module), and the
    # reading package imports the accounts one.
    from careers_app.accounts.models import User
    from careers_app.email_html import render_html, wants_html
    from careers_app.reading.preferences import ReadingPreferences

    # Without flushing: a caller may rely on its pending rows reaching the database only
    # at its commit, where it handles their conflicts (a workshop's reminder day).
    with db.session.no_autoflush:
        stored = db.session.execute(
            select(User.reading_preferences).where(User.email == address)).first()
    if stored is None:
        return None
    preferences = ReadingPreferences.from_mapping(stored[0])
    return render_html(subject, body, preferences) if wants_html(preferences) else None


def build_message(email: OutboxEmail, config: dict[str, Any]) -> EmailMessage:
    """The message as sent, the same bytes on every attempt (the Message-ID included, so
    a receiving system can tell a repeat from a new email)."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = email.recipient
    message["Subject"] = email.subject
    domain = str(config["MAIL_FROM"]).rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{hashlib.sha256(email.key.encode()).hexdigest()[:32]}@{domain}>"
    message.set_content(email.body)
    if email.html_body is not None:
        # text/plain and text/html become multipart/alternative; attachments added next
        # wrap both in multipart/mixed, so a calendar file still travels with them.
        message.add_alternative(email.html_body, subtype="html")
    for attachment in email.attachments:
        message.add_attachment(attachment.content, maintype=attachment.maintype,
                               subtype=attachment.subtype, filename=attachment.filename)
    return message


def deliver(message: EmailMessage, config: dict[str, Any]) -> None:
    """Hand ``message`` to the configured backend; raises when the server refuses it."""
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
