"""Every look at a trainee's information writes one audit event, and the trainee reads it
in plain words on "Who has seen your information", with who, in which role, and when."""

from __future__ import annotations

import datetime as dt

import pytest

from careers_app.clock import uk_today
from careers_app.security import Role
from tests.activity_steps import activity_rows, events_about, times_of
from tests.coaching_steps import APPLICATION, apply, only_application, signed_in_clients
from tests.planning import typical_plan
from tests.workshop_steps import SCAN2, assign_form, the_workshop, workshop_form, write_markers

APPLICATION_WORDS = "your application for careers coaching"


@pytest.fixture
def people(app, make_user, sign_in):
    """Signed-in clients: a trainee, a coordinator, a coach and a facilitator."""
    accounts = {
        "trainee": ("t@example.org", "Alex Trainee", ()),
        "coordinator": ("co@example.org", "Chris Coordinator", (Role.COORDINATOR,)),
        "coach": ("coach@example.org", "Sam Coach", (Role.COACH,)),
        "facilitator": ("f@example.org", "Jo Facilitator", (Role.FACILITATOR,)),
    }
    return signed_in_clients(app, make_user, sign_in, accounts)


def _new_events(app, people, before):
    return events_about(app, people["trainee_user"].id)[len(before):]


def _newest_row(app, people):
    """The top row of the trainee's page, checked to be the newest event's time."""
    rows = activity_rows(people["trainee"])
    assert rows[0][0] == times_of(app, people["trainee_user"].id)[0]
    return rows[0][1:]


def _submitted(app, people, *, attach=False):
    if attach:
        typical_plan(app, people["trainee_user"].id)
        people["trainee"].post("/coaching/apply", data={**APPLICATION, "action": "attach"})
    assert apply(people["trainee"]).status_code == 302
    return only_application(app)


def test_a_coordinator_looking_at_an_application_is_one_event_the_trainee_reads(app, people):
    application = _submitted(app, people)
    before = events_about(app, people["trainee_user"].id)
    page = people["coordinator"].get(f"/coaching/queue/{application.id}")
    assert page.status_code == 200
    assert _new_events(app, people, before) == [
        ("application_viewed_by_coordinator", people["coordinator_user"].id,
         "coaching_application", application.id)]
    assert _newest_row(app, people) == ("Chris Coordinator (coaching coordinator)",
                                        f"Looked at {APPLICATION_WORDS}")
    # The record says who looked, never what the trainee wrote.
    text = people["trainee"].get("/account/activity").get_data(as_text=True)
    assert APPLICATION["hopes"] not in text and APPLICATION["availability"] not in text


def test_the_attached_plan_downloaded_by_a_coordinator_and_the_coach(app, people):
    application = _submitted(app, people, attach=True)
    url = f"/coaching/applications/{application.id}/plan.pdf"
    own = people["trainee"].get(url)
    assert own.data.startswith(b"%PDF")
    before = events_about(app, people["trainee_user"].id)
    assert people["coordinator"].get(url).data.startswith(b"%PDF")
    assert _new_events(app, people, before) == [
        ("attached_plan_downloaded_by_coordinator", people["coordinator_user"].id,
         "coaching_application", application.id)]  # the trainee's own download is not a look
    assert _newest_row(app, people) == (
        "Chris Coordinator (coaching coordinator)",
        f"Downloaded the action plan attached to {APPLICATION_WORDS}")

    people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    before = events_about(app, people["trainee_user"].id)
    assert people["coach"].get(url).data.startswith(b"%PDF")
    assert _new_events(app, people, before) == [
        ("attached_plan_downloaded_by_coach", people["coach_user"].id,
         "coaching_application", application.id)]
    assert _newest_row(app, people) == (
        "Sam Coach (coach)", f"Downloaded the action plan attached to {APPLICATION_WORDS}")


def test_the_coach_opening_their_client_is_one_event_the_trainee_reads(app, people):
    application = _submitted(app, people)
    people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "allocate", "allocate-coach": str(people["coach_user"].id)})
    assert _newest_row(app, people) == ("Chris Coordinator (coaching coordinator)",
                                        f"Allocated a coach to {APPLICATION_WORDS}")
    before = events_about(app, people["trainee_user"].id)
    assert people["coach"].get(f"/coaching/caseload/{application.id}").status_code == 200
    assert _new_events(app, people, before) == [
        ("application_viewed_by_coach", people["coach_user"].id, "coaching_application",
         application.id)]
    assert _newest_row(app, people) == ("Sam Coach (coach)",
                                        f"Looked at {APPLICATION_WORDS} and your appointments")


