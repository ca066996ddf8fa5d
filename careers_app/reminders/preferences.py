"""Opting out of reminders, and in again: from the profile page or an unsubscribe link."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from careers_app.accounts.models import User
from careers_app.extensions import db
from careers_app.reminders.kinds import Kind, kinds_for
from careers_app.reminders.models import ReminderOptOut


def opted_out(user_id: int) -> set[Kind]:
    rows = db.session.execute(
        select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user_id)).scalars()
    return {Kind(kind) for kind in rows if kind in Kind._value2member_map_}


def wanted(user: User) -> list[Kind]:
    """The reminders ``user`` gets: those that apply to them and they have not stopped."""
    stopped = opted_out(user.id)
    return [kind for kind in kinds_for(user) if kind not in stopped]


def opted_out_ids(kind: Kind, user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` have stopped ``kind`` (one query)."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(db.session.execute(select(ReminderOptOut.user_id).where(
        ReminderOptOut.kind == kind.value, ReminderOptOut.user_id.in_(ids))).scalars())


def stop(user_id: int, kind: Kind) -> None:
    """Opt out of ``kind``; stopping twice (two clicks, two tabs) changes nothing."""
    if kind not in opted_out(user_id):
        db.session.add(ReminderOptOut(user_id=user_id, kind=kind.value))
    _commit()


def choose(user: User, chosen: Iterable[Kind]) -> None:
    """Keep exactly the reminders ticked among those that apply to ``user``.

    A kind that does not apply (a coordinator's, for someone who is not one) is left as
    it is, so losing a role and getting it back keeps the person's choice.
    """
    keep, stopped = set(chosen), opted_out(user.id)
    for kind in kinds_for(user):
        if kind in keep and kind in stopped:
            db.session.execute(delete(ReminderOptOut).where(
                ReminderOptOut.user_id == user.id, ReminderOptOut.kind == kind.value))
        elif kind not in keep and kind not in stopped:
            db.session.add(ReminderOptOut(user_id=user.id, kind=kind.value))
    _commit()


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        # The same opt-out written at the same moment by another request: it stands.
        db.session.rollback()
