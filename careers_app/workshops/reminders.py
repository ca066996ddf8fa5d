"""Reminding members who have not completed a module: a preview, then at most once a day."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from careers_app.extensions import db
from careers_app.links import external_url
from careers_app.mail import send_email
from careers_app.workshops import service
from careers_app.workshops.models import Membership, ReminderDay, Workshop
from careers_app.workshops.progress import Column, Matrix


def recipients(matrix: Matrix, column: Column) -> list[Membership]:
    index = matrix.columns.index(column)
    return [row.membership for row in matrix.rows if row.cells[index].status != "completed"]


def text(workshop: Workshop, column: Column, name: str) -> str:
    """The email, word for word, as the preview shows it."""
    due = column.due
    return (
        f"Hello {name},\n\n"
        f"This is a reminder from {current_app.config['SERVICE_NAME']} about the workshop "
        f"\"{workshop.title}\". Please complete the module \"{column.title}\" by "
        f"{due.day} {due:%B %Y}.\n\n"
        f"You can carry on where you left off:\n"
        f"{external_url('worksheets.resume', slug=column.assignment.module_slug)}\n\n"
        "Your facilitator sees how far you have got, never what you write.\n"
    )


def sent_today(workshop: Workshop) -> bool:
    """Whether today's (UK date) reminder for ``workshop`` has gone."""
    return db.session.execute(select(ReminderDay.id).where(
        ReminderDay.workshop_id == workshop.id, ReminderDay.sent_on == service.today())
    ).first() is not None


def send(workshop: Workshop, column: Column, members: list[Membership]) -> int | None:
    """Email ``members``; None, and nothing sent, when today's reminder has already gone.

    The day and the emails are committed together: of two requests at once, the second
    breaks the unique key on the day (whatever ``sent_today`` told it), and its emails
    are rolled back with it.
    """
    day = ReminderDay(workshop_id=workshop.id, sent_on=service.today())
    db.session.add(day)
    for membership in members:
        send_email(membership.member.email, f"Reminder: {column.title}",
                   text(workshop, column, membership.member.full_name))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return len(members)
