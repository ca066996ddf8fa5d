"""An appointment's video link is a link for the trainee and the coach; other text is not."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from careers_app.coaching.links import web_links
from careers_app.db import utcnow
from tests.coaching_steps import allocated_to_a_coach, booking


@pytest.fixture
def allocated(app, make_user, sign_in):
    """A trainee's application allocated to a coach, and both signed in."""
    return allocated_to_a_coach(app, make_user, sign_in)


def book(clients, application_id: int, where: str, days: int = 7) -> None:
    response = clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=days), **{"book-where": where}))
    assert response.status_code == 302


def pages(clients, application_id: int) -> list[str]:
    """The trainee's application page and the coach's client page."""
    return [clients["trainee"].get(f"/coaching/applications/{application_id}")
            .get_data(as_text=True),
            clients["coach"].get(f"/coaching/caseload/{application_id}").get_data(as_text=True)]


def test_the_trainee_and_the_coach_can_follow_the_video_link(allocated):
    clients, application_id = allocated
    book(clients, application_id, "Teams: https://teams.example.org/l/meet?id=42&p=x.")
    for page in pages(clients, application_id):
        assert ('Teams: <a class="app-break" href="https://teams.example.org/l/meet?id=42&amp;p=x"'
                ' rel="noreferrer">https://teams.example.org/l/meet?id=42&amp;p=x</a>.') in page


@pytest.mark.parametrize("where", [
    "javascript:alert(1)",
    "Room 4, Stewart House",
    "020 7946 0000",
    "<script>alert(1)</script> http://[::1",
])
def test_anything_but_a_web_address_stays_text(allocated, where):
    clients, application_id = allocated
    book(clients, application_id, where)
    for page in pages(clients, application_id):
        shown = page.split("60 minutes, video call: ")[1].split("</p>")[0].split(" · <strong")[0]
        assert "<a " not in shown and "<script>" not in shown
        assert html.unescape(shown) == where


@pytest.mark.parametrize(("text", "expected"), [
    ("https://video.example.org/room", '<a class="app-break" href="https://video.example.org/room"'
     ' rel="noreferrer">https://video.example.org/room</a>'),
    ("see HTTP://Example.org/a)", 'see <a class="app-break" href="HTTP://Example.org/a"'
     ' rel="noreferrer">HTTP://Example.org/a</a>)'),
    ("ftp://example.org/file", "ftp://example.org/file"),
    ("https://", "https://"),
    ("https:///no-host", "https:///no-host"),
    ('https://x.org/"onmouseover=alert(1)', '<a class="app-break" href="https://x.org/"'
     ' rel="noreferrer">https://x.org/</a>&#34;onmouseover=alert(1)'),
    ("", ""),
    (None, ""),
])
def test_web_links_only_links_http_and_https_addresses(text, expected):
    assert str(web_links(text)) == expected
