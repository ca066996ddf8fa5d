"""Bad input on the plan's forms gets a message and keeps what was typed; markup stays text."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.plans.models import PlanAction, PlanComment, PlanShare
from careers_app.security import Role

NUL = "before\x00after"
# A browser cannot send a lone surrogate; the nearest it gets is invalid UTF-8.
BROKEN_UTF8 = "broken%ED%A0%80emoji"


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainee")
    sign_in("t@example.org")
    return user


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(model.id))).scalar_one()


def only_id(app, model) -> int:
    """The id of the one row of ``model`` (ids are not reused, so never assume 1)."""
    with app.app_context():
        return db.session.execute(select(model.id)).scalar_one()


def action_form(text="An action", day="14", month="3", year="2027", status="not_started"):
    return {"text": text, "measure": "", "support": "", "target_date--day": day,
            "target_date--month": month, "target_date--year": year, "status": status}


@pytest.mark.parametrize(("changes", "message"), [
    ({"text": NUL}, "Remove the invisible control character"),
    ({"text": "x" * 501}, "The action must be 500 characters or fewer"),
    ({"text": ""}, "Say what the action is"),
    ({"day": "31", "month": "2"}, "Target date must be a real date"),
    ({"day": "", "month": "", "year": ""}, "Enter a target date"),
    ({"year": "２０２７"}, "Target date must be numbers"),
    ({"day": "1", "month": "", "year": "2027"}, "Target date must include a month"),
    ({"status": "finished"}, "Not a valid choice"),
])
def test_bad_actions_are_refused_with_a_message_and_the_typed_text_kept(
        app, client, trainee, changes, message):
    form = action_form(**{k: v for k, v in changes.items() if k != "status"})
    form["status"] = changes.get("status", "not_started")
    response = client.post("/plan/actions/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert count(app, PlanAction) == 0
    if changes.get("text", "").startswith("x"):
        assert 'value="' + "x" * 501 + '"' in page
    if changes.get("day") == "31":
        assert 'value="31"' in page


@pytest.mark.parametrize("value", [NUL, "y" * 2001])
def test_bad_summary_is_refused_and_kept(client, trainee, value):
    response = client.post("/plan/summary", data={"summary": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    if value.startswith("y"):
        assert "y" * 2001 in page and "2,000 characters or fewer" in page


def test_huge_and_odd_posts_never_give_a_server_error(app, client, trainee, make_user):
    make_user("c@example.org", roles=(Role.COACH,))
    huge = "z" * 300_000
    client.post("/plan/actions/new", data=action_form())
    action_id = only_id(app, PlanAction)
    posts = [
        ("/plan/actions/new", action_form(huge)),
        (f"/plan/actions/{action_id}", action_form(huge, day=huge)),
        (f"/plan/actions/{action_id}/move", {"direction": huge}),
        (f"/plan/actions/{action_id}/move", {"direction": NUL}),
        ("/plan/summary", {"summary": huge}),
        ("/plan/shares/new", {"coach": huge, "mode": huge, "expires_on--day": NUL}),
        ("/plan/shares/new", {"coach": NUL, "mode": "live"}),
        ("/plan/shares/new", {"coach": "c@example.org", "mode": "live",
                              "expires_on--day": "99999999999999999999"}),
        ("/plan/actions/track", {"anything": huge}),
        ("/plan/shares/999999/revoke", {}),
    ]
    for url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
    for url, body in (
        ("/plan/actions/new", f"text={BROKEN_UTF8}&target_date--day=1&target_date--month=1"
                              "&target_date--year=2027&status=not_started"),
        ("/plan/summary", f"summary={BROKEN_UTF8}"),
        ("/plan/shares/new", f"coach={BROKEN_UTF8}&mode=live"),
    ):
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 302), url
    for url in ("/plan/actions/99999999999999999999", "/plan/actions/0/delete",
                "/shared-with-me/abc"):
        assert client.get(url).status_code in (403, 404)


def test_bad_comments_are_refused_and_kept(app, client, trainee, make_user, sign_in):
    make_user("c@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    until = uk_today() + dt.timedelta(days=5)
    client.post("/plan/shares/new", data={
        "coach": "c@example.org", "mode": "live", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year)})
    coach = app.test_client()
    sign_in("c@example.org", test_client=coach)
    shared = f"/shared-with-me/{only_id(app, PlanShare)}"
    for data, message in (
        ({"section": "actions", "body": NUL}, "Remove the invisible control character"),
        ({"section": "actions", "body": ""}, "Write your comment"),
        ({"section": "actions", "body": "w" * 3001}, "3,000 characters or fewer"),
        ({"section": "<script>", "body": "Fine words"}, "Not a valid choice"),
    ):
        response = coach.post(shared, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, message
        if data["body"] == "Fine words":
            assert "Fine words" in page
    assert count(app, PlanComment) == 0


# -- markup typed into a plan shows up as text everywhere --------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>", "javascript:alert(1)", "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)", "</textarea><script>alert(1)</script>",
    "{{7*7}}", "{% print 7*7 %}", "${7*7}", "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>", "<a href=javascript:alert(1)>x</a>", "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>", "<math><mtext><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>", "<video><source onerror=alert(1)>",
    "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>",
    "<style>@import 'javascript:alert(1)'</style>", "<link rel=import href=x>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>", "<select onchange=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<base href=javascript:alert(1)//>", "<div style=background:url(javascript:alert(1))>",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "%3Cscript%3Ealert(1)%3C/script%3E",
    "<scr<script>ipt>alert(1)</script>", "<<script>alert(1)//<</script>",
    "<img src=\"x\" onerror=\"alert(1)\"/>", "<svg><animate onbegin=alert(1) attributeName=x>",
    "<table background=javascript:alert(1)>", "<isindex action=javascript:alert(1) type=image>",
    "<x contenteditable onblur=alert(1)>lose focus",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>", "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>", "<xss onpointerover=alert(1)>hover",
    "<audio src onerror=alert(1)>", "<body onpageshow=alert(1)>", "<img srcset=x onerror=alert(1)>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>", "\\u003cscript\\u003e",
    "<script src=//127.0.0.1/x.js></script>",
]


class MarkupAudit(HTMLParser):
    """Counts script elements and records handlers and javascript: URLs in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.handlers, self.js_urls = 0, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if value and value.strip().lower().startswith("javascript:"):
                self.js_urls.append((tag, name))


