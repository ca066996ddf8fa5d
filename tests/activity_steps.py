"""Reading the audit log and the trainee's "Who has seen your information" page in tests."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from careers_app.audit import AuditEvent
from careers_app.extensions import db
from careers_app.worksheets.presenters import uk_time


def events_about(app, subject_id: int) -> list[tuple[str, int | None, str, int | None]]:
    """(action, actor_id, target_type, target_id) of every event about the person, oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.target_type,
                   AuditEvent.target_id)
            .where(AuditEvent.subject_id == subject_id).order_by(AuditEvent.id))]


def times_of(app, subject_id: int) -> list[str]:
    """When each event about the person happened, newest first, as the page says it."""
    with app.app_context():
        return [uk_time(at) for at in db.session.execute(
            select(AuditEvent.at).where(AuditEvent.subject_id == subject_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())).scalars()]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def activity_rows(client, page: int | None = None) -> list[tuple[str, str, str]]:
    """(when, who, what) of each row of the trainee's activity page, top to bottom."""
    response = client.get("/account/activity" + (f"?page={page}" if page else ""))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    tbody = re.search(r'<tbody class="nhsuk-table__body">(.*?)</tbody>', body, re.S)
    if tbody is None:
        return []
    rows = []
    for row in re.findall(r'<tr class="nhsuk-table__row" role="row">(.*?)</tr>', tbody.group(1),
                          re.S):
        # Each cell is led by its column's heading (for phones), hidden from screen readers.
        cells = [re.sub(r'<span class="nhsuk-table__heading" aria-hidden="true">[^<]*</span>',
                        "", cell, count=1)
                 for cell in re.findall(r'<td class="nhsuk-table__cell" role="cell">(.*?)</td>',
                                        row, re.S)]
        assert len(cells) == 3, row
        rows.append(tuple(_text(cell) for cell in cells))
    return rows
