"""The audit log: who did what about whom (their plan, application, appointments, shown
answers, roles), and when. The person an event is about reads it at /account/activity.

An event names people and objects by id only; it never holds what anyone wrote.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.accounts.models import User
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db
from careers_app.refused_posts import only_showing_the_form


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The person whose information the event is about: they may read their own log.
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None]
    # A code from a fixed list (say why an account was deleted), never free text.
    reason: Mapped[str | None] = mapped_column(String(40))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")


def record(
    actor_id: int | None, action: str, target_type: str, target_id: int | None,
    subject_id: int | None, reason: str | None = None,
) -> AuditEvent:
    """Add an event to the current transaction; it is saved with the change it describes."""
    event = AuditEvent(actor_id=actor_id, action=action, target_type=target_type,
                       target_id=target_id, subject_id=subject_id, reason=reason)
    db.session.add(event)
    return event


def record_look(actor_id: int, action: str, target_type: str, target_id: int,
                subject_id: int) -> None:
    """Write down at once that someone looked at another person's information.

    Nothing is written while a view only shows a refused form back (no commit is allowed
    then, and the person already looked when the page was first drawn), nor when a
    person looks at their own information.
    """
    if only_showing_the_form() or actor_id == subject_id:
        return
    record(actor_id, action, target_type, target_id, subject_id)
    db.session.commit()


def events_about(
    subject_id: int, target_types: tuple[str, ...], limit: int = 200
) -> list[AuditEvent]:
    """The most recent events about one person's objects of the given kinds, newest first."""
    return list(db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.subject_id == subject_id, AuditEvent.target_type.in_(target_types))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).scalars())
