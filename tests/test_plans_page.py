"""The plan page: assembled from tagged fields, summary and actions edited on the plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.plans.models import PlanAction
from tests.planning import SCAN1, SCAN3, SCAN4, action_row, answer, typical_plan


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainee")
    sign_in("t@example.org")
    return user


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def section(page: str, key: str) -> str:
    """The HTML of one plan section, from its heading to the next section's."""
    start = page.index(f'id="{key}"')
    following = page.find('class="nhsuk-heading-m app-plan-section"', start + 1)
    return page[start:following if following > 0 else None]


def actions_of(app, user_id) -> list[PlanAction]:
    with app.app_context():
        return list(db.session.execute(
            select(PlanAction).where(PlanAction.user_id == user_id)
            .order_by(PlanAction.position)).scalars())


def action_form(text, day="14", month="3", year="2027", status="not_started", **extra):
    return {"text": text, "measure": extra.get("measure", ""), "support": extra.get("support", ""),
            "target_date--day": day, "target_date--month": month, "target_date--year": year,
            "status": status}


def test_plan_assembles_tagged_fields_from_several_modules(app, client, trainee):
    typical_plan(app, trainee.id)
    page = text_of(client.get("/plan/"))
    assert "Explaining risks to patients in plain words" in section(page, "strengths")
    assert "From SCAN 1: Self awareness, step 2" in section(page, "strengths")
    values = section(page, "values")
    assert "My top values, in order" in values and "Service" in values
    # A reflection is not on the default plan: the trainee can add it from "Everything
    # I wrote".
    assert "Continuity of care matters more to me than pace" not in page
    decision = section(page, "decision")
    assert "General practice" in decision and "Long-term relationships" not in decision
    assert "Apply for core medical training" in decision  # the back-up, beside the decision
    assert 'id="contingency"' not in page  # nothing else was added to it
    actions = section(page, "actions")
    assert "Book a taster week in a GP surgery" in actions
    assert "14 March 2027" in actions and "Not tracked on your plan yet" in actions
    # Each item links to the step it came from.
    assert f'href="/modules/{SCAN3}/steps/your-decision"' in page
    assert f'href="/modules/{SCAN1}/steps/skills-audit"' in page


def test_an_empty_section_says_which_modules_fill_it(client, trainee):
    page = text_of(client.get("/plan/"))
    assert "Your plan is empty for now" in page
    strengths = section(page, "strengths")
    assert "Nothing here yet" in strengths
    assert f'href="/modules/{SCAN1}/"' in strengths
    # Sections no shared question fills appear only once the trainee adds to them.
    assert 'id="interests"' not in page


def test_a_changed_worksheet_answer_changes_the_plan(app, client, trainee):
    typical_plan(app, trainee.id)
    answer(app, trainee.id, SCAN3, "your-decision", {"first-choice": "Paediatrics"})
    decision = section(text_of(client.get("/plan/")), "decision")
    assert "Paediatrics" in decision and "General practice" not in decision


def test_summary_round_trips(client, trainee):
    response = client.post("/plan/summary", data={"summary": "  GP in south London by 2029.  "})
    assert response.status_code == 302
    assert "GP in south London by 2029." in section(text_of(client.get("/plan/")), "summary")
    assert "GP in south London by 2029." in text_of(client.get("/plan/summary"))


def test_actions_are_added_edited_reordered_and_deleted_on_the_plan(app, client, trainee):
    for text in ("First action", "Second action", "Third action"):
        assert client.post("/plan/actions/new", data=action_form(text)).status_code == 302
    first, second, third = actions_of(app, trainee.id)

    response = client.post(f"/plan/actions/{second.id}", data=action_form(
        "Second action, sharper", day="1", month="5", year="2027", status="in_progress",
        measure="A reply in writing", support="My supervisor"))
    assert response.status_code == 302
    edited = actions_of(app, trainee.id)[1]
    assert (edited.text, edited.target_date, edited.status, edited.measure, edited.support) == (
        "Second action, sharper", dt.date(2027, 5, 1), "in_progress", "A reply in writing",
        "My supervisor")
    page = text_of(client.get(f"/plan/actions/{second.id}"))
    assert 'value="Second action, sharper"' in page and 'value="2027"' in page

    client.post(f"/plan/actions/{third.id}/move", data={"direction": "up"})
    client.post(f"/plan/actions/{first.id}/move", data={"direction": "up"})  # already first
    assert [a.text for a in actions_of(app, trainee.id)] == [
        "First action", "Third action", "Second action, sharper"]
    page = text_of(client.get("/plan/"))
    assert page.index("Third action") < page.index("Second action, sharper")
    assert "In progress" in page

    assert "Delete this action?" in text_of(client.get(f"/plan/actions/{first.id}/delete"))
    assert client.post(f"/plan/actions/{first.id}/delete").status_code == 302
    assert [a.text for a in actions_of(app, trainee.id)] == ["Third action",
                                                             "Second action, sharper"]


