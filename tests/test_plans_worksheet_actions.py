"""Worksheet actions on the plan: the page, the PDF and the calendar say the same thing
about each one, tracked or not, and a tracked one follows its worksheet row."""

from __future__ import annotations

import io
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from careers_app.extensions import db
from careers_app.plans.models import PlanAction
from tests.planning import typical_plan

TASTER = "Book a taster week in a GP surgery"
ROTA = "Talk to two GP trainees about the rota"


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainee")
    sign_in("t@example.org")
    return user


def page_text(client) -> str:
    return re.sub(r"\s+", " ", client.get("/plan/").get_data(as_text=True))


def action_card(page: str, text: str) -> str:
    """The HTML of the plan page's card for the action ``text``."""
    start = page.rindex('<li class="app-action"', 0, page.index(text))
    return page[start:page.index("</li>", page.index(text))]


def pdf_text(client) -> str:
    data = client.get("/plan/pdf").data
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(data)).pages).split())


def pdf_action(pdf: str, text: str, until: str) -> str:
    """The PDF's lines for one action: from its text to ``until``, what follows it."""
    start = pdf.index(text)
    return pdf[start:pdf.index(until, start)]


def calendar_events(client) -> dict[str, str]:
    """Each event's summary and its description."""
    events = Calendar.from_ical(client.get("/plan/actions.ics").data).walk("VEVENT")
    return {str(event["summary"]): str(event["description"]) for event in events}


def tracked(app, user_id) -> list[PlanAction]:
    with app.app_context():
        return list(db.session.execute(
            select(PlanAction).where(PlanAction.user_id == user_id)
            .order_by(PlanAction.position)).scalars())


def test_a_deleted_worksheet_action_reads_as_not_tracked_in_the_pdf_and_calendar(
        app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/actions/track")
    taster = next(a for a in tracked(app, trainee.id) if a.text == TASTER)
    client.post(f"/plan/actions/{taster.id}/delete")
    # The worksheet still has it: the page shows it as not tracked ...
    assert "Not tracked on your plan yet" in action_card(page_text(client), TASTER)
    assert "Not started" in action_card(page_text(client), ROTA)
    # ... and so do the PDF and the calendar, in the same words, not as "Not started".
    pdf = pdf_text(client)
    assert "Status: Not tracked on your plan yet" in pdf_action(pdf, TASTER, "Support needed")
    assert "Status: Not started" in pdf_action(pdf, ROTA, TASTER)
    events = calendar_events(client)
    assert "Status: Not tracked on your plan yet" in events[TASTER]
    assert "Status: Not started" in events[ROTA]
