"""Emailed links name the canonical address, whatever Host a request claims; production
refuses requests for hosts it does not serve."""

from __future__ import annotations

import re

from careers_app.mail import outbox
from tests.test_platform import production_app
from tests.workshop_steps import workshop_form

EVIL = {"Host": "evil.example"}


def reset_link_in(app) -> str:
    with app.app_context():
        message = outbox()[-1]
    match = re.search(r"https?://\S+/account/reset-password/\S+", message.get_content())
    assert match, message.get_content()
    return match.group(0)


def test_a_reset_asked_for_under_another_host_links_to_the_canonical_host(app, client,
                                                                           make_user):
    make_user("a@example.org")
    response = client.post("/account/reset-password", data={"email": "a@example.org"},
                           headers=EVIL)
    assert response.status_code == 200
    link = reset_link_in(app)
    assert link.startswith("https://careers.test/account/reset-password/")
    assert "evil.example" not in link


def test_the_workshop_join_link_to_copy_is_on_the_canonical_host(app, client, make_user,
                                                                 sign_in):
    from careers_app.security import Role

    make_user("f@example.org", roles=(Role.FACILITATOR,))
    sign_in("f@example.org")
    created = client.post("/workshops/new", data=workshop_form())
    assert created.status_code == 302, created.get_data(as_text=True)[:400]
    # The same signed-in browser, asking under another host name.
    cookie = next(c for c in client._cookies.values() if c.domain.endswith("careers.test"))
    client.set_cookie(cookie.key, cookie.value, domain="evil.example")
    page = client.get(created.headers["Location"], base_url="http://evil.example")
    assert page.status_code == 200
    page = page.get_data(as_text=True)
    assert "https://careers.test/workshops/join?code=" in page
    assert "evil.example" not in page


def test_production_refuses_a_request_for_another_host(database_url, monkeypatch, make_user):
    app = production_app(database_url, monkeypatch)
    client = app.test_client()
    response = client.post("/account/reset-password", base_url="https://careers.test",
                           data={"email": "a@example.org"}, headers=EVIL)
    assert response.status_code == 400
    with app.app_context():
        assert outbox() == []
    assert client.get("/", base_url="https://careers.test").status_code == 200


def test_links_are_built_without_a_request(app):
    from careers_app.links import external_url

    app.config["EXTERNAL_URL"] = "https://careers.example.nhs.uk/plan-your-career"
    with app.app_context():
        assert external_url("plans.index") == (
            "https://careers.example.nhs.uk/plan-your-career/plan/")
