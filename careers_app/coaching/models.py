"""Applications for 1-2-1 coaching, their appointments and coaches' private notes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careers_app.accounts.models import User
from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db
from careers_app.plans.models import PlanSnapshot


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ALLOCATED = "allocated"
    ACTIVE = "active"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "draft": "Not sent yet", "submitted": "Waiting for a coach",
            "allocated": "Coach allocated", "active": "Coaching under way", "closed": "Closed",
            "declined": "Declined", "withdrawn": "Withdrawn",
        }[self]


OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                 ApplicationStatus.ALLOCATED, ApplicationStatus.ACTIVE)


class AppointmentStatus(enum.StrEnum):
    BOOKED = "booked"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_BY_TRAINEE = "cancelled_by_trainee"
    CANCELLED_BY_COACH = "cancelled_by_coach"

    @property
    def label(self) -> str:
        return {
            "booked": "Booked", "attended": "Attended", "did_not_attend": "Did not attend",
            "cancelled_by_trainee": "Cancelled by you", "cancelled_by_coach": "Cancelled by coach",
        }[self]


class CoachingApplication(db.Model):
    # The queue (submitted, oldest first) and the coaches listed with their open cases
    # find their rows by status; without it they read every application ever made
    # (bench/scale.py).
    __table_args__ = (Index("ix_coaching_application_status_submitted_at",
                            "status", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(String(20), default=ApplicationStatus.DRAFT)
    professional_group: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str] = mapped_column(String(20), default="")
    training_number: Mapped[str] = mapped_column(String(40), default="")
    workforce_scheme: Mapped[str] = mapped_column(String(40), default="")
    current_post: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[str] = mapped_column(String(40), default="")
    hopes: Mapped[str] = mapped_column(Text, default="")
    preferred_format: Mapped[str] = mapped_column(String(20), default="")
    availability: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(default=False)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("plan_snapshot.id"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    allocated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    applicant: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id], lazy="joined")
    snapshot: Mapped[PlanSnapshot | None] = relationship(lazy="select")

    @property
    def status_label(self) -> str:
        return ApplicationStatus(self.status).label


class Appointment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_application.id", ondelete="CASCADE"), index=True
    )
    # None once the coach's account has been deleted (their past appointments stay on
    # their clients' records and count against the allowance as before).
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    minutes: Mapped[int] = mapped_column(default=60)
    format: Mapped[str] = mapped_column(String(20))
    where: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[AppointmentStatus] = mapped_column(String(30), default=AppointmentStatus.BOOKED)
    # A trainee's cancellation less than 24 hours ahead; it uses the allowance unless waived.
    late: Mapped[bool] = mapped_column(default=False)
    waived: Mapped[bool] = mapped_column(default=False)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # iCalendar SEQUENCE: raised on every change so calendars take the newest version.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def status_label(self) -> str:
        return AppointmentStatus(self.status).label

    @property
    def uses_allowance(self) -> bool:
        if self.status == AppointmentStatus.CANCELLED_BY_COACH:
            return False
        if self.status == AppointmentStatus.CANCELLED_BY_TRAINEE:
            return self.late and not self.waived
        return True


class CoachNote(db.Model):
    """A coach's private note: for that coach and coordinators, never for the trainee."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_application.id", ondelete="CASCADE"), index=True
    )
    # None once the author's account has been deleted: the note stays on the client's record.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
