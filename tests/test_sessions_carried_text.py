"""A form posted after the session ended: the text comes back after signing in, unsaved.

Every test runs with CSRF protection on, as in production: removing the cookie takes
the session's CSRF token with it, which used to give a bare 400 "Redirecting..." page.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from sqlalchemy import func, select

from careers_app.accounts.service import find_user_by_email
from careers_app.coaching.models import CoachingApplication
from careers_app.extensions import db
from careers_app.plans.models import ActionPlan
from careers_app.worksheets.models import StepAnswer
from tests.coaching_steps import APPLICATION
from tests.conftest import csrf_token_from
from tests.session_steps import (
    form_with,
    remove_session_cookie,
    replaced,
    session_contents,
    sign_in_on_page,
    signed_in_client,
)

STEP = "/modules/scan-3-arriving-at-a-decision/steps/your-decision"
TEXT = "Psychiatry, because <my> \"quiet\" reasons & a second line\nabout nights"
SIGNED_OUT = "You were signed out. Sign in and your text will be shown back to you."
NOT_SAVED = "Your text has not been saved yet: check it and save"
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def answers_of(app, email: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = find_user_by_email(email)
        return [row.answers for row in db.session.execute(
            select(StepAnswer).where(StepAnswer.user_id == user.id)).scalars()]


def rows(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def post_step_after_cookie_went(app, client, action: str = "continue"):  # type: ignore[no-untyped-def]
    token = csrf_token_from(text_of(client.get(STEP)))
    remove_session_cookie(app, client)
    return client.post(STEP, data={"csrf_token": token, "version": "0", "action": action,
                                   "first-choice": "Psychiatry", "reasons": TEXT})


@pytest.mark.parametrize("action", ["continue", "later"])
def test_worksheet_text_comes_back_after_signing_in_and_saves_only_when_asked(
        csrf_app, make_user, action):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")

    ended = post_step_after_cookie_went(csrf_app, client, action)
    page = text_of(ended)
    assert ended.status_code == 401 and "Location" not in ended.headers
    assert SIGNED_OUT in page
    _, carried = form_with(page, "password")
    assert ("carried:reasons", TEXT) in carried and ("carried:action", action) in carried
    assert answers_of(csrf_app, "a@example.org") == []

    shown = sign_in_on_page(client, page, "a@example.org")
    assert shown.status_code == 200
    assert NOT_SAVED in text_of(shown)
    action_url, fields = form_with(text_of(shown), "reasons")
    assert action_url == STEP and ("reasons", TEXT) in fields
    assert answers_of(csrf_app, "a@example.org") == [], "saved before the person saved it"

    saved = client.post(STEP, data=replaced(fields, action=action))
    assert saved.status_code in (302, 400)  # 400: continue asks for the missing answers
    (stored,) = answers_of(csrf_app, "a@example.org")
    assert stored["reasons"] == TEXT and stored["first-choice"] == "Psychiatry"


def test_after_the_idle_limit_the_page_says_why_and_the_text_comes_back(csrf_app, make_user):
    make_user("a@example.org")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(csrf_app, "a@example.org")
        token = csrf_token_from(text_of(client.get(STEP)))
        clock.shift(dt.timedelta(minutes=31))
        ended = client.post(STEP, data={"csrf_token": token, "version": "0",
                                        "action": "continue", "reasons": TEXT})
        page = text_of(ended)
        assert ended.status_code == 401
        assert ("You were signed out after 30 minutes without activity. Sign in and your "
                "text will be shown back to you.") in page
        shown = sign_in_on_page(client, page, "a@example.org")
    assert NOT_SAVED in text_of(shown)
    assert ("reasons", TEXT) in form_with(text_of(shown), "reasons")[1]
    assert answers_of(csrf_app, "a@example.org") == []


def test_another_account_is_not_shown_text_from_a_session_that_was_not_theirs(
        csrf_app, make_user):
    make_user("a@example.org")
    make_user("b@example.org")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(csrf_app, "a@example.org")
        token = csrf_token_from(text_of(client.get(STEP)))
        clock.shift(dt.timedelta(minutes=31))
        page = text_of(client.post(STEP, data={"csrf_token": token, "version": "0",
                                               "action": "continue", "reasons": TEXT}))
        other = sign_in_on_page(client, page, "b@example.org")
        assert other.status_code == 302 and other.headers["Location"] == "/dashboard"
        dashboard = text_of(client.get("/dashboard"))
    assert "it was written while another account was signed in" in dashboard
    assert "quiet" not in text_of(other) + dashboard
    assert rows(csrf_app, StepAnswer) == 0


def test_when_whose_text_it_was_is_unknown_it_is_shown_but_never_saved(csrf_app, make_user):
    """The cookie was removed, so the page cannot tell whose text it is: whoever signs
    in sees it, as it was on the screen, and nothing is saved to their account."""
    make_user("a@example.org")
    make_user("b@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    page = text_of(post_step_after_cookie_went(csrf_app, client))

    shown = sign_in_on_page(client, page, "b@example.org")
    assert NOT_SAVED in text_of(shown)
    client.get("/dashboard")
    client.get(STEP)
    assert rows(csrf_app, StepAnswer) == 0


def test_plan_summary_comes_back_unsaved_then_saves(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    token = csrf_token_from(text_of(client.get("/plan/summary")))
    remove_session_cookie(csrf_app, client)

    ended = client.post("/plan/summary", data={"csrf_token": token, "summary": TEXT})
    assert ended.status_code == 401 and SIGNED_OUT in text_of(ended)
    shown = sign_in_on_page(client, text_of(ended), "a@example.org")
    assert shown.status_code == 200 and NOT_SAVED in text_of(shown)
    _, fields = form_with(text_of(shown), "summary")
    assert ("summary", TEXT) in fields
    assert rows(csrf_app, ActionPlan) == 0

    assert client.post("/plan/summary", data=replaced(fields)).status_code == 302
    with csrf_app.app_context():
        assert db.session.execute(select(ActionPlan.summary)).scalar_one() == TEXT


def test_coaching_application_comes_back_unsaved_then_saves(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    token = csrf_token_from(text_of(client.get("/coaching/apply")))
    remove_session_cookie(csrf_app, client)

    ended = client.post("/coaching/apply", data={
        **APPLICATION, "hopes": TEXT, "action": "save", "csrf_token": token})
    assert ended.status_code == 401 and SIGNED_OUT in text_of(ended)
    shown = sign_in_on_page(client, text_of(ended), "a@example.org")
    assert shown.status_code == 200 and NOT_SAVED in text_of(shown)
    _, fields = form_with(text_of(shown), "hopes")
    assert ("hopes", TEXT) in fields and ("current_post", "ST3 in paediatrics") in fields
    assert rows(csrf_app, CoachingApplication) == 0

    assert client.post("/coaching/apply", data=replaced(fields, action="save")).status_code == 302
    with csrf_app.app_context():
        assert db.session.execute(select(CoachingApplication.hopes)).scalar_one() == TEXT


def test_a_wrong_password_keeps_the_text_for_the_next_try(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    page = text_of(post_step_after_cookie_went(csrf_app, client))

    wrong = sign_in_on_page(client, page, "a@example.org", password="not the password at all")
    assert "Enter a correct email address and password" in text_of(wrong)
    assert ("carried:reasons", TEXT) in form_with(text_of(wrong), "password")[1]
    shown = sign_in_on_page(client, text_of(wrong), "a@example.org")
    assert ("reasons", TEXT) in form_with(text_of(shown), "reasons")[1]


def test_passwords_and_the_old_token_are_never_carried(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    token = csrf_token_from(text_of(client.get("/account/profile")))
    remove_session_cookie(csrf_app, client)

    ended = client.post("/account/profile", data={
        "csrf_token": token, "password-current_password": "old secret phrase here",
        "password-new_password": "new secret phrase here"})
    page = text_of(ended)
    assert ended.status_code == 401
    assert "secret phrase" not in page and token not in page


def test_a_form_posted_from_another_site_is_not_carried(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    remove_session_cookie(csrf_app, client)

    response = client.post("/plan/summary", data={"summary": TEXT},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/sign-in")
    assert "quiet" not in text_of(client.get(response.headers["Location"]))


def test_a_target_off_this_site_is_ignored(csrf_app, make_user):
    make_user("a@example.org")
    client = csrf_app.test_client()
    token = csrf_token_from(text_of(client.get("/account/sign-in")))
    response = client.post("/account/sign-in", data={
        "email": "a@example.org", "password": "correct horse battery staple",
        "csrf_token": token, "carried_target": "//evil.example/plan/summary",
        "carried:summary": TEXT})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_the_text_never_reaches_the_cookie_the_logs_or_a_cache(csrf_app, make_user, caplog):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    caplog.set_level(logging.DEBUG)
    ended = post_step_after_cookie_went(csrf_app, client)
    shown = sign_in_on_page(client, text_of(ended), "a@example.org")

    for response in (ended, shown):
        assert response.headers["Cache-Control"] == "no-store"
        cookies = session_contents(csrf_app, response.headers.getlist("Set-Cookie"))
        assert cookies, "the session cookie should have been set"
        assert all("quiet" not in repr(cookie) for cookie in cookies)
    assert caplog.records, "nothing was logged, so the check below would prove nothing"
    assert not [r for r in caplog.records if "quiet" in r.getMessage()]


def test_autosave_still_answers_401_json_so_the_page_keeps_its_draft(csrf_app, make_user):
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    token = csrf_token_from(text_of(client.get(STEP)))
    remove_session_cookie(csrf_app, client)

    response = client.post(f"{STEP}/autosave", json={"version": 0, "answers": {"reasons": TEXT}},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 401 and response.is_json
    assert rows(csrf_app, StepAnswer) == 0


def test_a_view_that_saves_without_asking_its_form_saves_nothing_while_showing_text(
        csrf_app, make_user):
    """Forms never validate while carried text is shown; commits are refused as well,
    so a view that writes regardless cannot act on text nobody has checked."""
    from flask_login import current_user

    from careers_app.accounts.service import end_all_sessions
    from careers_app.forms import rerender_on_csrf_failure
    from careers_app.security import Role, roles_required

    @roles_required(Role.TRAINEE)
    @rerender_on_csrf_failure
    def careless() -> str:
        end_all_sessions(current_user._get_current_object())  # commits: signs out elsewhere
        return "done"

    csrf_app.add_url_rule("/careless", "careless", careless, methods=["GET", "POST"])
    make_user("a@example.org")
    client = signed_in_client(csrf_app, "a@example.org")
    token = csrf_token_from(text_of(client.get("/dashboard")))
    remove_session_cookie(csrf_app, client)
    page = text_of(client.post("/careless", data={"csrf_token": token, "note": TEXT}))

    shown = sign_in_on_page(client, page, "a@example.org")
    assert shown.status_code == 302 and shown.headers["Location"] == "/dashboard"
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200, "the session token was replaced by the careless view"
    assert "The page you were on cannot be shown" in text_of(dashboard)


def test_text_posted_after_the_warning_poll_ended_the_session_is_not_shown_to_another(
        csrf_app, make_user):
    """The timeout script's poll ends the session first; whose it was is still known."""
    make_user("a@example.org")
    make_user("b@example.org")
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(csrf_app, "a@example.org")
        token = csrf_token_from(text_of(client.get(STEP)))
        clock.shift(dt.timedelta(minutes=31))
        poll = client.get("/account/session", headers={"Accept": "application/json"})
        assert poll.status_code == 401
        page = text_of(client.post(STEP, data={"csrf_token": token, "version": "0",
                                               "action": "continue", "reasons": TEXT}))
        other = sign_in_on_page(client, page, "b@example.org")
    assert other.status_code == 302 and other.headers["Location"] == "/dashboard"
    assert "quiet" not in text_of(other) + text_of(client.get("/dashboard"))


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example"},
    {"Referer": "https://evil.example/form"},
    {},  # an old browser that says nothing of where the post came from
])
def test_another_sites_post_cannot_plant_fields_in_a_form_shown_after_signing_in(
        csrf_app, make_user, headers):
    make_user("a@example.org")
    planted = {"carried_target": "/plan/shares/new", "carried:coach": "attacker@evil.example",
               "carried:mode": "live"}
    victim = csrf_app.test_client()
    # Their post to a signed-in page, as it arrives without the Lax cookie.
    first = victim.post("/plan/shares/new", data=planted, headers=headers)
    assert first.status_code == 302
    assert "attacker@evil.example" not in text_of(first)
    assert not any("session" in value for value in first.headers.getlist("Set-Cookie"))
    # Even posted straight at the sign-in form, the planted fields are not taken.
    token = csrf_token_from(text_of(victim.get("/account/sign-in")))
    signed_in = victim.post("/account/sign-in", headers=headers, data={
        **planted, "email": "a@example.org", "password": "correct horse battery staple",
        "csrf_token": token})
    assert "attacker@evil.example" not in text_of(signed_in)
    assert "attacker@evil.example" not in text_of(victim.get("/plan/shares/new"))