def audit(page: str) -> MarkupAudit:
    parser = MarkupAudit()
    parser.feed(page)
    return parser


def test_fifty_xss_payloads_show_as_text_on_every_page_that_shows_them(
        app, client, trainee, make_user, sign_in):
    assert len(XSS_PAYLOADS) == 50
    baseline = {url: audit(client.get(url).get_data(as_text=True)).scripts
                for url in ("/plan/", "/dashboard")}
    soon = uk_today() + dt.timedelta(days=3)
    for payload in XSS_PAYLOADS:
        response = client.post("/plan/actions/new", data=action_form(
            payload, str(soon.day), str(soon.month), str(soon.year)))
        assert response.status_code == 302, payload
    client.post("/plan/summary", data={"summary": "\n".join(XSS_PAYLOADS[:20])})
    make_user("c@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    client.post("/plan/shares/new", data={
        "coach": "c@example.org", "mode": "live", "expires_on--day": str(soon.day),
        "expires_on--month": str(soon.month), "expires_on--year": str(soon.year)})
    coach = app.test_client()
    sign_in("c@example.org", test_client=coach)
    shared = f"/shared-with-me/{only_id(app, PlanShare)}"
    coach.post(shared, data={"section": "general", "body": XSS_PAYLOADS[1]})

    pages = {"/plan/": client.get("/plan/").get_data(as_text=True),
             "/dashboard": client.get("/dashboard").get_data(as_text=True),
             shared: coach.get(shared).get_data(as_text=True)}
    baseline[shared] = baseline["/plan/"]
    for url, page in pages.items():
        found = audit(page)
        assert found.scripts == baseline[url], url
        assert found.handlers == [] and found.js_urls == [], url
        assert ">49<" not in page and " 49 " not in re.sub(r"<[^>]+>", " ", page)
        for payload in XSS_PAYLOADS:
            escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert escaped.replace('"', "&#34;").replace("'", "&#39;") in page, (url, payload)

    pdf = client.get("/plan/pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for payload in ("<script>alert(1)</script>", "{{7*7}}", "<img src=x onerror=alert(1)>"):
        assert payload in text


@pytest.mark.parametrize("url", ["/plan/actions/99999999999999999999",
                                 "/admin/users/99999999999999999999/roles",
                                 "/shared-with-me/9223372036854775808/pdf",
                                 "/plan/actions/0", "/plan/actions/-1"])
def test_ids_too_large_for_the_database_are_404(client, make_user, sign_in, url):
    make_user("c@example.org", roles=(Role.COORDINATOR, Role.COACH))
    sign_in("c@example.org")
    assert client.get(url).status_code == 404
