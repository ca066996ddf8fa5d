"""An email waiting to be sent, or sent: written in the same transaction as its cause."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db


class EmailStatus(enum.StrEnum):
    PENDING = "pending"    # waiting for its first or next attempt (next_attempt_at)
    SENDING = "sending"    # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"      # parked after the last attempt, listed for coordinators


class OutboxEmail(db.Model):
    """One email, rendered when it was caused, so a job only hands these bytes to SMTP."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same key twice is the same email: a repeated cause cannot write it again.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The same words as HTML, styled for the reader's preferences (careers_app/email_html.py);
    # none for readers with the standard settings and for addresses with no account.
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(String(10), default=EmailStatus.PENDING,
                                                index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The kind of the last failure (an exception's class, an SMTP code), never its text:
    # a server's message can quote the address or the subject.
    last_error: Mapped[str] = mapped_column(String(120), default="")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        order_by="OutboxAttachment.id", cascade="all, delete-orphan", lazy="selectin")


class OutboxAttachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbox_email.id", ondelete="CASCADE"),
                                          index=True)
    filename: Mapped[str] = mapped_column(String(200))
    maintype: Mapped[str] = mapped_column(String(50))
    subtype: Mapped[str] = mapped_column(String(50))
    content: Mapped[bytes] = mapped_column(LargeBinary)
