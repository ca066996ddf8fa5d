"""The page "Who has seen your information": only the person's own events, newest first,
25 a page, and a fixed number of queries whatever the page holds."""

from __future__ import annotations

import datetime as dt

import pytest

from careers_app.audit import AuditEvent
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role
from careers_app.worksheets.presenters import uk_time
from tests.activity_steps import activity_rows
from tests.coaching_steps import apply, only_application
from tests.sql_statements import count_queries


def add_events(app, subject_id: int, actor_id: int | None, count: int,
               actions=("share_viewed",), start: dt.datetime | None = None) -> list[dt.datetime]:
    """``count`` events a minute apart, the newest last; returns their times."""
    start = start or utcnow() - dt.timedelta(days=2)
    times = [start + dt.timedelta(minutes=n) for n in range(count)]
    with app.app_context():
        db.session.add_all(
            AuditEvent(at=at, actor_id=actor_id, subject_id=subject_id,
                       action=actions[n % len(actions)], target_type="plan_share",
                       target_id=n + 1)
            for n, at in enumerate(times))
        db.session.commit()
    return times


@pytest.fixture
def coach(make_user):
    return make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))


def test_the_page_needs_signing_in_and_is_linked_from_profile_and_dashboard(app, client,
                                                                             trainee):
    for page in ("/account/profile", "/dashboard"):
        assert 'href="/account/activity"' in client.get(page).get_data(as_text=True)
    empty = client.get("/account/activity").get_data(as_text=True)
    assert "Who has seen your information" in empty
    assert "Nothing yet: no one has looked at or changed your information." in empty
    assert client.get("/account/activity?page=2").status_code == 404
    client.post("/account/sign-out")
    assert client.get("/account/activity").status_code == 302


def test_newest_first_25_a_page_with_older_and_newer_links(app, client, trainee, coach):
    times = add_events(app, trainee.id, coach.id, 30)
    first = client.get("/account/activity").get_data(as_text=True)
    rows = activity_rows(client)
    assert len(rows) == 25
    assert [when for when, _, _ in rows] == [uk_time(at) for at in reversed(times)][:25]
    assert rows[0][1:] == ("Sam Coach (coach)", "Looked at the action plan you shared with them")
    assert 'href="/account/activity?page=2"' in first and "Page 2 of 2" in first
    assert "Newer" not in first
    second = client.get("/account/activity?page=2").get_data(as_text=True)
    assert [when for when, _, _ in activity_rows(client, 2)] == [
        uk_time(at) for at in reversed(times[:5])]
    assert 'href="/account/activity?page=1"' in second and "Older" not in second
    for page in ("3", "0", "-1", "two", "1" * 30, "\x00"):
        assert client.get(f"/account/activity?page={page}").status_code == 404


def test_events_at_the_same_moment_keep_the_order_they_happened_in(app, client, trainee, coach):
    moment = utcnow() - dt.timedelta(hours=1)
    with app.app_context():
        for action in ("share_viewed", "share_pdf_downloaded", "comment_added"):
            db.session.add(AuditEvent(at=moment, actor_id=coach.id, subject_id=trainee.id,
                                      action=action, target_type="plan_share", target_id=1))
            db.session.flush()
        db.session.commit()
    assert [what for _, _, what in activity_rows(client)] == [
        "Commented on the action plan you shared with them",
        "Downloaded the PDF of the action plan you shared with them",
        "Looked at the action plan you shared with them"]


def test_another_persons_events_are_never_shown(app, make_user, sign_in):
    """Two trainees, each also a coordinator, look at each other's applications."""
    clients, users = {}, {}
    for key, email, name in (("alex", "a@example.org", "Alex Trainee"),
                             ("bea", "b@example.org", "Bea Second")):
        users[key] = make_user(email, full_name=name, roles=(Role.COORDINATOR,))
        clients[key] = app.test_client()
        sign_in(email, test_client=clients[key])
    assert apply(clients["alex"]).status_code == 302
    alex_application = only_application(app)
    clients["bea"].get(f"/coaching/queue/{alex_application.id}")
    clients["alex"].post(f"/admin/users/{users['bea'].id}/roles",
                         data={"roles": ["coordinator", "coach"]})

    alex_rows = [row[1:] for row in activity_rows(clients["alex"])]
    bea_rows = [row[1:] for row in activity_rows(clients["bea"])]
    assert alex_rows == [
        ("Bea Second (coaching coordinator)", "Looked at your application for careers coaching"),
        ("You", "Sent your application for careers coaching")]
    assert bea_rows == [("Alex Trainee (coaching coordinator)", "Gave you the coach role")]


def test_a_deleted_account_and_an_action_without_words_still_read_plainly(app, client,
                                                                           trainee, caplog):
    with app.app_context():
        db.session.add_all([
            AuditEvent(at=utcnow() - dt.timedelta(minutes=2), actor_id=None,
                       subject_id=trainee.id, action="share_viewed", target_type="plan_share",
                       target_id=1),
            AuditEvent(at=utcnow() - dt.timedelta(minutes=1), actor_id=trainee.id,
                       subject_id=trainee.id, action="something_new", target_type="x",
                       target_id=1)])
        db.session.commit()
    assert [row[1:] for row in activity_rows(client)] == [
        ("You", "Did something with your information"),
        ("Someone whose account has since been deleted",
         "Looked at the action plan you shared with them")]
    assert "audit action without words: something_new" in caplog.text


def test_a_page_costs_the_same_queries_whatever_it_holds(app, client, trainee, coach):
    actions = ("share_viewed", "share_created", "shown_answers_viewed", "appointment_booked",
               "application_viewed_by_coach", "role_granted_coach")
    add_events(app, trainee.id, coach.id, 1)
    small = count_queries(app, client, "/account/activity")
    add_events(app, trainee.id, coach.id, 60, actions=actions)
    with app.app_context():  # every kind of target named on the page, several of each
        for n, event in enumerate(db.session.execute(
                db.select(AuditEvent).where(AuditEvent.subject_id == trainee.id)).scalars()):
            event.target_type = {"shown_answers_viewed": "workshop",
                                 "appointment_booked": "appointment"}.get(event.action,
                                                                           event.target_type)
            event.target_id = n
        db.session.commit()
    full = count_queries(app, client, "/account/activity")
    assert len(activity_rows(client)) == 25
    assert full <= small + 3  # one query per kind of target named, never one per row
    assert count_queries(app, client, "/account/activity?page=2") == full
