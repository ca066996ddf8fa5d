"""What the careers unit keeps after an account is deleted, and retention warnings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db


class CoachingOutcome(db.Model):
    """One coaching application of a deleted account, with nothing that names anyone.

    No person's, application's or coach's id, no text and no exact day: the month the
    application was made, the group and region the careers unit reports by, how it
    ended and how many appointments of each kind it had. The careers unit's figures
    (applications per group and region, the 14-day reply, appointments used) stay whole.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, index=True)  # always the 1st of the month
    professional_group: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(20))
    # An application status ("closed", "declined", "withdrawn"), or "open_at_deletion".
    outcome: Mapped[str] = mapped_column(String(20))
    days_to_reply: Mapped[int | None] = mapped_column(Integer)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    did_not_attend: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_by_trainee: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_late: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_by_coach: Mapped[int] = mapped_column(Integer, default=0)
    # Booked appointments cancelled because the account was deleted.
    cancelled_at_deletion: Mapped[int] = mapped_column(Integer, default=0)


class RetentionWarning(db.Model):
    """An inactive account's warning: sent once, then the account goes at ``deletes_at``
    unless its owner signs in first (which removes this row)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         unique=True)
    warned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deletes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
