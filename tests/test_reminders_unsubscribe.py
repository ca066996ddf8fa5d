"""The link at the end of a reminder stops that kind for that person, without signing in:
opening it changes nothing, the button does; a damaged link gets a clear page."""

from __future__ import annotations

import datetime as dt

import pytest

from careers_app.accounts.models import User
from careers_app.accounts.service import make_reset_token
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.plans.models import PlanAction
from careers_app.reminders import actions
from careers_app.reminders.kinds import Kind
from careers_app.reminders.tokens import make_token
from tests.conftest import csrf_token_from
from tests.reminder_steps import UTC, body, opt_outs, unsubscribe_link

MONDAY = dt.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


def digest_link(app, make_user) -> tuple[User, str]:
    """A trainee with an overdue action, the Monday digest they got, and its link."""
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    with app.app_context():
        db.session.add(PlanAction(user_id=trainee.id, text="Book a taster week",
                                  target_date=dt.date(2026, 10, 1)))
        db.session.commit()
        assert actions.run(MONDAY, app.extensions["modules"]) == 1
        return trainee, unsubscribe_link(body(outbox()[-1]))


def test_opening_the_link_asks_and_the_button_stops_the_digest(app, make_user):
    trainee, link = digest_link(app, make_user)
    signed_out = app.test_client()

    page = signed_out.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Stop these emails?" in text
    assert "You will no longer get the Monday email about the actions in your plan." in text
    assert opt_outs(app) == set()
    signed_out.get(link)  # a mail scanner opening it again: still nothing changed
    assert opt_outs(app) == set()

    stopped = signed_out.post(link, follow_redirects=True)
    assert stopped.status_code == 200
    text = stopped.get_data(as_text=True)
    assert "Emails stopped" in text
    assert "nhsuk-notification-banner--success" in text
    assert "Stop these emails?" not in text
    assert opt_outs(app) == {(trainee.id, "actions")}

    assert signed_out.post(link).status_code == 302  # pressed twice: still one opt-out
    assert opt_outs(app) == {(trainee.id, "actions")}
    with app.app_context():
        before = len(outbox())
        assert actions.run(NEXT_MONDAY, app.extensions["modules"]) == 0
        assert len(outbox()) == before


def test_the_button_works_with_csrf_protection_on_and_no_session(csrf_app, make_user):
    trainee, link = digest_link(csrf_app, make_user)
    signed_out = csrf_app.test_client()
    token = csrf_token_from(signed_out.get(link).get_data(as_text=True))
    response = signed_out.post(link, data={"csrf_token": token})
    assert response.status_code == 302
    assert opt_outs(csrf_app) == {(trainee.id, "actions")}


def damaged_tokens(app, trainee: User, link: str) -> list[str]:
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        other_salt = make_reset_token(db.session.get(User, trainee.id), app.config["SECRET_KEY"])
    # Change the signature's first character: the last one carries unused padding bits in
    # base64, so changing it can decode to the same signature and leave the link working.
    signature_start = token.rindex(".") + 1
    replacement = "A" if token[signature_start] != "A" else "B"
    flipped = token[:signature_start] + replacement + token[signature_start + 1:]
    return [flipped, token[:-5], f"{token}x", other_salt, "%00", f"{token[:10]}%00{token[10:]}",
            "%ED%A0%80", "not-a-token", "A" * 100_000, "..", "%2e%2e"]


def test_a_damaged_link_gets_a_clear_page_and_changes_nothing(app, make_user):
    trainee, link = digest_link(app, make_user)
    signed_out = app.test_client()
    for token in damaged_tokens(app, trainee, link):
        for response in (signed_out.get(f"/reminders/unsubscribe/{token}"),
                         signed_out.post(f"/reminders/unsubscribe/{token}")):
            assert response.status_code == 404, token[:40]
            assert "This link does not work" in response.get_data(as_text=True)
    assert opt_outs(app) == set()


@pytest.mark.parametrize("kind", list(Kind))
def test_a_link_for_an_account_since_deleted_is_a_clear_404(app, make_user, kind):
    trainee = make_user("gone@example.org")
    with app.app_context():
        token = make_token(trainee.id, kind)
        db.session.delete(db.session.get(User, trainee.id))
        db.session.commit()
    response = app.test_client().get(f"/reminders/unsubscribe/{token}")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)
