"""Plain-text emails say what was typed, character for character; HTML pages still escape it."""

from __future__ import annotations

import datetime as dt

from careers_app.db import utcnow
from careers_app.mail import outbox
from tests.coaching_steps import allocated_to_a_coach, booking

AWKWARD = "O'Neil & Sons <x>"
SCRIPT = "<script>alert(1)</script>"


def read(app, to: str) -> list[str]:
    """Every email sent to ``to``, as its recipient reads it."""
    with app.app_context():
        return [message.get_body(preferencelist=("plain",)).get_content()
                for message in outbox() if message["To"] == to]


def test_a_plain_text_email_shows_names_as_typed(app, make_user, sign_in):
    allocated_to_a_coach(app, make_user, sign_in, AWKWARD, "Sam O'Hara & Co")
    received, allocation = read(app, "t@example.org")
    assert f"Hello {AWKWARD}," in received
    assert f"Hello {AWKWARD}," in allocation
    assert "Sam O'Hara & Co will be your careers coach" in allocation
    assert "&amp;" not in allocation and "&#39;" not in allocation and "&lt;" not in received


def test_a_video_link_in_an_email_keeps_its_bare_ampersand(app, make_user, sign_in):
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    link = "https://teams.example.org/l/meet?id=42&p=x"
    clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7), **{"book-where": f"Teams: {link}"}))
    booked = read(app, "t@example.org")[-1]
    assert f"Teams: {link}\n" in booked
    assert "&amp;" not in booked


def test_html_pages_still_escape_a_name(app, make_user, sign_in):
    clients, application_id = allocated_to_a_coach(
        app, make_user, sign_in, trainee_name=f"{AWKWARD} {SCRIPT}")
    for client, url in ((clients["coordinator"], f"/coaching/queue/{application_id}"),
                        (clients["coach"], "/coaching/caseload"),
                        (clients["trainee"], "/account/profile")):
        page = client.get(url).get_data(as_text=True)
        assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_the_autoescape_rule_is_by_file_type(app):
    with app.app_context():
        select = app.jinja_env.autoescape
        assert not select("email/coaching_booked.txt")
        for name in ("layout.html", "nhsuk/components/button/macro.jinja", "pdf/plan.css", None):
            assert select(name), name
