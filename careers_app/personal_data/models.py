"""One "Download my data" request: its progress, then the ZIP for 7 days."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from careers_app.db import UTCDateTime, utcnow
from careers_app.extensions import db


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"        # waiting for a worker
    COLLECTING = "collecting"  # reading the person's rows into data.json and the pages
    PDF = "pdf"              # making the plan's PDF
    PACKING = "packing"      # writing the ZIP
    READY = "ready"          # the ZIP can be downloaded until expires_at
    FAILED = "failed"        # not made (the kind of failure only, never any text)
    EXPIRED = "expired"      # past expires_at: the ZIP has been deleted


BUILDING = (ExportStatus.QUEUED, ExportStatus.COLLECTING, ExportStatus.PDF,
            ExportStatus.PACKING)


class DataExport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The person's id while this export is being built, NULL otherwise: the unique
    # constraint makes a second request (two presses, two tabs, two instances) find the
    # first one instead of starting another.
    building_for: Mapped[int | None] = mapped_column(Integer, unique=True)
    status: Mapped[ExportStatus] = mapped_column(String(12), default=ExportStatus.QUEUED)
    failure: Mapped[str] = mapped_column(String(20), default="")
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    # Files a person downloads are kept in the database, so every instance can serve
    # them (docs/architecture: instances are stateless). Deleted when it expires.
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