def test_worksheet_actions_are_tracked_once_and_keep_their_source(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/actions/track")
    client.post("/plan/actions/track")
    tracked = actions_of(app, trainee.id)
    assert [a.text for a in tracked] == ["Book a taster week in a GP surgery",
                                         "Talk to two GP trainees about the rota"]
    assert tracked[0].source_key == f"{SCAN4}/action-plan/actions/0"
    client.post(f"/plan/actions/{tracked[0].id}", data=action_form(
        tracked[0].text, status="done"))
    page = text_of(client.get("/plan/"))
    assert "Not tracked on your plan yet" not in page
    assert "From SCAN 4: Next steps, step 4" in section(page, "actions")
    assert "Done" in section(page, "actions")


def test_another_persons_action_is_404(app, client, trainee, make_user, sign_in):
    client.post("/plan/actions/new", data=action_form("Mine"))
    (mine,) = actions_of(app, trainee.id)
    make_user("other@example.org")
    client = app.test_client()
    sign_in("other@example.org", test_client=client)
    assert client.get(f"/plan/actions/{mine.id}").status_code == 404
    assert client.post(f"/plan/actions/{mine.id}", data=action_form("Stolen")).status_code == 404
    assert client.post(f"/plan/actions/{mine.id}/move", data={"direction": "up"}).status_code == 404
    assert client.post(f"/plan/actions/{mine.id}/delete").status_code == 404
    assert actions_of(app, trainee.id)[0].text == "Mine"


def test_dashboard_lists_overdue_and_soon_due_actions_only(app, client, trainee):
    today = uk_today()
    for text, when, status in (
        ("Overdue action", today - dt.timedelta(days=3), "in_progress"),
        ("Due in ten days", today + dt.timedelta(days=10), "not_started"),
        ("Due in a month", today + dt.timedelta(days=30), "not_started"),
        ("Overdue but done", today - dt.timedelta(days=1), "done"),
    ):
        client.post("/plan/actions/new", data=action_form(
            text, str(when.day), str(when.month), str(when.year), status))
    page = text_of(client.get("/dashboard"))
    assert "Actions due soon" in page
    overdue = page[page.index("Overdue action") - 120:page.index("Overdue action")]
    assert re.search(r">\s*Overdue\s*</strong>", overdue)
    assert "Due in ten days" in page
    assert "Due in a month" not in page and "Overdue but done" not in page
    assert page.index("Overdue action") < page.index("Due in ten days")


def test_calendar_has_one_all_day_event_per_dated_action_with_stable_uids(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/actions/new", data=action_form("Plan-only action", "9", "6", "2027"))
    response = client.get("/plan/actions.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == {"Book a taster week in a GP surgery",
                           "Talk to two GP trainees about the rota", "Plan-only action"}
    taster = events["Book a taster week in a GP surgery"]
    assert taster.decoded("dtstart") == dt.date(2027, 3, 14)
    assert taster.decoded("dtend") == dt.date(2027, 3, 15)
    uids = {name: str(event["uid"]) for name, event in events.items()}
    # Tracking a worksheet action on the plan keeps its event's UID: calendars update it.
    client.post("/plan/actions/track")
    again = Calendar.from_ical(client.get("/plan/actions.ics").data).walk("VEVENT")
    assert {str(e["summary"]): str(e["uid"]) for e in again} == uids
    assert len(set(uids.values())) == 3


def test_worksheet_rows_without_an_action_are_left_out(app, client, trainee):
    answer(app, trainee.id, SCAN4, "action-plan", {"actions": [
        action_row("", (1, 1, 2027), measure="Only a measure"),
        action_row("A real action", (1, 2, 2027)),
    ]})
    actions = section(text_of(client.get("/plan/")), "actions")
    assert "A real action" in actions and "Only a measure" not in actions


def test_dashboard_lists_worksheet_actions_due_soon_from_any_module(app, client, trainee):
    soon, later = uk_today() + dt.timedelta(days=5), uk_today() + dt.timedelta(days=40)
    answer(app, trainee.id, SCAN4, "action-plan", {"actions": [
        action_row("Worksheet action due soon", (soon.day, soon.month, soon.year)),
        action_row("Worksheet action due later", (later.day, later.month, later.year))]})
    answer(app, trainee.id, SCAN1, "work-values", {"values-reflection": "Not an action"})
    page = text_of(client.get("/dashboard"))
    assert "Worksheet action due soon" in page
    assert "Worksheet action due later" not in page and "Not an action" not in page


def test_each_action_card_shows_its_date_status_measure_and_support(app, client, trainee):
    client.post("/plan/actions/new", data=action_form(
        "Ask for a taster week", day="1", month="5", year="2027", status="in_progress",
        measure="A date agreed\nwith the rota coordinator", support="My supervisor"))
    card = section(client.get("/plan/").get_data(as_text=True), "actions")
    details = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
               for row in re.findall(r'<div class="nhsuk-summary-list__row">(.*?)</div>', card,
                                     re.S)]
    assert details == ["Target date 1 May 2027", "Status In progress",
                       "How I will know it is done A date agreed with the rota coordinator",
                       "Support or resources My supervisor"]
    # The trainee's line break is kept (pre-wrap), with no blank line before the words.
    assert '<span class="app-answer-text">A date agreed\nwith the rota coordinator</span>' in card
