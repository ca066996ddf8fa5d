"""Snapshots, shares with coaches, coaches' comments and the record of who looked.

A coach reaches a plan only through a share that is theirs, not revoked and not past
its last day; anything else is reported as absent, so nothing reveals that it exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from flask import render_template
from sqlalchemy import func, select

from careers_app.accounts.models import User, UserRole
from careers_app.audit import AuditEvent, events_about, record
from careers_app.content.loader import ModuleRegistry
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.logs import log_event
from careers_app.mail import send_email
from careers_app.plans.models import PlanComment, PlanShare, PlanSnapshot, ShareMode
from careers_app.plans.rendering import cached_plan_pdf, render_snapshot_soon
from careers_app.plans.service import assemble
from careers_app.security import Role

DEFAULT_SHARE_DAYS = 30
MAX_SHARE_DAYS = 90
PLAN_TARGETS = ("plan_share", "plan_snapshot", "plan_comment")


class CoachNotFound(LookupError):
    """No single coach matches; the message says what to do and nothing more."""


def take_snapshot(user: User, registry: ModuleRegistry, reason: str, *,
                  appendix: bool = False) -> PlanSnapshot:
    """Freeze the plan's content as it is now, with its PDF and the PDF's SHA-256 when
    that content's PDF is already made. Otherwise, once the caller has committed, call
    ``rendering.render_snapshot_soon`` and a job makes the PDF from the frozen content.
    The content records whether "Everything I wrote" was included (``with_appendix``)."""
    # A snapshot is printed with the standard settings (it is the record a coach reads),
    # so the live PDF can stand in for it only when that was printed the same way: the
    # settings are part of the hash.
    plan = assemble(user, registry, appendix=appendix, standard_print=True)
    pdf = cached_plan_pdf(user.id, plan.hash)
    snapshot = PlanSnapshot(user_id=user.id, reason=reason, content=plan.document, pdf=pdf,
                            sha256=hashlib.sha256(pdf).hexdigest() if pdf else None,
                            created_at=utcnow())
    db.session.add(snapshot)
    db.session.flush()
    record(user.id, "snapshot_taken", "plan_snapshot", snapshot.id, user.id)
    return snapshot


def find_coach(name_or_email: str) -> User:
    """The one coach with this email address, or else with exactly this full name."""
    wanted = name_or_email.strip().casefold()
    column = User.email if "@" in wanted else User.full_name
    coaches = list(db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.COACH, func.lower(column) == wanted)
        .limit(2)
    ).unique().scalars())
    if len(coaches) == 1:
        return coaches[0]
    if len(coaches) > 1:
        raise CoachNotFound("More than one coach has that name: enter their email address")
    raise CoachNotFound(
        "We could not find a coach with that name or email address. Check it with your "
        "coach, or ask the careers unit which address to use"
    )


def create_share(owner: User, coach: User, mode: ShareMode, expires_on: dt.date,
                 registry: ModuleRegistry, *, appendix: bool = False) -> PlanShare:
    snapshot = (take_snapshot(owner, registry, "share", appendix=appendix)
                if mode == ShareMode.SNAPSHOT else None)
    share = PlanShare(owner_id=owner.id, coach_id=coach.id, mode=mode, expires_on=expires_on,
                      snapshot_id=snapshot.id if snapshot else None, created_at=utcnow(),
                      with_appendix=appendix)
    db.session.add(share)
    db.session.flush()
    record(owner.id, "share_created", "plan_share", share.id, owner.id)
    db.session.commit()
    log_event("share_created", share_id=share.id, coach_id=coach.id, mode=mode)
    if snapshot is not None and snapshot.pdf is None:
        render_snapshot_soon(snapshot.id)
    return share


def shares_of(owner_id: int) -> list[PlanShare]:
    return list(db.session.execute(
        select(PlanShare).where(PlanShare.owner_id == owner_id)
        .order_by(PlanShare.created_at.desc(), PlanShare.id.desc())
    ).scalars())


def find_own_share(owner_id: int, share_id: int) -> PlanShare | None:
    share = db.session.get(PlanShare, share_id)
    return share if share is not None and share.owner_id == owner_id else None


def revoke_share(share: PlanShare) -> None:
    revoking = share.revoked_at is None
    if revoking:
        share.revoked_at = utcnow()
        record(share.owner_id, "share_revoked", "plan_share", share.id, share.owner_id)
    db.session.commit()
    if revoking:
        log_event("share_revoked", share_id=share.id, coach_id=share.coach_id)


def get_share_for_coach(coach_id: int, share_id: int, today: dt.date) -> PlanShare | None:
    """The share, only while it is this coach's, unrevoked and not expired."""
    share = db.session.get(PlanShare, share_id)
    if share is None or share.coach_id != coach_id or not share.is_active(today):
        return None
    return share


def shares_for_coach(coach_id: int, today: dt.date) -> list[PlanShare]:
    return list(db.session.execute(
        select(PlanShare)
        .where(PlanShare.coach_id == coach_id, PlanShare.revoked_at.is_(None),
               PlanShare.expires_on >= today)
        .order_by(PlanShare.created_at.desc())
    ).scalars())


def record_share_view(share: PlanShare, coach_id: int, action: str = "share_viewed") -> None:
    """Write down that the coach looked, for the trainee's receipt and the audit log."""
    share.last_viewed_at = utcnow()
    record(coach_id, action, "plan_share", share.id, share.owner_id)
    db.session.commit()


def add_comment(share: PlanShare, author: User, section: str, body: str) -> PlanComment:
    comment = PlanComment(share_id=share.id, author_id=author.id, section=section, body=body,
                          created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    record(author.id, "comment_added", "plan_comment", comment.id, share.owner_id)
    # The email says who commented, not what: the words stay behind the sign-in.
    send_email(share.owner.email, "A coach commented on your action plan",
               render_template("email/plan_comment.txt", owner=share.owner, coach=author,
                               link=external_url("plans.index")),
               key=f"plan-comment:{comment.id}")
    db.session.commit()
    return comment


def comments_by_section(share_ids: list[int]) -> dict[str, list[PlanComment]]:
    """Comments on the given shares, oldest first, grouped by the section they are about."""
    grouped: dict[str, list[PlanComment]] = defaultdict(list)
    if not share_ids:
        return grouped
    rows = db.session.execute(
        select(PlanComment).where(PlanComment.share_id.in_(share_ids))
        .order_by(PlanComment.created_at, PlanComment.id)
    ).scalars()
    for comment in rows:
        grouped[comment.section].append(comment)
    return grouped


def plan_log(owner_id: int) -> list[AuditEvent]:
    """What has happened to this person's plan: shares, views, downloads and comments."""
    return events_about(owner_id, PLAN_TARGETS)
