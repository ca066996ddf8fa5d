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
from tests.planning import SCAN4, action_row, answer, typical_plan

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


def edit_form(text, measure="", support="", date=(14, 3, 2027), status="not_started"):
    day, month, year = date
    return {"text": text, "measure": measure, "support": support,
            "target_date--day": str(day), "target_date--month": str(month),
            "target_date--year": str(year), "status": status}


def rewrite_scan4(app, user_id, taster_support, taster_text=TASTER, taster_date=(14, 3, 2027)):
    answer(app, user_id, SCAN4, "action-plan", {"actions": [
        action_row(taster_text, taster_date, "Week booked", taster_support),
        action_row(ROTA, (2, 4, 2027)),
    ]})


def test_a_tracked_action_follows_its_worksheet_row_and_keeps_its_status(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/actions/track")
    taster = next(a for a in tracked(app, trainee.id) if a.text == TASTER)
    # The trainee sets a status on the plan, leaving the words as the worksheet has them.
    client.post(f"/plan/actions/{taster.id}", data=edit_form(
        TASTER, "Week booked", "Educational supervisor", status="in_progress"))
    rewrite_scan4(app, trainee.id, "Practice manager at Elm Surgery")
    card = action_card(page_text(client), TASTER)
    assert "Practice manager at Elm Surgery" in card and "Educational supervisor" not in card
    assert "In progress" in card
    pdf = pdf_action(pdf_text(client), TASTER, ROTA)
    assert "Support or resources: Practice manager at Elm Surgery" in pdf
    assert "Status: In progress" in pdf
    assert "Support: Practice manager at Elm Surgery" in calendar_events(client)[TASTER]
    # The form to change it starts from what the plan shows.
    form = client.get(f"/plan/actions/{taster.id}").get_data(as_text=True)
    assert 'value="Practice manager at Elm Surgery"' in form


def test_what_the_trainee_changed_on_the_plan_stays_theirs(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/actions/track")
    taster = next(a for a in tracked(app, trainee.id) if a.text == TASTER)
    own_words = "Book a taster week at Elm Surgery"
    client.post(f"/plan/actions/{taster.id}", data=edit_form(
        own_words, "Week booked", "Educational supervisor", date=(1, 5, 2027), status="done"))
    rewrite_scan4(app, trainee.id, "Practice manager", taster_text="Book a GP taster week",
                  taster_date=(30, 6, 2027))
    page = page_text(client)
    assert "Book a GP taster week" not in page.split('id="everything"')[0]
    card = action_card(page, own_words)
    # Its words and date as changed on the plan, the support it left alone from the worksheet.
    assert "1 May 2027" in card and "30 June 2027" not in card
    assert "Practice manager" in card and "Done" in card
    pdf = pdf_action(pdf_text(client), own_words, ROTA)
    assert "Target date: 1 May 2027 · Status: Done" in pdf
    assert "Support or resources: Practice manager" in pdf
