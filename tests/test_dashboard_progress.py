"""The dashboard: a bar per module in progress, the SCAN stages done, and coaching."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from careers_app.coaching.models import CoachingApplication
from careers_app.db import utcnow
from careers_app.extensions import db
from careers_app.security import Role
from careers_app.worksheets.models import ModuleProgress
from tests.coaching_steps import apply
from tests.sql_statements import count_queries

SCAN = ("scan-1-self-awareness", "scan-2-career-exploration", "scan-3-arriving-at-a-decision",
        "scan-4-next-steps")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def steps_in(app, slug: str) -> int:
    return len(app.extensions["modules"].get(slug).steps)


def set_progress(app, user_id: int, slug: str, steps_done: int | None = None) -> None:
    """Record progress as the worksheet service does; None means the module is complete."""
    with app.app_context():
        complete = steps_done is None
        db.session.add(ModuleProgress(
            user_id=user_id, module_slug=slug, last_step_id=None,
            steps_completed=steps_in(app, slug) if complete else steps_done,
            completed_at=utcnow() if complete else None))
        db.session.commit()


def stage_status(page: str, number: int) -> str:
    found = re.search(rf'id="scan-stage-{number}-status">(.*?)</div>', page)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_scan_1_and_2_done_and_3_part_way(app, client, trainee):
    set_progress(app, trainee.id, SCAN[0])
    set_progress(app, trainee.id, SCAN[1])
    set_progress(app, trainee.id, SCAN[2], 3)
    page = text_of(client.get("/dashboard"))
    total = steps_in(app, SCAN[2])
    assert (f'<progress class="app-progress" max="{total}" value="3" '
            f'aria-labelledby="progress-{SCAN[2]}-title progress-{SCAN[2]}-text">') in page
    assert f"3 of {total} steps done" in page
    assert "2 of 4 stages completed." in page
    assert [stage_status(page, n) for n in (1, 2, 3, 4)] == [
        "Completed", "Completed", "In progress", "Not started"]
    assert "Your careers coaching" not in page


def test_once_scan_is_done_the_dashboard_says_so_and_points_to_the_plan(app, client, trainee):
    for slug in SCAN:
        set_progress(app, trainee.id, slug)
    page = text_of(client.get("/dashboard"))
    assert "You have completed all 4 SCAN stages." in page
    assert '<a href="/plan/">Your action plan</a>' in page
    assert '<a href="/coaching/apply">apply for 1-2-1 careers coaching</a>' in page
    assert "Carry on where you left off" not in page and "<progress" not in page
    assert [stage_status(page, n) for n in (1, 2, 3, 4)] == ["Completed"] * 4


def test_a_coaching_application_shows_its_status_and_a_link(app, client, trainee,
                                                            make_user, sign_in):
    client.post("/coaching/apply", data={"current_post": "F2", "action": "save"})
    page = text_of(client.get("/dashboard"))
    assert "Your careers coaching" in page and "Not sent yet" in page
    assert '<a href="/coaching/apply">Carry on with your coaching application</a>' in page

    assert apply(client).status_code == 302
    with app.app_context():
        application_id = db.session.execute(select(CoachingApplication.id)).scalar_one()
    page = text_of(client.get("/dashboard"))
    assert "Waiting for a coach" in page
    assert (f'<a href="/coaching/applications/{application_id}">'
            "See your coaching application</a>") in page

    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    coordinator = app.test_client()
    sign_in("co@example.org", test_client=coordinator)
    coordinator.post(f"/coaching/queue/{application_id}", data={
        "action": "allocate", "allocate-coach": str(coach.id)})
    page = text_of(client.get("/dashboard"))
    assert "Coach allocated" in page and re.search(r"Your coach\s*</dt>", page)
    assert "Sam Coach" in page
    assert "See your coaching application and appointments</a>" in page


def test_another_persons_application_is_not_shown(app, client, trainee, make_user, sign_in):
    other = app.test_client()
    make_user("other@example.org")
    sign_in("other@example.org", test_client=other)
    assert apply(other).status_code == 302
    assert "Your careers coaching" not in text_of(client.get("/dashboard"))


def test_the_query_count_does_not_grow_with_an_application_and_progress(
        app, client, trainee, make_user):
    before = count_queries(app, client, "/dashboard")
    for slug in SCAN[:3]:
        set_progress(app, trainee.id, slug, 1)
    assert apply(client).status_code == 302
    assert count_queries(app, client, "/dashboard") == before
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    with app.app_context():
        db.session.execute(update(CoachingApplication).values(coach_id=coach.id,
                                                              status="allocated"))
        db.session.commit()
    assert count_queries(app, client, "/dashboard") == before
