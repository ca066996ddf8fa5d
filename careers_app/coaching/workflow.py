"""The one place an application changes state: illegal moves are refused, legal ones logged."""

from __future__ import annotations

from careers_app.audit import record
from careers_app.coaching.models import ApplicationStatus as S
from careers_app.coaching.models import CoachingApplication
from careers_app.db import utcnow

ALLOWED: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ALLOCATED, S.DECLINED, S.WITHDRAWN}),
    S.ALLOCATED: frozenset({S.ACTIVE, S.CLOSED, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.CLOSED, S.WITHDRAWN}),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
FINISHED = (S.CLOSED, S.DECLINED, S.WITHDRAWN)


class IllegalTransition(ValueError):
    """A move the workflow does not allow, such as allocating a withdrawn application."""


def transition(application: CoachingApplication, to: S, actor_id: int) -> None:
    """Move ``application`` to ``to`` and write who did it and when to the audit log.

    The caller commits, so the change and its audit record land together or not at all.
    """
    current = S(application.status)
    if to not in ALLOWED[current]:
        raise IllegalTransition(f"an application that is {current.value} cannot become {to.value}")
    now = utcnow()
    application.status = to
    application.updated_at = now
    if to == S.SUBMITTED:
        application.submitted_at = now
    elif to == S.ALLOCATED:
        application.allocated_at = now
    elif to in FINISHED:
        application.finished_at = now
    record(actor_id, f"application_{to.value}", "coaching_application", application.id,
           application.user_id)