def test_a_coach_reading_and_downloading_a_shared_plan(app, people):
    typical_plan(app, people["trainee_user"].id)
    until = uk_today() + dt.timedelta(days=30)
    assert people["trainee"].post("/plan/shares/new", data={
        "coach": "coach@example.org", "mode": "live", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    }).status_code == 302
    (_, _, _, share_id), = [e for e in events_about(app, people["trainee_user"].id)
                            if e[0] == "share_created"]
    assert _newest_row(app, people) == ("You", "Shared your action plan with Sam Coach")
    before = events_about(app, people["trainee_user"].id)
    assert people["coach"].get(f"/shared-with-me/{share_id}").status_code == 200
    assert _new_events(app, people, before) == [
        ("share_viewed", people["coach_user"].id, "plan_share", share_id)]
    assert _newest_row(app, people) == ("Sam Coach (coach)",
                                        "Looked at the action plan you shared with them")
    before = events_about(app, people["trainee_user"].id)
    assert people["coach"].get(f"/shared-with-me/{share_id}/pdf").data.startswith(b"%PDF")
    assert _new_events(app, people, before) == [
        ("share_pdf_downloaded", people["coach_user"].id, "plan_share", share_id)]
    assert _newest_row(app, people) == (
        "Sam Coach (coach)", "Downloaded the PDF of the action plan you shared with them")


def test_a_facilitator_reading_shown_answers_is_one_event_naming_the_workshop(app, people):
    facilitator = people["facilitator"]
    facilitator.post("/workshops/new", data=workshop_form(title="Interviews in KSS"))
    workshop = the_workshop(app)
    facilitator.post(f"/workshops/{workshop.id}", data=assign_form(SCAN2))
    people["trainee"].post("/workshops/join", data={"code": workshop.join_code,
                                                    "action": "confirm"})
    write_markers(app, people["trainee_user"].id, SCAN2, "MARKERSHOWNQ")
    page = people["trainee"].get("/dashboard").get_data(as_text=True)
    membership_id = int(page.split("/workshops/memberships/")[1].split("/")[0])
    people["trainee"].post(f"/workshops/memberships/{membership_id}/show/{SCAN2}",
                           data={"shown": "yes"})
    before = events_about(app, people["trainee_user"].id)
    shown = facilitator.get(f"/workshops/{workshop.id}/members/{membership_id}/modules/{SCAN2}")
    assert "MARKERSHOWNQ" in shown.get_data(as_text=True)
    assert _new_events(app, people, before) == [
        ("shown_answers_viewed", people["facilitator_user"].id, "workshop", workshop.id)]
    assert _newest_row(app, people) == (
        "Jo Facilitator (workshop facilitator)",
        "Looked at answers you chose to show to the workshop “Interviews in KSS”")
    assert "MARKERSHOWNQ" not in people["trainee"].get("/account/activity").get_data(
        as_text=True)


def test_each_role_granted_or_removed_is_one_event_about_that_person(app, people):
    coordinator, person = people["coordinator"], people["trainee_user"]
    coordinator.post(f"/admin/users/{person.id}/roles", data={"roles": ["coach", "facilitator"]})
    assert events_about(app, person.id) == [
        ("role_granted_coach", people["coordinator_user"].id, "user", person.id),
        ("role_granted_facilitator", people["coordinator_user"].id, "user", person.id)]
    coordinator.post(f"/admin/users/{person.id}/roles", data={"roles": ["facilitator"]})
    assert events_about(app, person.id)[2:] == [
        ("role_removed_coach", people["coordinator_user"].id, "user", person.id)]
    coordinator.post(f"/admin/users/{person.id}/roles", data={"roles": ["facilitator"]})
    assert len(events_about(app, person.id)) == 3  # saving the same roles changes nothing
    rows = [row[1:] for row in activity_rows(people["trainee"])]
    who = "Chris Coordinator (coaching coordinator)"
    assert rows[0] == (who, "Took away your coach role")
    assert sorted(rows[1:]) == [(who, "Gave you the coach role"),
                                (who, "Gave you the workshop facilitator role")]


def test_a_refused_post_shown_back_is_not_a_second_look(app, people):
    application = _submitted(app, people)
    people["coordinator"].get(f"/coaching/queue/{application.id}")
    before = events_about(app, people["trainee_user"].id)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production, once everyone is signed in
    refused = people["coordinator"].post(f"/coaching/queue/{application.id}", data={
        "action": "decline", "decline-reason": "No token"})
    assert refused.status_code == 400
    assert "Application from Alex Trainee" in refused.get_data(as_text=True)
    assert events_about(app, people["trainee_user"].id) == before