def test_a_coachs_comment_typed_after_the_session_ended_comes_back(csrf_app, make_user):
    import datetime as _dt

    from careers_app.clock import uk_today
    from careers_app.plans.models import PlanComment, PlanShare
    from careers_app.security import Role
    from tests.planning import typical_plan

    trainee = make_user("t@example.org")
    make_user("coach@example.org", roles=(Role.COACH,))
    typical_plan(csrf_app, trainee.id)
    owner = signed_in_client(csrf_app, "t@example.org")
    share_form = text_of(owner.get("/plan/shares/new"))
    until = uk_today() + _dt.timedelta(days=30)
    assert owner.post("/plan/shares/new", data={
        "csrf_token": csrf_token_from(share_form), "coach": "coach@example.org",
        "mode": "live", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    }).status_code == 302
    with csrf_app.app_context():
        share_id = db.session.execute(select(PlanShare.id)).scalar_one()

    coach = signed_in_client(csrf_app, "coach@example.org")
    path = f"/shared-with-me/{share_id}"
    token = csrf_token_from(text_of(coach.get(path)))
    remove_session_cookie(csrf_app, coach)
    page = text_of(coach.post(path, data={"csrf_token": token, "section": "actions",
                                          "body": "A comment written slowly"}))
    shown = text_of(sign_in_on_page(coach, page, "coach@example.org"))
    assert NOT_SAVED in shown and "A comment written slowly" in shown
    assert rows(csrf_app, PlanComment) == 0
