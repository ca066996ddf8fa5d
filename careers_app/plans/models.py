"""A trainee's action plan: summary, actions, frozen snapshots, shares and comments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.accounts.models import User
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}[self]


class ShareMode(enum.StrEnum):
    SNAPSHOT = "snapshot"  # the plan as it was when shared
    LIVE = "live"  # the plan as it is whenever the coach looks


class ActionPlan(db.Model):
    """What belongs to the plan itself rather than to a worksheet. (Its PDFs are kept on
    their renders: ``PdfRender.pdf``.)"""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanAction(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    measure: Mapped[str] = mapped_column(String(500), default="")
    support: Mapped[str] = mapped_column(String(500), default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(String(20), default=ActionStatus.NOT_STARTED)
    # Set when the action was brought over from a worksheet row: "slug/step/field/row".
    source_key: Mapped[str | None] = mapped_column(String(250))
    # Of text, measure, support and target_date, those the trainee changed on the plan
    # (comma-separated): the others follow the worksheet row (careers_app/plans/following.py).
    own_fields: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanChoice(db.Model):
    """A trainee's choice to add an answer to their plan, or to take one off it.

    ``item_key`` is "<module>/<step>/<field>" for one answer, or "question:<id>" for a
    question several modules ask. A choice for an answer that no longer exists is ignored.
    """

    __table_args__ = (UniqueConstraint("user_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(250))
    included: Mapped[bool] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanSnapshot(db.Model):
    """An immutable copy of the plan as sent: content, PDF and its SHA-256."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Empty until the render job has made the PDF from ``content`` (careers_app/plans/
    # rendering.py); the content itself is frozen at once.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64))


class RenderStatus(enum.StrEnum):
    QUEUED = "queued"        # waiting for a worker (or for its next attempt)
    RENDERING = "rendering"  # a worker's child process is making it
    READY = "ready"
    FAILED = "failed"        # no more attempts: listed for coordinators


class PdfRender(db.Model):
    """One PDF being made: a person's live plan with a given content hash, or a snapshot.

    ``key`` says which ("plan:<user id>:<hash>" or "snapshot:<id>"), so asking twice for
    the same PDF finds the one row. Only the kind of a failure is kept, never the text.
    A live plan's PDF, once made, is kept here: the hash covers whether "Everything I
    wrote" is in it and how it is printed, so each kind has a row of its own. (A
    snapshot's PDF is kept on the snapshot.)
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_snapshot.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[RenderStatus] = mapped_column(String(10), default=RenderStatus.QUEUED,
                                                 index=True)
    failure: Mapped[str] = mapped_column(String(20), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pages: Mapped[int | None] = mapped_column(Integer)


class PlanShare(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    mode: Mapped[ShareMode] = mapped_column(String(10))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("plan_snapshot.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last day (in UK time) on which the coach can open the plan.
    expires_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whether the coach also sees "Everything I wrote", chosen when sharing.
    with_appendix: Mapped[bool] = mapped_column(default=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    coach: Mapped[User] = relationship(foreign_keys=[coach_id], lazy="joined")
    snapshot: Mapped[PlanSnapshot | None] = relationship(lazy="select")

    def is_active(self, today: date) -> bool:
        return self.revoked_at is None and today <= self.expires_on


class PlanComment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(
        ForeignKey("plan_share.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
