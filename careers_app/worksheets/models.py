"""A trainee's answers, one row per step, and their progress through each module.

Rows are keyed by the stable ids in the module files (slug, step id), never by
position, so a module's wording can change without touching anyone's answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db

SLUG_LENGTH = 60


class StepAnswer(db.Model):
    """What one person wrote on one step. ``version`` goes up by one on every save and
    is checked in the UPDATE itself, so a stale tab can never overwrite newer answers."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    step_id: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Set by "Save and continue" once the step passes its full check; a later save
    # that leaves the step incomplete clears it.
    completed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When each answer last changed, by field id (ISO 8601, UTC), so the plan can show the
    # newest answer to a question several modules ask. Rows saved before this was kept
    # have none: their answers count as given at ``updated_at``.
    answered_at: Mapped[dict[str, str] | None] = mapped_column(JSON)


class StepRevision(db.Model):
    """Earlier saved versions of a step, and copies refused as stale (``conflict``), so
    no acknowledged answer and no text from a losing tab is ever thrown away."""

    id: Mapped[int] = mapped_column(primary_key=True)
    step_answer_id: Mapped[int] = mapped_column(
        ForeignKey("step_answer.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    conflict: Mapped[bool] = mapped_column(default=False)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModuleProgress(db.Model):
    """One row per person and module they have opened: enough for the dashboard,
    the catalogue and workshop reports without reading any answers."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_step_id: Mapped[str | None] = mapped_column(String(SLUG_LENGTH))
    steps_completed: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
