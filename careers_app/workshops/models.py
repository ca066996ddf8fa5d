"""Workshops, the modules assigned for them, who joined, and modules a member chose to show."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.accounts.models import User
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db

FORMATS = {"in_person": "In person", "online": "Online workshop", "webinar": "Webinar"}


class Workshop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                                index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    format: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ReminderDay(db.Model):
    """A day (UK date) on which the facilitator reminded a workshop's members.

    Reminders go at most once a day per workshop. The unique key enforces it, so two
    requests that both saw no reminder yet cannot both send one.
    """

    __table_args__ = (UniqueConstraint("workshop_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    sent_on: Mapped[dt.date] = mapped_column(Date)


class Assignment(db.Model):
    __table_args__ = (UniqueConstraint("workshop_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    module_slug: Mapped[str] = mapped_column(String(60))
    # Either a fixed date, or a number of days before (negative) or after the workshop.
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    days_from_workshop: Mapped[int | None]


class Membership(db.Model):
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[User] = relationship(lazy="joined")
    workshop: Mapped[Workshop] = relationship(lazy="joined")


class ModuleShow(db.Model):
    """A member's choice to let the facilitator read their answers to one module."""

    __table_args__ = (UniqueConstraint("membership_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"),
                                               index=True)
    module_slug: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
