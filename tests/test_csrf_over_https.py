"""Form posts over HTTPS: the CSRF check lets same-site posts through, and a refused post
is shown back with what was typed but never acts.

Flask-WTF's HTTPS check refuses a post whose Referer does not name this site. Each
test posts once with a valid token and no Referer (refused: nothing changes) and once
as a browser on our page does, with the Referer our Referrer-Policy lets it send
(accepted), so each test fails if either half stops holding.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from careers_app.accounts.models import User
from careers_app.audit import AuditEvent
from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.plans.models import ActionPlan, PlanComment, PlanShare
from careers_app.security import Role
from careers_app.worksheets.models import StepAnswer
from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD
from tests.planning import typical_plan

HTTPS = "https://careers.test"
SCAN3 = "scan-3-arriving-at-a-decision"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def token_for(client, path: str) -> str:
    page = client.get(path, base_url=HTTPS)
    assert page.status_code == 200, page.status_code
    return csrf_token_from(page.get_data(as_text=True))


def post(client, path: str, data: dict[str, str], *, from_our_page: bool):
    """Post as a browser would: the token from the form, and the Referer the browser
    sends under our Referrer-Policy (or none, as under ``no-referrer``)."""
    headers = {"Referer": HTTPS + path} if from_our_page else {}
    return client.post(path, data={**data, "csrf_token": token_for(client, path)},
                       base_url=HTTPS, headers=headers)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


@pytest.fixture
def https_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def signed_in_client(app, email: str):
    client = app.test_client()
    path = "/account/sign-in"
    response = post(client, path, {"email": email, "password": DEFAULT_PASSWORD},
                    from_our_page=True)
    assert response.status_code == 302, text_of(response)[:300]
    return client


def test_pages_ask_browsers_to_send_the_referer_to_this_site_only(client):
    assert client.get("/", base_url=HTTPS).headers["Referrer-Policy"] == "same-origin"


def test_a_refused_sign_in_does_not_sign_in(https_app, make_user):
    make_user("t@example.org")
    client = https_app.test_client()
    data = {"email": "t@example.org", "password": DEFAULT_PASSWORD}

    refused = post(client, "/account/sign-in", data, from_our_page=False)
    assert refused.status_code == 400
    assert 'value="t@example.org"' in refused.get_data(as_text=True)
    assert "Location" not in refused.headers
    assert client.get("/dashboard", base_url=HTTPS).status_code == 302  # still signed out

    accepted = post(client, "/account/sign-in", data, from_our_page=True)
    assert accepted.status_code == 302
    assert client.get("/dashboard", base_url=HTTPS).status_code == 200


def test_a_refused_registration_creates_no_account(https_app):
    client = https_app.test_client()
    data = {"full_name": "Refused Person", "email": "new@example.org",
            "password": "a long and unusual passphrase", "professional_group": "doctor",
            "region": "london", "training_stage": "foundation"}
    refused = post(client, "/account/register", data, from_our_page=False)
    assert refused.status_code == 400
    assert "Refused Person" in refused.get_data(as_text=True)
    assert count(https_app, User, User.email == "new@example.org") == 0


def test_save_and_come_back_later_refused_saves_nothing(https_app, make_user):
    make_user("t@example.org")
    client = signed_in_client(https_app, "t@example.org")
    path = f"/modules/{SCAN3}/steps/your-decision"
    data = {"version": "0", "action": "later", "first-choice": "Refused decision text"}

    refused = post(client, path, data, from_our_page=False)
    assert refused.status_code == 400
    assert "Refused decision text" in refused.get_data(as_text=True)
    assert count(https_app, StepAnswer, StepAnswer.step_id == "your-decision") == 0

    accepted = post(client, path, data, from_our_page=True)
    assert accepted.status_code == 302
    assert count(https_app, StepAnswer, StepAnswer.step_id == "your-decision") == 1


def test_a_refused_plan_summary_is_shown_back_and_not_saved(https_app, make_user):
    make_user("t@example.org")
    client = signed_in_client(https_app, "t@example.org")
    data = {"summary": "A summary the check refused"}

    refused = post(client, "/plan/summary", data, from_our_page=False)
    assert refused.status_code == 400
    assert "A summary the check refused" in refused.get_data(as_text=True)
    assert count(https_app, ActionPlan, ActionPlan.summary == data["summary"]) == 0

    assert post(client, "/plan/summary", data, from_our_page=True).status_code == 302
    assert count(https_app, ActionPlan, ActionPlan.summary == data["summary"]) == 1


def test_a_refused_coach_comment_adds_nothing_and_records_no_view(https_app, make_user):
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    typical_plan(https_app, trainee.id)
    trainee_client = signed_in_client(https_app, "t@example.org")
    until = uk_today() + dt.timedelta(days=30)
    shared = post(trainee_client, "/plan/shares/new", {
        "coach": "coach@example.org", "mode": "live", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    }, from_our_page=True)
    assert shared.status_code == 302
    with https_app.app_context():
        share_id = db.session.execute(select(PlanShare.id)).scalar_one()

    coach = signed_in_client(https_app, "coach@example.org")
    path = f"/shared-with-me/{share_id}"
    token = token_for(coach, path)  # this GET is a real view, recorded
    views_before = count(https_app, AuditEvent, AuditEvent.action == "share_viewed")
    refused = coach.post(path, data={"section": "actions", "body": "Refused comment words",
                                     "csrf_token": token}, base_url=HTTPS)
    assert refused.status_code == 400
    assert "Refused comment words" in refused.get_data(as_text=True)
    assert count(https_app, PlanComment) == 0
    assert count(https_app, AuditEvent, AuditEvent.action == "share_viewed") == views_before

    accepted = post(coach, path, {"section": "actions", "body": "Accepted comment"},
                    from_our_page=True)
    assert accepted.status_code == 302
    assert count(https_app, PlanComment) == 1


def test_a_post_from_another_site_is_refused(https_app, make_user):
    make_user("t@example.org")
    client = https_app.test_client()
    token = token_for(client, "/account/sign-in")
    response = client.post("/account/sign-in", base_url=HTTPS,
                           headers={"Referer": "https://evil.example/account/sign-in"},
                           data={"email": "t@example.org", "password": DEFAULT_PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 400
    assert client.get("/dashboard", base_url=HTTPS).status_code == 302


def test_a_refused_form_can_be_sent_again_when_the_session_had_no_token(https_app, make_user):
    """A browser restart drops the session cookie; the sign-in page then posted without
    its Referer is refused, and the form shown back must carry a token that works."""
    make_user("t@example.org")
    client = https_app.test_client()
    data = {"email": "t@example.org", "password": DEFAULT_PASSWORD}
    refused = client.post("/account/sign-in", data={**data, "csrf_token": "stale"},
                          base_url=HTTPS)
    assert refused.status_code == 400
    token = csrf_token_from(refused.get_data(as_text=True))
    again = client.post("/account/sign-in", data={**data, "csrf_token": token},
                        base_url=HTTPS, headers={"Referer": HTTPS + "/account/sign-in"})
    assert again.status_code == 302
