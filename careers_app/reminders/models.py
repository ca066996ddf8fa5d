"""Who asked not to get which reminder, and which reminders have been decided."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db


class ReminderOptOut(db.Model):
    """A person's "no" to one kind of reminder; without a row they get it (opted in)."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderMark(db.Model):
    """A reminder decided once and for all, whether or not an email came of it.

    ``actions:<user>:<iso week>`` says a trainee's weekly digest was looked at (so a week
    with nothing due is not looked at again every 15 minutes); ``queue:<application>:
    <threshold>`` says coordinators were told about an application. The unique key is
    what makes two workers at once write it, and its emails, once.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
