"""What the dashboard sums up: the SCAN stages, and the person's coaching application."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from careers_app.accounts.models import User
from careers_app.coaching.models import CoachingApplication
from careers_app.content.loader import ModuleRegistry
from careers_app.extensions import db
from careers_app.worksheets.catalogue import SCAN_STAGES, ModuleStatus, status_of
from careers_app.worksheets.models import ModuleProgress


@dataclass(frozen=True)
class ScanStage:
    number: int
    title: str
    modules: list[ModuleStatus]

    @property
    def completed(self) -> bool:
        return bool(self.modules) and all(m.status == "completed" for m in self.modules)


def scan_stages(registry: ModuleRegistry, progress: Mapping[str, ModuleProgress]
                ) -> list[ScanStage]:
    """The four SCAN stages in order, each with its modules' progress (no queries)."""
    return [
        ScanStage(number, title, [status_of(module, progress.get(module.slug))
                                  for module in registry if module.stage == key])
        for number, (key, title) in enumerate(SCAN_STAGES.items(), start=1)
    ]


def latest_application(user_id: int) -> CoachingApplication | None:
    """The person's newest coaching application, whatever its status, in one query: the
    coach's name is joined in; neither person's roles are read."""
    return db.session.execute(
        select(CoachingApplication).where(CoachingApplication.user_id == user_id)
        .options(lazyload(CoachingApplication.applicant),
                 joinedload(CoachingApplication.coach).lazyload(User.granted_roles))
        .order_by(CoachingApplication.created_at.desc(), CoachingApplication.id.desc())
        .limit(1)
    ).scalars().first()
