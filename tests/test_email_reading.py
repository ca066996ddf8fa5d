"""Reading preferences reach email: a reader who chose them gets an HTML part saying the
same words in their text size, spacing, typeface and colours; everyone else gets the
plain-text email they always did."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import update

from careers_app.accounts.models import User
from careers_app.db import utcnow
from careers_app.email_html import COLOURS, render_html, wants_html
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.reading.preferences import ReadingPreferences
from tests.coaching_steps import allocated_to_a_coach, booking

CHOICE = {"text_size": "largest", "line_spacing": "wide", "letter_spacing": "wide",
          "typeface": "atkinson", "colours": "cream", "motion": "default"}
VIDEO = "https://video.example.org/room?id=7&pin=1234"
READING_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "reading.css"


VOID = {"br", "meta", "img", "input", "hr", "link"}


class _Reader(HTMLParser):
    """What a person reading the HTML part sees: its text, links and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.tags: list[str] = []
        self.title = ""
        self._in: list[str] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag not in VOID:
            self._in.append(tag)
        if found.get("style"):
            self.styles.append(found["style"] or "")
        if tag == "a":
            self._href, self._link_text = found.get("href"), []
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text)))
            self._href = None
        if tag == "p":
            self.text.append("\n\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        elif "body" in self._in:
            # Newlines in the source are layout only: a browser shows them as spaces.
            self.text.append(" ".join(data.split("\n")) if data.strip() else "")
            if self._href is not None:
                self._link_text.append(data)


def read_html(document: str) -> _Reader:
    reader = _Reader()
    reader.feed(document)
    reader.close()
    return reader


def as_received(message: EmailMessage) -> EmailMessage:
    """The message parsed back from the bytes the mail server was given."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def last_email_to(app, address: str) -> EmailMessage:
    with app.app_context():
        return as_received([m for m in outbox() if m["To"] == address][-1])


def parts(message: EmailMessage) -> tuple[str, str | None]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    return text.get_content(), None if html is None else html.get_content()


def choose(client, **choice: str) -> None:
    response = client.post("/account/reading", data={**CHOICE, **choice})
    assert response.status_code == 302


def ask_for_reset(app, address: str) -> EmailMessage:
    assert app.test_client().post("/account/reset-password",
                                  data={"email": address}).status_code == 200
    return last_email_to(app, address)


def test_a_reader_with_preferences_gets_the_same_words_styled_for_them(app, client, trainee):
    choose(client)
    message = ask_for_reset(app, "trainee@example.org")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = parts(message)
    assert html is not None
    page = read_html(html)
    # The same words, in the same paragraphs.
    assert "".join(page.text).split() == text.split()
    assert [p.split() for p in "".join(page.text).split("\n\n") if p.strip()] == [
        p.split() for p in text.split("\n\n") if p.strip()]
    assert page.title == "Reset your password"
    assert '<html lang="en-GB">' in html
    # The link goes exactly where the text's does.
    (link,) = re.findall(r"^(https://\S+)$", text, re.MULTILINE)
    assert page.links == [(link, link)]
    # Largest text (19 px x 1.5), wide spacing, Atkinson first, dark text on cream.
    paragraph = next(s for s in page.styles if "font-size" in s)
    assert "font-size:28.5px" in paragraph
    assert "line-height:1.8" in paragraph
    assert "letter-spacing:0.12em" in paragraph and "word-spacing:0.16em" in paragraph
    assert "font-family:'Atkinson Hyperlegible', Arial, sans-serif" in paragraph
    assert "color:#212b32" in paragraph
    assert any("background-color:#fbf3dc" in s for s in page.styles)
    assert 'bgcolor="#fbf3dc"' in html
    # Nothing fetched from anywhere.
    for remote in ("src=", "url(", "<link", "<style", "<script", "@import", "<img"):
        assert remote not in html


def test_standard_settings_and_unknown_addresses_get_plain_text_only(app, client, trainee):
    choose(client, text_size="default", line_spacing="default", letter_spacing="default",
           typeface="default", colours="default")
    for address in ("trainee@example.org", "nobody@example.org"):
        message = ask_for_reset(app, address)
        assert message.get_content_type() == "text/plain"
        assert not message.is_multipart()
        assert "reset" in message.get_content()


def test_reduced_motion_alone_changes_nothing_in_an_email(app, client, trainee):
    choose(client, text_size="default", line_spacing="default", letter_spacing="default",
           typeface="default", colours="default", motion="reduce")
    assert ask_for_reset(app, "trainee@example.org").get_content_type() == "text/plain"


def test_a_name_is_never_markup_in_the_html_part(app, client, make_user, sign_in):
    name = 'Ann <b>Bold</b> <script>alert("x")</script> & Co'
    make_user("ann@example.org", full_name=name)
    sign_in("ann@example.org")
    choose(client)
    text, html = parts(ask_for_reset(app, "ann@example.org"))
    assert html is not None
    assert f"Hello {name}," in text
    page = read_html(html)
    assert "script" not in page.tags and "b" not in page.tags
    assert f"Hello {name}," in "".join(page.text)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


def test_an_appointment_email_keeps_its_calendar_file(app, make_user, sign_in):
    clients, application_id = allocated_to_a_coach(app, make_user, sign_in)
    choose(clients["trainee"], colours="dark")
    booked = clients["coach"].post(f"/coaching/caseload/{application_id}", data=booking(
        utcnow() + dt.timedelta(days=7), **{"book-where": VIDEO}))
    assert booked.status_code == 302

    message = last_email_to(app, "t@example.org")
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain", "text/html"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "appointment.ics"
    event = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert "Sam Coach" in str(event["summary"])
    text, html = parts(message)
    assert html is not None
    page = read_html(html)
    assert "".join(page.text).split() == text.split()
    # The video link (with its & and ?) is one link to exactly that address.
    assert (VIDEO, VIDEO) in page.links
    # Dark scheme: light text and light blue links on near-black.
    assert any("background-color:#151b20" in s for s in page.styles)
    assert any("color:#f0f4f5" in s for s in page.styles)
    assert any(s.startswith("color:#93caff;") for s in page.styles)  # the links
    assert '<meta name="color-scheme" content="dark">' in html

    # The coach kept the standard settings: their email is text and the calendar file.
    coach = last_email_to(app, "coach@example.org")
    assert [p.get_content_type() for p in coach.iter_parts()] == ["text/plain",
                                                                 "text/calendar"]


@pytest.mark.parametrize("stored", [
    {"text_size": "enormous", "colours": "purple", "typeface": 7},
    "largest",
    ["cream"],
])
def test_an_unknown_stored_preference_is_the_standard_setting(app, make_user, stored):
    make_user("old@example.org")
    with app.app_context():
        db.session.execute(update(User).where(User.email == "old@example.org")
                           .values(reading_preferences=stored))
        db.session.commit()
    message = ask_for_reset(app, "old@example.org")
    assert message.get_content_type() == "text/plain"
    assert "Hello Test Person," in message.get_content()


def test_a_partly_unknown_preference_keeps_what_is_known(app, make_user):
    make_user("old@example.org")
    with app.app_context():
        db.session.execute(update(User).where(User.email == "old@example.org").values(
            reading_preferences={"text_size": "enormous", "colours": "blue"}))
        db.session.commit()
    _, html = parts(ask_for_reset(app, "old@example.org"))
    assert html is not None
    assert "font-size:19px" in html and "background-color:#e5f0f9" in html


@pytest.mark.parametrize(("line", "links", "shown"), [
    ("See https://x.org/a.", ["https://x.org/a"], "See https://x.org/a."),
    ("(see https://x.org/a)", ["https://x.org/a"], "(see https://x.org/a)"),
    ("https://en.wikipedia.org/wiki/Foo_(bar), then",
     ["https://en.wikipedia.org/wiki/Foo_(bar)"], "https://en.wikipedia.org/wiki/Foo_(bar), then"),
    ("Go to https://x.org/?a=1&b=2!", ["https://x.org/?a=1&b=2"], "Go to https://x.org/?a=1&b=2!"),
    ('"https://x.org/q" or <https://y.org/>', ["https://x.org/q", "https://y.org/"],
     '"https://x.org/q" or <https://y.org/>'),
    ("http://a.org and https://b.org:", ["http://a.org", "https://b.org"],
     "http://a.org and https://b.org:"),
    ("javascript:alert(1) ftp://x.org www.x.org", [], "javascript:alert(1) ftp://x.org www.x.org"),
])
def test_web_addresses_become_links_to_exactly_that_address(line, links, shown):
    page = read_html(render_html("S", line, ReadingPreferences(colours="cream")))
    assert [href for href, _ in page.links] == links
    assert [text for _, text in page.links] == links
    assert "".join(page.text).strip() == shown


def test_paragraphs_and_lines_are_kept():
    text = "Hello A,\n\nLine one\nLine two\n   \n\n- item\n- item two\n"
    html = render_html("S", text, ReadingPreferences(text_size="large"))
    assert html.count("<p ") == 3
    assert "Line one<br>\nLine two</p>" in html
    assert "- item<br>\n- item two</p>" in html
    assert "font-size:21.85px" in html


def test_which_preferences_give_an_html_part():
    assert not wants_html(ReadingPreferences())
    assert not wants_html(ReadingPreferences(motion="reduce"))
    for setting, value in (("text_size", "large"), ("line_spacing", "widest"),
                           ("letter_spacing", "wide"), ("typeface", "opendyslexic"),
                           ("colours", "blue")):
        assert wants_html(ReadingPreferences(**{setting: value}))


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_colours_are_the_pages_and_readable():
    css = READING_CSS.read_text()
    for scheme, (background, text, link) in COLOURS.items():
        assert _contrast(background, text) >= 7, scheme
        assert _contrast(background, link) >= 4.5, scheme
        if scheme != "default":
            assert f'[data-reading-colours="{scheme}"] body {{ background-color: {background};' \
                in css, scheme
    assert "color: #f0f4f5" in css and "{ color: #93caff; }" in css
    for size, scale in (("large", "1.15"), ("larger", "1.3"), ("largest", "1.5")):
        assert f'[data-reading-text-size="{size}"] {{ font-size: {float(scale):.0%}; ' \
            f"--reading-scale: {scale}; }}" in css
    for spacing, height in (("wide", "1.8"), ("widest", "2.2")):
        assert f'[data-reading-line-spacing="{spacing}"] body *:not(svg, svg *) ' \
            f"{{ line-height: {height} !important; }}" in css
    assert "letter-spacing: 0.12em; word-spacing: 0.16em;" in css
