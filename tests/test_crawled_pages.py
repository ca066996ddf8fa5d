"""Every page each role reaches by following links, and every form on those pages.

Given the input that breaks things: no 500 anywhere, and a form shown again with an error
keeps what else was typed in it, under the NHS.UK error summary. Tried by someone else:
404 (or 403 for an area their role keeps them out of) and none of the owner's words.

The per-feature bad-input tests name their forms one by one; this one finds them the way
a person does, so a form added later is covered without being listed. It runs on the
suite's database, so under PostgreSQL it also catches what only PostgreSQL refuses (NUL
in text, integers past 64 bits, values longer than a column). With ``TESTING`` on, an
exception in a view fails the test outright rather than becoming a 500 page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from careers_app.coaching import service as coaching
from careers_app.security import Role
from tests.conftest import csrf_token_from
from tests.factories import make_account
from tests.personal_data_steps import CANARIES, COACH, OTHER, PERSON, everything
from tests.session_steps import post_forms, replaced, signed_in_client

# Each field is sent with one of these in place of what the page offered. The long one is
# past every field's limit but inside the request's (MAX_FORM_MEMORY_SIZE), so it reaches
# the validators and the database rather than the size check in front of them. A lone
# surrogate goes as the bytes a careless client sends (the test client cannot encode it).
# The worksheets' forms get the first two only: every value of every field type is
# posted to them by tests/test_worksheets_bad_input.py; here each of their inputs, the
# hidden ones too, is tried on its own.
WORKSHEET_BREAKERS = ("a\x00b", "99999999999999999999")
NASTY = (*WORKSHEET_BREAKERS, "\ud800".encode("utf-8", "surrogatepass"), "x" * 100_000,
         "\x00", "<script>alert(1)</script>", " ", "-1", "2026-02-30")
# Query-string values, sent in place of each value a link carries and as ?page= and ?q=.
NASTY_QUERY = ("%00", "%ED%A0%80", "99999999999999999999", "-1", "x" * 2_000)
# Links no crawl follows: files, and the end of the session it crawls with.
NOT_FOLLOWED = re.compile(r"^/(static/|account/sign-out)")
# The worksheets (each module's steps and their versions) are the same pages for every
# role and the largest part of the site: crawled once, as the trainee, in a crawl of their
# own that runs beside the others.
WORKSHEETS = re.compile(r"^/modules/[^/]+/steps/")
EVERYTHING_ELSE = re.compile(r"^/(?!modules/[^/]+/steps/)")
MOST_PAGES = 400
COORDINATOR = "co@example.org"
# Who signs in, where the crawl starts, and the paths it follows.
CRAWLS = {
    "trainee and facilitator": (PERSON, "/dashboard", EVERYTHING_ELSE),
    "trainee, worksheets": (PERSON, "/modules/", re.compile(r"^/modules/")),
    "coach": (COACH, "/dashboard", EVERYTHING_ELSE),
    "coordinator": (COORDINATOR, "/dashboard", EVERYTHING_ELSE),
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        href = dict(attributes).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def site_links(html: str, followed: re.Pattern[str]) -> list[str]:
    """The site's own paths a page links to, with their query strings, without fragments."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.netloc not in {"", "careers.test"} or not parts.path.startswith("/"):
            continue
        if NOT_FOLLOWED.match(parts.path) or not followed.match(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: FlaskClient, start: str, followed: re.Pattern[str]) -> dict[str, str]:
    """Every page reachable from ``start`` by links (HTML pages only), by URL."""
    pages: dict[str, str] = {}
    queue, seen = [start], {start}
    while queue and len(pages) < MOST_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        assert response.status_code < 500, url
        if not response.content_type.startswith("text/html") or response.status_code != 200:
            continue
        pages[url] = response.get_data(as_text=True)
        for link in site_links(pages[url], followed):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def form_shape(action: str, fields: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """Forms that differ only in the ids they act on are tried once."""
    return re.sub(r"\d+", "N", action), tuple(sorted({name for name, _ in fields}))


def distinct_forms(pages: dict[str, str]) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    shapes = set()
    for url, html in pages.items():
        for action, fields in post_forms(html):
            shape = form_shape(action or url, fields)
            if shape not in shapes:
                shapes.add(shape)
                yield url, action or url, fields


def nasty_queries(url: str) -> Iterator[str]:
    """The URL with each value it carries made nasty in turn, and with a nasty ?page= and
    ?q= (the worksheets read neither)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    for value in NASTY_QUERY:  # already percent-encoded: sent as they are
        for index in range(len(pairs)):
            query = "&".join(f"{quote(name)}={value if at == index else quote(kept)}"
                             for at, (name, kept) in enumerate(pairs))
            yield f"{parts.path}?{query}"
        if not WORKSHEETS.match(parts.path):
            yield f"{parts.path}?page={value}&q={value}"


def hidden_inputs(html: str) -> set[str]:
    """Names of a page's hidden inputs: the page's own state (tokens, versions), not what
    a person typed."""
    return {match.group(1) for tag in re.findall(r"<input[^>]*>", html)
            if 'type="hidden"' in tag and (match := re.search(r'name="([^"]+)"', tag))}


def lost_on_error(action: str, sent: list[tuple[str, str]], changed: str,
                  html: str) -> set[str]:
    """The typed fields, other than the one made nasty, whose values a form shown again
    with an error no longer holds (passwords are not shown again, by design)."""
    shown = [fields for shown_action, fields in post_forms(html) if shown_action == action]
    if "nhsuk-error-summary" not in html or not shown:
        return set()
    names = {name for name, _ in sent}
    again = max(shown, key=lambda fields: len(names & {name for name, _ in fields}))
    kept, hidden = set(again), hidden_inputs(html)
    return {name for name, value in sent
            if name != changed and name not in hidden and not name.endswith("password")
            and value and (name, value) not in kept}


@pytest.fixture
def crawled_app(csrf_app: Flask) -> Flask:
    """Everyone of ``everything``, and an application waiting in the coordinator's queue,
    so its allocation form is on a page too."""
    everything(csrf_app)
    with csrf_app.app_context():
        waiting = make_account("wren@example.org", full_name="Wren Waiting")
        application = coaching.start_or_resume(waiting)
        coaching.save_answers(application, coaching.ApplicationAnswers(
            professional_group="nursing_midwifery", region="kss", training_number="",
            workforce_scheme="", current_post="Band 6 staff nurse", stage="band_5_6",
            hopes="Decide whether to specialise", preferred_format="phone",
            availability="Mornings", consent=True))
        coaching.submit(application, waiting)
    return csrf_app


@pytest.mark.parametrize(("email", "start", "followed"), CRAWLS.values(), ids=CRAWLS.keys())
def test_no_page_or_form_a_role_reaches_fails_or_loses_what_was_typed(
        crawled_app: Flask, email: str, start: str, followed: re.Pattern[str]):
    client = signed_in_client(crawled_app, email)
    pages = crawl(client, start, followed)
    assert len(pages) > 10, sorted(pages)
    tried = 0
    for url, action, fields in distinct_forms(pages):
        values = WORKSHEET_BREAKERS if WORKSHEETS.match(action) else NASTY
        for name in {name for name, _ in fields if not name.endswith("csrf_token")}:
            for value in values:
                response = client.post(action, data=replaced(fields, **{name: value}),
                                       headers={"Referer": f"https://careers.test{url}"})
                tried += 1
                assert response.status_code < 500, (action, name, value[:20])
                page = response.get_data(as_text=True)
                assert "<script>alert(1)</script>" not in page
                # An error beside a field comes with the summary at the top of the page.
                assert ("nhsuk-error-message" not in page
                        or "nhsuk-error-summary" in page), (action, name)
                assert not lost_on_error(action, fields, name, page), (action, name)
    assert tried > 100
    for url in pages:
        for changed in nasty_queries(url):
            assert client.get(changed).status_code < 500, changed
    # Still signed in, and the session survived all of it.
    assert client.get("/dashboard").status_code == 200


# Outsiders with nothing shared with them, and the areas their roles keep them out of as
# a whole (403); anywhere else, someone else's object is not found (404).
OUTSIDERS = {
    "trainee": ((), re.compile(r"^/(coaching/caseload|shared-with-me|workshops/\d|admin|"
                               r"coaching/queue)")),
    "coach and facilitator": ((Role.COACH, Role.FACILITATOR),
                              re.compile(r"^/(admin|coaching/queue)")),
}
WITH_AN_ID = re.compile(r"/\d+(/|$|\?|#)")


@pytest.mark.parametrize(("roles", "kept_out"), OUTSIDERS.values(), ids=OUTSIDERS.keys())
def test_someone_else_following_anothers_links_and_forms_gets_404_and_no_private_text(
        crawled_app: Flask, roles: tuple[Role, ...], kept_out: re.Pattern[str]):
    """An outsider tries every page and form that Olly (whose private text is all
    canaries), Olly's coach, and Pat (who runs the workshop Olly showed answers to)
    reached."""
    theirs: dict[str, str] = {}
    for email in (OTHER, COACH, PERSON):
        theirs |= crawl(signed_in_client(crawled_app, email), "/dashboard", EVERYTHING_ELSE)
    with crawled_app.app_context():
        make_account("fern@example.org", full_name="Fern Outsider", roles=roles)
    outsider = signed_in_client(crawled_app, "fern@example.org")

    def refused(path: str) -> tuple[int, ...]:
        return (403,) if kept_out.match(path) else (404,)

    with_ids = [url for url in theirs if WITH_AN_ID.search(url)]
    assert len(with_ids) > 5, sorted(theirs)
    for url in theirs:
        response = outsider.get(url)
        page = response.get_data(as_text=True)
        assert not [canary for canary in CANARIES if canary in page], url
        if url in with_ids:
            assert response.status_code in refused(url), (url, response.status_code)
    forms = [(url, action, fields) for url, action, fields in distinct_forms(theirs)
             if WITH_AN_ID.search(action)]
    assert len(forms) > 5
    token = csrf_token_from(outsider.get("/dashboard").get_data(as_text=True))
    for url, action, fields in forms:
        # Sent as the outsider's own page would send it, with their CSRF token.
        mine = [(name, token if name.endswith("csrf_token") else value)
                for name, value in fields]
        response = outsider.post(action, data=MultiDict(mine),
                                 headers={"Referer": f"https://careers.test{url}"})
        assert response.status_code in refused(action), (action, response.status_code)
